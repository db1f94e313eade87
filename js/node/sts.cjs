'use strict';
// AWS STS AssumeRole and AssumeRoleWithWebIdentity over the query protocol (form-encoded POST, XML
// answer). AssumeRole is signed with the package's own SigV4 signer; web identity needs no signature.

const { request } = require('./http.cjs');
const { serviceEndpoint } = require('./endpoints.cjs');

const TIMEOUT_MS = 10000;

/** The package's signRequest. Required when first called, not at load: index.cjs (which
 *  initializes the wasm) loads this file, and by the time a role is assumed it has finished. */
function signRequest(req, options) {
  return require('./index.cjs').signRequest(req, options);
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescapeXml(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e]);
}

/** The text of the first `<name>` element in `xml` (no attributes or CDATA in STS answers). */
function xmlText(xml, name) {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? unescapeXml(m[1].trim()) : undefined;
}

/** STS's region: the profile's, the client's, AWS_REGION, then us-east-1 (as the AWS SDK). */
function stsRegion(ctx, profileRegion) {
  return profileRegion || ctx.region || ctx.env.AWS_REGION || 'us-east-1';
}

async function call(action, params, ctx, { region, credentials }) {
  const url = `${serviceEndpoint(ctx.env, 'STS', 'sts', region)}/`;
  const form = new URLSearchParams({ Action: action, Version: '2011-06-15' });
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') form.set(k, String(v));
  const body = form.toString();
  let headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (credentials) {
    headers = signRequest({ method: 'POST', url, headers, body }, { region, service: 'sts', credentials }).headers;
  }
  let res;
  try {
    res = await request(url, { method: 'POST', headers, body, timeoutMs: ctx.timeouts?.sts ?? TIMEOUT_MS });
  } catch (e) {
    throw new Error(`STS ${action} at ${url}: ${e.message}`);
  }
  if (res.status !== 200) {
    const code = xmlText(res.body, 'Code') ?? `HTTP ${res.status}`;
    const message = xmlText(res.body, 'Message');
    throw new Error(`STS ${action} at ${url} failed: ${code}${message ? ` (${message.slice(0, 300)})` : ''}`);
  }
  const c = xmlText(res.body, 'Credentials');
  const creds = c && {
    accessKeyId: xmlText(c, 'AccessKeyId'),
    secretAccessKey: xmlText(c, 'SecretAccessKey'),
    sessionToken: xmlText(c, 'SessionToken'),
    expiration: xmlText(c, 'Expiration'),
  };
  if (!creds || !creds.accessKeyId || !creds.secretAccessKey) {
    throw new Error(`STS ${action} at ${url}: the answer has no Credentials`);
  }
  const out = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey };
  if (creds.sessionToken) out.sessionToken = creds.sessionToken;
  if (creds.expiration) out.expiration = new Date(creds.expiration);
  const arn = xmlText(res.body, 'Arn');
  const account = arn && /^arn:[^:]+:sts::(\d{12}):/.exec(arn);
  if (account) out.accountId = account[1];
  return out;
}

/** AssumeRole with `source` credentials; params: RoleArn, RoleSessionName, ExternalId, DurationSeconds. */
function assumeRole(source, params, ctx, profileRegion) {
  return call('AssumeRole', params, ctx, { region: stsRegion(ctx, profileRegion), credentials: source });
}

/** AssumeRoleWithWebIdentity; params: RoleArn, RoleSessionName, WebIdentityToken, DurationSeconds. */
function assumeRoleWithWebIdentity(params, ctx, profileRegion) {
  return call('AssumeRoleWithWebIdentity', params, ctx, { region: stsRegion(ctx, profileRegion) });
}

module.exports = { assumeRole, assumeRoleWithWebIdentity, xmlText };
