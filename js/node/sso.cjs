'use strict';
// IAM Identity Center (SSO) profiles: `sso_session` (with an `[sso-session x]` section) and legacy
// `sso_start_url` profiles. The access token `aws sso login` cached in ~/.aws/sso/cache/<sha1>.json
// is exchanged for role credentials with the portal's GetRoleCredentials. Expired tokens are not
// refreshed here: the error says to run `aws sso login` again.

const fs = require('node:fs/promises');
const path = require('node:path');
const { createHash } = require('node:crypto');
const { request } = require('./http.cjs');
const { serviceEndpoint } = require('./endpoints.cjs');
const { homeDir } = require('./shared-files.cjs');

const TIMEOUT_MS = 10000;
/** `{ startUrl, region, accountId, roleName, session? }`, or throws naming what is missing. */
function ssoSettings(name, p, files) {
  let startUrl = p.sso_start_url;
  let region = p.sso_region;
  if (p.sso_session) {
    const s = files.ssoSession(p.sso_session);
    if (!s) throw new Error(`profile '${name}' names sso_session '${p.sso_session}', but there is no [sso-session ${p.sso_session}] section in ${files.configFile}`);
    if (startUrl && s.sso_start_url && startUrl !== s.sso_start_url) throw new Error(`profile '${name}' and sso-session '${p.sso_session}' have different sso_start_url values`);
    if (region && s.sso_region && region !== s.sso_region) throw new Error(`profile '${name}' and sso-session '${p.sso_session}' have different sso_region values`);
    startUrl = s.sso_start_url;
    region = s.sso_region;
  }
  const missing = [['sso_account_id', p.sso_account_id], ['sso_region', region], ['sso_role_name', p.sso_role_name], ['sso_start_url', startUrl]]
    .filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw new Error(`profile '${name}' uses SSO credentials but has no ${missing.join(', ')}`);
  return { startUrl, region, accountId: p.sso_account_id, roleName: p.sso_role_name, session: p.sso_session };
}

async function cachedToken(settings, env) {
  const id = settings.session || settings.startUrl;
  const file = path.join(homeDir(env), '.aws', 'sso', 'cache', `${createHash('sha1').update(id, 'utf8').digest('hex')}.json`);
  const login = `run \`aws sso login${settings.session ? ` --sso-session ${settings.session}` : ''}\``;
  let token;
  try {
    token = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(e.code === 'ENOENT' ? `no cached SSO token at ${file}: ${login}` : `the cached SSO token ${file} is unreadable: ${login}`);
  }
  if (typeof token?.accessToken !== 'string' || !token.accessToken) throw new Error(`the cached SSO token ${file} has no accessToken: ${login}`);
  const exp = Date.parse(token.expiresAt);
  if (!(exp > Date.now())) throw new Error(`the cached SSO token ${file} has expired: ${login}`);
  return token.accessToken;
}

/** Role credentials for an SSO profile (`p` is the merged profile). */
async function fromSso(name, p, files, ctx) {
  const s = ssoSettings(name, p, files);
  const accessToken = await cachedToken(s, ctx.env);
  const base = serviceEndpoint(ctx.env, 'SSO', 'portal.sso', s.region);
  const url = `${base}/federation/credentials?${new URLSearchParams({ account_id: s.accountId, role_name: s.roleName })}`;
  let res;
  try {
    res = await request(url, { headers: { 'x-amz-sso_bearer_token': accessToken, accept: 'application/json' }, timeoutMs: ctx.timeouts?.sso ?? TIMEOUT_MS });
  } catch (e) {
    throw new Error(`SSO GetRoleCredentials at ${base}: ${e.message}`);
  }
  let data;
  try { data = JSON.parse(res.body); } catch { data = undefined; }
  if (res.status !== 200) {
    const type = String(res.headers['x-amzn-errortype'] || '').split(':')[0] || `HTTP ${res.status}`;
    const message = typeof data?.message === 'string' ? ` (${data.message.slice(0, 300)})` : '';
    throw new Error(`SSO GetRoleCredentials at ${base} failed: ${type}${message}`);
  }
  const rc = data?.roleCredentials;
  if (!rc || typeof rc.accessKeyId !== 'string' || typeof rc.secretAccessKey !== 'string') {
    throw new Error(`SSO GetRoleCredentials at ${base}: the answer has no roleCredentials`);
  }
  const out = { accessKeyId: rc.accessKeyId, secretAccessKey: rc.secretAccessKey, accountId: s.accountId };
  if (rc.sessionToken) out.sessionToken = rc.sessionToken;
  if (typeof rc.expiration === 'number') out.expiration = new Date(rc.expiration);
  return out;
}

module.exports = { fromSso };
