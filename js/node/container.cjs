'use strict';
// Container credentials: ECS (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, on 169.254.170.2) and
// AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity and others) with an Authorization token from
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or AWS_CONTAINER_AUTHORIZATION_TOKEN. A full URI must be
// HTTPS or one of the AWS SDK's allowed hosts.

const fs = require('node:fs/promises');
const { request } = require('./http.cjs');

const ECS_HOST = 'http://169.254.170.2';
const TIMEOUT_MS = 1000;
const ATTEMPTS = 3;

/** The AWS SDK's allow-list for plain-HTTP full URIs: loopback, the ECS and EKS container hosts. */
function allowedHttpHost(hostname) {
  if (['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]', 'localhost', '[::1]', '[0000:0000:0000:0000:0000:0000:0000:0001]'].includes(hostname)) return true;
  const parts = hostname.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.slice(1).every((c) => /^\d{1,3}$/.test(c) && Number(c) <= 255);
}

/** Whether the environment names a container endpoint. */
function isConfigured(env) {
  return Boolean(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI);
}

function parseAnswer(res) {
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  let d;
  try { d = JSON.parse(res.body); } catch { throw new Error('the answer is not JSON'); }
  if (typeof d?.AccessKeyId !== 'string' || typeof d.SecretAccessKey !== 'string' || typeof d.Token !== 'string' || typeof d.Expiration !== 'string') {
    throw new Error('the answer has no AccessKeyId, SecretAccessKey, Token and Expiration');
  }
  const out = { accessKeyId: d.AccessKeyId, secretAccessKey: d.SecretAccessKey, sessionToken: d.Token, expiration: new Date(d.Expiration) };
  if (typeof d.AccountId === 'string' && d.AccountId) out.accountId = d.AccountId;
  return out;
}

/** Credentials from the container endpoint (retried up to 3 times, 1 s each, like the AWS SDK). */
async function fromContainer(ctx) {
  const env = ctx.env;
  const rel = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const target = rel ? `${ECS_HOST}${rel}` : env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  let url;
  try { url = new URL(target); } catch { throw new Error(`${rel ? 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' : 'AWS_CONTAINER_CREDENTIALS_FULL_URI'} is not a valid URL`); }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowedHttpHost(url.hostname))) {
    throw new Error(`${url.protocol}//${url.host} is not accepted: the URL must be HTTPS, loopback (127.0.0.0/8, [::1], localhost), the ECS host 169.254.170.2 or the EKS host 169.254.170.23 / [fd00:ec2::23]`);
  }
  const headers = {};
  const tokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  let token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  if (tokenFile) {
    try {
      token = (await fs.readFile(tokenFile, 'utf8')).trim();
    } catch (e) {
      throw new Error(`cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${tokenFile} (${e.code || 'error'})`);
    }
  }
  if (token) {
    if (/[\r\n]/.test(token)) throw new Error('the authorization token contains a line break');
    headers.authorization = token;
  }
  const attempts = ctx.timeouts?.containerAttempts ?? ATTEMPTS;
  let last;
  for (let i = 0; i < attempts; i++) {
    try {
      return parseAnswer(await request(url.href, { headers, timeoutMs: ctx.timeouts?.container ?? TIMEOUT_MS }));
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`${url.protocol}//${url.host}${url.pathname}: ${last.message}${attempts > 1 ? ` (${attempts} attempts)` : ''}`);
}

module.exports = { fromContainer, isConfigured };
