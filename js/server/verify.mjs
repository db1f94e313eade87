// SigV4 verification for the local endpoint, with the error codes and messages of the AWS front end.
// The signature is recomputed with the package's own signer (signRequest, told to sign exactly the names in
// SignedHeaders): the routed method, path and query, those headers and the body, at the request's
// x-amz-date, with the secret of the access key it names. The two signatures are compared in constant time.
// Anything that could be read two ways (two Authorization or X-Amz-Date headers, a repeated or unknown
// Authorization parameter, an unsorted SignedHeaders list) is refused before any hashing.
import { createHash, timingSafeEqual } from 'node:crypto';
import { signRequest } from '../node/index.mjs';

/** Largest allowed distance between x-amz-date and the server clock (as AWS: 15 minutes). */
export const MAX_SKEW_MS = 15 * 60 * 1000;
const SERVICE = 'connect';

/** An authentication failure: always HTTP 403, with the AWS error code and message. */
export class AuthError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
    this.status = 403;
  }
}

const incomplete = (msg) => new AuthError('IncompleteSignatureException', msg);
const invalid = (msg) => new AuthError('InvalidSignatureException', msg);
const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** `20261125T003000Z` for a Date. */
export function amzDate(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return NaN;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(t);
  // Reject impossible dates such as 20261331T250000Z (Date.UTC would roll them over).
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d ||
      back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== se) return NaN;
  return t;
}

