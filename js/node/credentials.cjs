'use strict';
// Node's default credential chain and region for ConnectChatClient (browsers have none).
//
// When `credentials` is omitted: environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION), then the shared files ~/.aws/credentials and
// ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE, AWS_PROFILE; `[profile x]` sections
// in config) with static keys. Resolved at the first send, like the AWS SDK, and cached by the
// client. Not supported (use @aws-sdk/credential-providers and pass the provider as
// `credentials`): SSO, credential_process, web identity, assume-role profiles, ECS container
// and EC2 instance metadata credentials.
//
// When `region` is omitted: AWS_REGION, AWS_DEFAULT_REGION, then `region` of the profile.
// Errors name every place that was looked at, never a secret.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const UNSUPPORTED_KEYS = {
  sso_start_url: 'SSO', sso_session: 'SSO', sso_account_id: 'SSO',
  credential_process: 'credential_process',
  web_identity_token_file: 'web identity', role_arn: 'assume role', credential_source: 'assume role',
};

function homeDir(env) {
  return env.HOME || env.USERPROFILE || (env.HOMEPATH ? `${env.HOMEDRIVE || 'C:'}${env.HOMEPATH}` : '') || os.homedir();
}

function expandHome(p, env) {
  return p.startsWith('~/') || p === '~' ? path.join(homeDir(env), p.slice(1)) : p;
}

/** Paths and profile, from the environment as it is now. */
function locations(env = process.env, profile) {
  return {
    credentialsFile: expandHome(env.AWS_SHARED_CREDENTIALS_FILE || path.join(homeDir(env), '.aws', 'credentials'), env),
    configFile: expandHome(env.AWS_CONFIG_FILE || path.join(homeDir(env), '.aws', 'config'), env),
    profile: profile || env.AWS_PROFILE || 'default',
  };
}

/** Parses an INI file into { section: { key: value } }; `#` and `;` start comments. */
function parseIni(text) {
  const out = Object.create(null);
  let section = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(line);
    if (header) {
      section = header[1].trim();
      if (section === '__proto__') section = null;
      else out[section] ??= Object.create(null);
      continue;
    }
    const eq = line.indexOf('=');
    if (section === null || eq < 1 || /^\s/.test(raw)) continue; // nested (indented) values are skipped
    const key = line.slice(0, eq).trim().toLowerCase();
    let value = line.slice(eq + 1).trim();
    value = value.replace(/\s+[#;].*$/, '');
    if (key !== '__proto__') out[section][key] = value;
  }
  return out;
}

/** The profile's section of a file, or a note on why there is none. */
function readProfile(file, name, isConfig) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { note: e.code === 'ENOENT' ? 'file not found' : `unreadable (${e.code || 'error'})` };
  }
  const ini = parseIni(text);
  const section = isConfig
    ? (ini[`profile ${name}`] ?? (name === 'default' ? ini.default : undefined))
    : ini[name];
  return section ? { section } : { note: `no [${isConfig && name !== 'default' ? `profile ${name}` : name}] section` };
}

function staticKeys(section) {
  const accessKeyId = section.aws_access_key_id;
  const secretAccessKey = section.aws_secret_access_key;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const creds = { accessKeyId, secretAccessKey };
  if (section.aws_session_token) creds.sessionToken = section.aws_session_token;
  return creds;
}

function credentialsProviderError(message, tried) {
  const err = new Error(message);
  err.name = 'CredentialsProviderError';
  err.tried = tried;
  err.$fault = 'client';
  return err;
}

/**
 * Resolves credentials now: environment, then the shared credentials and config files.
 * Throws CredentialsProviderError naming what was looked at.
 */
