// Local fakes (127.0.0.1 only) of the services behind Node's default credential chain: EC2 instance
// metadata (IMDSv2 enforced), the container credentials endpoint, STS (query protocol, SigV4
// checked with the AWS SDK's own @smithy/signature-v4), the IAM Identity Center portal, and Amazon
// Connect (SigV4 checked the same way). Each records what it got and whether the request was right.
import http from 'node:http';
import { tool } from './tools.mjs';
import { NodeSha256 } from './node-sha256.mjs';

const { SignatureV4 } = await tool('@smithy/signature-v4');

/** Known keys: accessKeyId → { secretAccessKey, sessionToken? } (fakes add the ones they issue). */
export const keys = new Map();
export const addKey = (c) => keys.set(c.accessKeyId, { secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken });

/** Checks a request's SigV4 Authorization with @smithy/signature-v4; `{ valid, accessKeyId, region, service }`. */
export async function verifySigV4(req, body) {
  const auth = req.headers.authorization ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return { valid: false, reason: 'no SigV4 Authorization header' };
  const [, accessKeyId, , region, service, signedList] = m;
  const key = keys.get(accessKeyId);
  if (!key) return { valid: false, accessKeyId, reason: 'unknown access key' };
  if (key.sessionToken && req.headers['x-amz-security-token'] !== key.sessionToken) return { valid: false, accessKeyId, reason: 'wrong session token' };
  const signed = signedList.split(';');
  const headers = {};
  for (const name of signed) headers[name] = req.headers[name];
  const d = req.headers['x-amz-date'] ?? '';
  const date = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`);
  const [path, query] = req.url.split('?');
  const signer = new SignatureV4({ service, region, sha256: NodeSha256, applyChecksum: false,
    credentials: { accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken } });
  const unsignable = new Set(Object.keys(req.headers).filter((h) => !signed.includes(h)));
  const out = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: req.headers.host.split(':')[0], port: Number(req.headers.host.split(':')[1]) || undefined,
      path, query: query ? Object.fromEntries(new URLSearchParams(query)) : undefined, headers, body },
    { signingDate: date, unsignableHeaders: unsignable });
  return { valid: out.headers.authorization === auth, accessKeyId, region, service };
}

async function serve(handler) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      // The scenario child's mark between our chain and the AWS SDK's: later requests are the SDK's.
      if (req.url === '/__oracle-begins') {
        fake.oracleFrom = requests.length;
        res.writeHead(204);
        res.end();
        return;
      }
      const record = { method: req.method, url: req.url, headers: { ...req.headers }, body: Buffer.concat(chunks).toString('utf8'),
        fromSdk: /aws-sdk-js/.test(req.headers['user-agent'] ?? '') };
      requests.push(record);
      try {
        const { status = 200, headers = {}, body = '', delayMs = 0 } = await handler(record, req);
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        if (res.destroyed) return;
        res.writeHead(status, headers);
        res.end(body);
      } catch (e) {
        record.error = String(e);
        res.writeHead(500);
        res.end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake = {
    url: `http://127.0.0.1:${server.address().port}`,
    port: server.address().port,
    requests,
    /** Requests from our code: before the oracle's mark, and without the SDK's user agent. */
    ours: () => requests.slice(0, fake.oracleFrom ?? requests.length).filter((r) => !r.fromSdk),
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
  return fake;
}

const xml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const later = (ms) => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Credentials a fake hands out (and Connect accepts); expiration `inMs` from now (default 1 h). */
export function issue(accessKeyId, inMs = 3600_000) {
  const c = { accessKeyId, secretAccessKey: `secret/${accessKeyId}+&<'">${Math.random().toString(36).slice(2)}`, sessionToken: `token-${accessKeyId}-${Math.random().toString(36).slice(2)}` };
  addKey(c);
  return { ...c, expiration: later(inMs) };
}

/**
 * STS. `roles`: RoleArn → () => credentials (or { error: [status, code, message] }); web identity
 * roles also need `webIdentityToken`. Every AssumeRole must carry a valid SigV4 signature for
 * service sts; AssumeRoleWithWebIdentity must carry the token of the role.
 */
