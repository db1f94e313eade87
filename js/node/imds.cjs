'use strict';
// EC2 instance metadata (IMDSv2 only): a session token from `PUT /latest/api/token`, then the
// instance role's name and credentials. Short timeouts (1 s per request, as the AWS SDK) so that a
// machine outside EC2 learns fast that there is none.

const { request } = require('./http.cjs');

const TIMEOUT_MS = 1000;
const PATH = '/latest/meta-data/iam/security-credentials/';

function endpoint(env) {
  if (env.AWS_EC2_METADATA_SERVICE_ENDPOINT) return env.AWS_EC2_METADATA_SERVICE_ENDPOINT.replace(/\/+$/, '');
  return String(env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE).toLowerCase() === 'ipv6' ? 'http://[fd00:ec2::254]' : 'http://169.254.169.254';
}

/** Whether AWS_EC2_METADATA_DISABLED turns the service off (any value but "false"). */
function isDisabled(env) {
  return Boolean(env.AWS_EC2_METADATA_DISABLED) && env.AWS_EC2_METADATA_DISABLED.toLowerCase() !== 'false';
}

async function fromInstanceMetadata(ctx) {
  const base = endpoint(ctx.env);
  const timeoutMs = ctx.timeouts?.imds ?? TIMEOUT_MS;
  const step = async (what, url, opts) => {
    let res;
    try {
      res = await request(url, { timeoutMs, ...opts });
    } catch (e) {
      throw new Error(`${base}: ${what}: ${e.message}`);
    }
    if (res.status !== 200) throw new Error(`${base}: ${what}: HTTP ${res.status}`);
    return res.body;
  };
  const token = await step('session token (PUT /latest/api/token)', `${base}/latest/api/token`,
    { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } });
  const headers = { 'x-aws-ec2-metadata-token': token };
  const role = (await step('instance role name', `${base}${PATH}`, { headers })).split('\n')[0].trim();
  if (!role) throw new Error(`${base}: the instance has no IAM role`);
  const body = await step('role credentials', `${base}${PATH}${encodeURIComponent(role)}`, { headers });
  let d;
  try { d = JSON.parse(body); } catch { throw new Error(`${base}: the role credentials are not JSON`); }
  if (typeof d?.AccessKeyId !== 'string' || typeof d.SecretAccessKey !== 'string' || typeof d.Token !== 'string' || typeof d.Expiration !== 'string') {
    throw new Error(`${base}: the role credentials have no AccessKeyId, SecretAccessKey, Token and Expiration`);
  }
  const out = { accessKeyId: d.AccessKeyId, secretAccessKey: d.SecretAccessKey, sessionToken: d.Token, expiration: new Date(d.Expiration) };
  if (typeof d.AccountId === 'string' && d.AccountId) out.accountId = d.AccountId;
  return out;
}

module.exports = { fromInstanceMetadata, isDisabled };