function resolveDefaultCredentials({ env = process.env, profile } = {}) {
  const tried = [];
  const hasId = Boolean(env.AWS_ACCESS_KEY_ID);
  const hasSecret = Boolean(env.AWS_SECRET_ACCESS_KEY);
  if (hasId && hasSecret) {
    const creds = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
    if (env.AWS_SESSION_TOKEN) creds.sessionToken = env.AWS_SESSION_TOKEN;
    if (env.AWS_CREDENTIAL_EXPIRATION) creds.expiration = new Date(env.AWS_CREDENTIAL_EXPIRATION);
    return { credentials: creds, source: 'environment' };
  }
  tried.push(`environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (${
    hasId ? 'AWS_SECRET_ACCESS_KEY not set' : hasSecret ? 'AWS_ACCESS_KEY_ID not set' : 'not set'})`);
  const loc = locations(env, profile);
  const unsupported = new Set();
  for (const [file, isConfig, label] of [[loc.credentialsFile, false, 'shared credentials file'], [loc.configFile, true, 'shared config file']]) {
    const { section, note } = readProfile(file, loc.profile, isConfig);
    if (section) {
      const creds = staticKeys(section);
      if (creds) return { credentials: creds, source: `${label} ${file}, profile '${loc.profile}'` };
      for (const k of Object.keys(section)) if (UNSUPPORTED_KEYS[k]) unsupported.add(UNSUPPORTED_KEYS[k]);
      tried.push(`${label} ${file}, profile '${loc.profile}' (no aws_access_key_id and aws_secret_access_key)`);
    } else {
      tried.push(`${label} ${file}, profile '${loc.profile}' (${note})`);
    }
  }
  let message = `Could not find AWS credentials. Looked in: ${tried.join('; ')}.`;
  if (unsupported.size) {
    message += ` Profile '${loc.profile}' uses ${[...unsupported].join(', ')} credentials, which connect-chat-events does not resolve by itself:` +
      ' pass a provider from @aws-sdk/credential-providers as `credentials`.';
  } else {
    message += ' Pass `credentials` to ConnectChatClient (an object or an async provider such as those of @aws-sdk/credential-providers),' +
      ' or set one of these. SSO, credential_process, web identity, container and instance metadata credentials are not resolved by this package.';
  }
  throw credentialsProviderError(message, tried);
}

/** An async provider running the default chain at call time (the client caches the result). */
function defaultCredentialsProvider(options = {}) {
  return async () => resolveDefaultCredentials(options).credentials;
}

/** The region from AWS_REGION, AWS_DEFAULT_REGION or the profile; `{ region?, tried }`. */
function resolveDefaultRegion({ env = process.env, profile } = {}) {
  if (env.AWS_REGION) return { region: env.AWS_REGION, tried: [] };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, tried: [] };
  const loc = locations(env, profile);
  const tried = ['environment variables AWS_REGION and AWS_DEFAULT_REGION (not set)'];
  for (const [file, isConfig, label] of [[loc.configFile, true, 'shared config file'], [loc.credentialsFile, false, 'shared credentials file']]) {
    const { section, note } = readProfile(file, loc.profile, isConfig);
    if (section?.region) return { region: section.region, tried };
    tried.push(`${label} ${file}, profile '${loc.profile}' (${section ? 'no region' : note})`);
  }
  return { region: undefined, tried };
}

/**
 * The configuration with Node's defaults filled in: `credentials` (the default chain) and
 * `region` when they are omitted. Other values pass through untouched.
 */
function withNodeDefaults(config) {
  if (config === null || typeof config !== 'object') return config;
  let credentials, region, profile;
  try {
    ({ credentials, region, profile } = config);
  } catch {
    return config; // a throwing getter: the constructor reports it as a ConfigurationError
  }
  const needCredentials = credentials === undefined;
  const needRegion = region === undefined || region === null;
  if (!needCredentials && !needRegion) return config;
  // Overrides on top of the caller's object, which stays the prototype (getters and all).
  const out = Object.create(config);
  const define = (key, value) => Object.defineProperty(out, key, { value, enumerable: true });
  const options = { profile: typeof profile === 'string' ? profile : undefined };
  if (needCredentials) define('credentials', defaultCredentialsProvider(options));
  if (needRegion) {
    const found = resolveDefaultRegion(options);
    if (found.region) {
      define('region', found.region);
    } else {
      const { tried } = found;
      const err = new Error(`region is required: pass \`region\`, or set it where the AWS SDK looks. Looked in: ${tried.join('; ')}.`);
      err.name = 'ConfigurationError';
      err.field = 'region';
      err.$fault = 'client';
      throw err;
    }
  }
  return out;
}

module.exports = {
  withNodeDefaults,
  resolveDefaultCredentials,
  resolveDefaultRegion,
  defaultCredentialsProvider,
  parseIni,
};