export async function startSts() {
  const fake = await serve(async (r, req) => {
    const p = Object.fromEntries(new URLSearchParams(r.body));
    r.params = p;
    r.ok = req.method === 'POST' && /^application\/x-www-form-urlencoded/.test(r.headers['content-type'] ?? '') && p.Version === '2011-06-15';
    const role = fake.roles[p.RoleArn];
    const fail = (status, code, message) => ({ status, headers: { 'content-type': 'text/xml' },
      body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>` });
    if (p.Action === 'AssumeRole') {
      r.sig = await verifySigV4(req, r.body);
      r.ok &&= r.sig.valid && r.sig.service === 'sts' && Boolean(p.RoleSessionName);
      if (!r.sig.valid) return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    } else if (p.Action === 'AssumeRoleWithWebIdentity') {
      r.ok &&= Boolean(role) && p.WebIdentityToken === role.webIdentityToken && Boolean(p.RoleSessionName);
      if (!r.ok) return fail(400, 'InvalidIdentityToken', 'The web identity token is not valid for this role.');
    } else {
      r.ok = false;
      return fail(400, 'InvalidAction', 'unknown action');
    }
    if (!role) return fail(403, 'AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${p.RoleArn}`);
    const c = role.credentials();
    if (c.error) return fail(...c.error);
    const Result = `${p.Action}Result`;
    return { headers: { 'content-type': 'text/xml' }, body: `<${p.Action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${Result}>` +
      `<AssumedRoleUser><AssumedRoleId>AROA:${xml(p.RoleSessionName)}</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/${xml(p.RoleSessionName)}</Arn></AssumedRoleUser>` +
      `<Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${xml(c.secretAccessKey)}</SecretAccessKey><SessionToken>${xml(c.sessionToken)}</SessionToken><Expiration>${c.expiration}</Expiration></Credentials>` +
      `</${Result}><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${p.Action}Response>` };
  });
  fake.roles = {};
  return fake;
}

/** The IAM Identity Center portal: GetRoleCredentials with the expected bearer token. */
export async function startSso() {
  const fake = await serve(async (r) => {
    const u = new URL(r.url, 'http://x');
    const q = Object.fromEntries(u.searchParams);
    r.ok = r.method === 'GET' && u.pathname === '/federation/credentials' && r.headers['x-amz-sso_bearer_token'] === fake.accessToken;
    const role = fake.roles[`${q.account_id}/${q.role_name}`];
    if (!r.ok || !role) return { status: 401, headers: { 'x-amzn-errortype': 'UnauthorizedException', 'content-type': 'application/json' }, body: '{"message":"Session token not found or invalid"}' };
    const c = role();
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ roleCredentials: { ...c, expiration: Date.parse(c.expiration) } }) };
  });
  fake.roles = {};
  return fake;
}

/** The container endpoint: `paths` maps a path to credentials; `authorization` is required if set. */
export async function startContainer() {
  const fake = await serve(async (r) => {
    r.ok = r.method === 'GET' && (fake.authorization === undefined || r.headers.authorization === fake.authorization);
    const make = fake.paths[r.url];
    if (!r.ok) return { status: 403, body: '{"message":"bad token"}' };
    if (!make) return { status: 404, body: '{}' };
    const c = make();
    if (c.status) return c;
    return { delayMs: fake.delayMs ?? 0, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, Token: c.sessionToken, Expiration: c.expiration }) };
  });
  fake.paths = {};
  return fake;
}

/** Instance metadata, IMDSv2 only: PUT a token first; any GET without a valid token gets 401. */
export async function startImds() {
  const tokens = new Set();
  const fake = await serve(async (r) => {
    const delayMs = fake.delayMs ?? 0;
    if (r.method === 'PUT' && r.url === '/latest/api/token') {
      r.ok = Number(r.headers['x-aws-ec2-metadata-token-ttl-seconds']) > 0;
      if (!r.ok) return { status: 400 };
      const t = `imds-token-${Math.random().toString(36).slice(2)}`;
      tokens.add(t);
      return { delayMs, body: t };
    }
    r.ok = r.method === 'GET' && tokens.has(r.headers['x-aws-ec2-metadata-token']);
    if (!r.ok) return { status: 401 };
    if (r.url === '/latest/meta-data/iam/security-credentials/') return { delayMs, body: fake.role ?? '' };
    if (fake.role && r.url === `/latest/meta-data/iam/security-credentials/${fake.role}`) {
      const c = fake.credentials();
      return { delayMs, body: JSON.stringify({ Code: 'Success', LastUpdated: new Date().toISOString(), Type: 'AWS-HMAC',
        AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, Token: c.sessionToken, Expiration: c.expiration }) };
    }
    return { status: 404 };
  });
  return fake;
}

/** Amazon Connect: SendChatIntegrationEvent with a valid SigV4 signature (service connect) by a known key. */
export async function startConnect() {
  let n = 0;
  return serve(async (r, req) => {
    r.sig = await verifySigV4(req, r.body);
    r.ok = r.sig.valid && r.sig.service === 'connect';
    if (!r.ok) return { status: 403, headers: { 'x-amzn-errortype': 'InvalidSignatureException', 'content-type': 'application/json' }, body: '{"message":"bad signature"}' };
    n += 1;
    return { headers: { 'content-type': 'application/json', 'x-amzn-requestid': `req-${n}` }, body: JSON.stringify({ InitialContactId: `contact-${n}`, NewChatCreated: true }) };
  });
}