/** The Authorization parameters SigV4 defines; each must appear exactly once. */
const AUTH_PARAMS = ['Credential', 'SignedHeaders', 'Signature'];
/** Most names a SignedHeaders list may hold (a real client signs a handful; this bounds the work). */
export const MAX_SIGNED_HEADERS = 64;
/** Most header lines a signed request may carry. */
export const MAX_HEADER_LINES = 128;
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` strictly: a repeated or unknown
 * parameter, or a part that is not key=value, is refused (it could be read two ways). Linear in its length.
 */
function parseAuthorization(value) {
  const m = /^\s*(\S+)\s+(.*)$/s.exec(value);
  if (!m || m[1] !== 'AWS4-HMAC-SHA256') {
    const alg = m ? m[1] : value.trim();
    throw incomplete(`Authorization header requires the 'AWS4-HMAC-SHA256' algorithm; got '${alg.slice(0, 40)}'. ` +
      'The local endpoint accepts AWS Signature Version 4 in the Authorization header only.');
  }
  const params = Object.create(null);
  for (const raw of m[2].split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      throw incomplete(`'${part.slice(0, 40)}' not a valid key=value pair (missing equal-sign) in Authorization header.`);
    }
    const k = part.slice(0, eq).trim();
    if (!AUTH_PARAMS.includes(k)) {
      throw incomplete(`Authorization header has an unknown parameter '${k.slice(0, 40)}'; ` +
        `only ${AUTH_PARAMS.join(', ')} are allowed.`);
    }
    if (k in params) throw incomplete(`Authorization header has more than one '${k}' parameter.`);
    params[k] = part.slice(eq + 1).trim();
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((k) => !params[k]);
  if (missing.length) {
    throw incomplete(missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' '));
  }
  return params;
}

/** The one value of a header that must not repeat (undefined when absent). */
function single(h, name, label) {
  const values = h[name];
  if (values && values.length > 1) {
    throw incomplete(`The request carries ${values.length} '${label}' headers; exactly one is allowed.`);
  }
  return values?.[0];
}

/** Checks SignedHeaders: lower-case header names, sorted, no repeats, at most MAX_SIGNED_HEADERS. */
function parseSignedHeaders(list) {
  const names = list.split(';');
  if (names.length > MAX_SIGNED_HEADERS) {
    throw incomplete(`SignedHeaders names ${names.length} headers; this endpoint accepts at most ${MAX_SIGNED_HEADERS}.`);
  }
  for (let i = 0; i < names.length; i++) {
    if (!TOKEN.test(names[i])) {
      throw incomplete(`SignedHeaders entry '${names[i].slice(0, 40)}' is not a lower-case header name.`);
    }
    if (i > 0 && names[i] <= names[i - 1]) {
      throw incomplete('SignedHeaders must list each header name once, sorted (as SigV4 canonicalizes them).');
    }
  }
  return names;
}

function sha256Hex(buf) {
  return createHash('sha256').update(buf).digest('hex');
}

function constantTimeEqual(a, b) {
  // Hash both sides so the comparison does not leak the length either.
  const ha = createHash('sha256').update(String(a)).digest();
  const hb = createHash('sha256').update(String(b)).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** The path and query to verify: exactly those routed (`req.path`, `req.query`), or `req.url` as received. */
function target(req) {
  if (req.path === undefined) return req.url.startsWith('/') ? req.url : '/';
  return `${req.path}${req.query ? `?${req.query}` : ''}`;
}

/**
 * Verifies one request. `req` is { method, path, query (the routed path and the query after '?', as
 * received; or url, path and query together), headersDistinct, headerLines, body: Buffer }. `keys` maps access key id → { secretAccessKey,
 * sessionToken? }. Returns { accessKeyId } or throws AuthError. The work is linear in the request's size:
 * only the headers SignedHeaders names are looked at, and its length is capped.
 */
export function verifyRequest(req, { keys, region, now }) {
  const h = req.headersDistinct;
  if (req.headerLines > MAX_HEADER_LINES) {
    throw incomplete(`The request carries ${req.headerLines} header lines; this endpoint accepts at most ${MAX_HEADER_LINES}.`);
  }
  const authValues = h.authorization;
  if (authValues === undefined || (authValues.length === 1 && authValues[0].trim() === '')) {
    throw new AuthError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const auth = single(h, 'authorization', 'Authorization');
  const params = parseAuthorization(auth);

  const dateValue = single(h, 'x-amz-date', 'X-Amz-Date');
  if (dateValue === undefined) {
    throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
      "(The local endpoint requires 'X-Amz-Date'.)");
  }
  const requestTime = parseAmzDate(dateValue);
  if (Number.isNaN(requestTime)) {
    throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${dateValue.slice(0, 40)}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }

  const signedHeaders = parseSignedHeaders(params.SignedHeaders);
  if (!signedHeaders.includes('host')) { // (':authority' is HTTP/2 only; SignedHeaders names here are HTTP/1.1 headers)
    throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const scope = params.Credential.split('/');
  if (scope.length !== 5) {
    throw incomplete(`Authorization header requires a 'Credential' of the form <AccessKeyId>/<YYYYMMDD>/<region>/${SERVICE}/aws4_request; ` +
      `got ${scope.length} '/'-separated parts.`);
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scope;
  const key = Object.hasOwn(keys, accessKeyId) ? keys[accessKeyId] : undefined;
  if (!key) throw new AuthError('UnrecognizedClientException', INVALID_TOKEN);

  const expectedScope = `${dateValue.slice(0, 8)}/${region}/${SERVICE}/aws4_request`;
  if (scopeDate !== dateValue.slice(0, 8)) {
    throw invalid(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
      `'${scopeDate}' != '${dateValue.slice(0, 8)}', from '${dateValue}'. Expected scope: ${expectedScope}`);
  }
  if (scopeRegion !== region) {
    throw invalid(`Credential should be scoped to a valid region, not '${scopeRegion}'. ` +
      `This endpoint serves region '${region}'; expected scope: ${expectedScope}`);
  }
  if (scopeService !== SERVICE) {
    throw invalid(`Credential should be scoped to correct service: '${SERVICE}'. Expected scope: ${expectedScope}`);
  }
  if (terminator !== 'aws4_request') {
    throw invalid(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. Expected scope: ${expectedScope}`);
  }

  const nowMs = now();
  if (requestTime < nowMs - MAX_SKEW_MS) {
    throw invalid(`Signature expired: ${dateValue} is now earlier than ${amzDate(nowMs - MAX_SKEW_MS)} (${amzDate(nowMs)} - 15 min.)`);
  }
  if (requestTime > nowMs + MAX_SKEW_MS) {
    throw invalid(`Signature not yet current: ${dateValue} is still later than ${amzDate(nowMs + MAX_SKEW_MS)} (${amzDate(nowMs)} + 15 min.)`);
  }

  // Session token: required (and must match) when the key pair was issued with one; refused otherwise.
  const token = single(h, 'x-amz-security-token', 'X-Amz-Security-Token');
  if (key.sessionToken !== undefined) {
    if (token === undefined || !constantTimeEqual(token, key.sessionToken)) {
      throw new AuthError('UnrecognizedClientException', INVALID_TOKEN);
    }
  } else if (token !== undefined) {
    throw new AuthError('UnrecognizedClientException', INVALID_TOKEN);
  }

  // The payload hash header, when sent, must be the hash of the body that arrived.
  const contentSha = single(h, 'x-amz-content-sha256', 'X-Amz-Content-Sha256');
  if (contentSha !== undefined && contentSha !== 'UNSIGNED-PAYLOAD' && contentSha !== sha256Hex(req.body)) {
    throw invalid(SIGNATURE_MISMATCH);
  }
  if (contentSha === 'UNSIGNED-PAYLOAD') throw invalid(SIGNATURE_MISMATCH);

  // Exactly the headers SignedHeaders names, each with every value it arrived with (in order).
  const headers = [];
  for (const name of signedHeaders) {
    const values = h[name];
    if (name === 'authorization' || values === undefined) throw invalid(SIGNATURE_MISMATCH);
    for (const v of values) headers.push([name, v]);
  }
  let signed;
  try {
    signed = signRequest(
      { method: req.method, url: `http://localhost${target(req)}`, headers, body: req.body },
      {
        region,
        service: SERVICE,
        credentials: { accessKeyId, secretAccessKey: key.secretAccessKey },
        signingDate: dateValue,
        applyChecksum: false,
        signedHeaders,
      },
    );
  } catch {
    throw invalid(SIGNATURE_MISMATCH);
  }
  const ours = /SignedHeaders=([^,]*)/.exec(signed.headers.authorization)?.[1];
  if (ours !== params.SignedHeaders || !constantTimeEqual(signed.signature, params.Signature)) {
    throw invalid(SIGNATURE_MISMATCH);
  }
  return { accessKeyId };
}
