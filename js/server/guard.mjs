// Who may talk to the local endpoint: the request target must be a plain origin-form path, the Host header
// one of the server's own names (DNS rebinding), and a browser Origin one of its own origins or a
// --cors-origin; writes to the inspection API must carry what a cross-site "simple" request cannot
// (a JSON content type or the X-Emulator-Request header), so a hostile page cannot reset chats (CSRF).

/** The header a page may send instead of a JSON body to mark a write as deliberate (not a simple request). */
export const WRITE_HEADER = 'x-emulator-request';

/** Names that always reach the local endpoint on this machine. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** A refused request: the HTTP status, an error type (x-amzn-ErrorType) and a message. */
export class GuardError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** `[::1]` for `::1`, else the name as is, lower-case. */
function bracketed(host) {
  const h = String(host).toLowerCase();
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

/**
 * The Host header values this server answers to: NAME:PORT and NAME for the loopback names, the bound host
 * (unless a wildcard) and every `allowHosts` entry (an entry with its own `:port` is taken as is).
 */
export function allowedHosts({ host, port, allowHosts = [] }) {
  const out = new Set();
  // The bare name too (no port): a rebinding page cannot make a browser send one of these names for its own
  // site, and raw clients often leave the port out.
  const add = (name) => {
    const b = bracketed(name);
    out.add(`${b}:${port}`);
    out.add(b);
  };
  for (const name of LOOPBACK_NAMES) add(name);
  if (host && !WILDCARDS.has(String(host).toLowerCase())) add(host);
  for (const entry of allowHosts) {
    const e = String(entry).trim().toLowerCase();
    if (/^(\[[0-9a-f:.]+\]|[^:[\]]+):\d+$/.test(e)) out.add(e);
    else add(e);
  }
  return out;
}

/** The origins of the server's own pages: `http://` + each allowed Host value that has a port (port 80: none). */
export function ownOrigins(hosts, port) {
  const own = new Set();
  for (const h of hosts) {
    const m = /^(.*):(\d+)$/.exec(h);
    if (m) own.add(m[2] === '80' ? `http://${m[1]}` : `http://${h}`);
    else if (port === 80) own.add(`http://${h}`);
  }
  return own;
}

/**
 * Splits a request target into the path and query that are routed and verified. Only origin-form targets
 * in normal form are accepted: an absolute-form target (`http://evil.example/...`) or one that URL parsing
 * would change (dot segments, characters it re-encodes) could otherwise be routed as one path and verified
 * as another.
 */
export function parseTarget(target) {
  if (typeof target !== 'string' || !target.startsWith('/')) {
    throw new GuardError(400, 'BadRequest', 'The request target must be a path starting with "/" (origin-form); ' +
      'absolute-form targets (http://host/path) and "*" are not accepted by this endpoint.');
  }
  let url;
  try {
    url = new URL(`http://target.invalid${target}`);
  } catch {
    throw new GuardError(400, 'BadRequest', 'Malformed request target.');
  }
  if (url.host !== 'target.invalid' || url.pathname + url.search !== target || url.hash) {
    throw new GuardError(400, 'BadRequest', 'The request target is not in normal form (dot segments, a fragment, ' +
      'an empty query or characters that need percent-encoding); send the path as it is routed.');
  }
  return url;
}

/** Refuses a request whose Host header is missing, repeated or not one of `hosts`. */
export function checkHost(values, hosts) {
  if (!values || values.length === 0) {
    throw new GuardError(400, 'BadRequest', 'A Host header is required.');
  }
  if (values.length > 1) throw new GuardError(400, 'BadRequest', 'More than one Host header.');
  const value = values[0].trim().toLowerCase();
  if (!hosts.has(value)) {
    throw new GuardError(403, 'ForbiddenHost', `Host '${values[0].slice(0, 100)}' is not one of this endpoint's names ` +
      `(${[...hosts].join(', ')}). A DNS name that points here must be allowed with --allow-host NAME.`);
  }
}

/** Whether a browser Origin may use the inspection API: one of the server's own origins or a --cors-origin. */
export function originAllowed(origin, own, corsOrigins) {
  if (origin === undefined) return true; // not a browser (curl, SDKs, tests)
  return own.has(origin.toLowerCase()) || corsOrigins.has('*') || corsOrigins.has(origin);
}

/** Content type `application/json` (any parameters). */
function isJson(contentType) {
  return typeof contentType === 'string' && contentType.split(';')[0].trim().toLowerCase() === 'application/json';
}

/** A foreign browser Origin is refused on every inspection route (reading or writing). */
export function checkInspectionOrigin(req, own, corsOrigins) {
  const origin = req.headers.origin;
  if (!originAllowed(origin, own, corsOrigins)) {
    throw new GuardError(403, 'ForbiddenOrigin', `Origin ${String(origin).slice(0, 100)} may not use the inspection API; ` +
      'start the endpoint with --cors-origin ORIGIN to allow a console served from elsewhere.');
  }
}

/**
 * A write to the inspection API needs a JSON content type or the X-Emulator-Request header, which a form, an
 * `<img>` or a `mode: 'no-cors'` fetch cannot send (CSRF).
 */
export function checkWrite(req) {
  if (!isJson(req.headers['content-type']) && req.headers[WRITE_HEADER] === undefined) {
    throw new GuardError(403, 'CsrfForbidden', `${req.method} on the inspection API needs 'Content-Type: application/json' ` +
      `or an '${WRITE_HEADER}: 1' header (a cross-site form or simple request cannot send either).`);
  }
}
