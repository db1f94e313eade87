'use strict';
// Node's default credential chain and region for ConnectChatClient (browsers have none).
//
// When `credentials` is omitted, the AWS JS SDK v3's default chain, in its order:
//   1. environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
//      AWS_CREDENTIAL_EXPIRATION), skipped when a profile is named (AWS_PROFILE or `profile`), as the SDK;
//   2. the shared files' profile (profile.cjs): static keys, role_arn + source_profile /
//      credential_source, web_identity_token_file, credential_process, IAM Identity Center;
//   3. web identity from AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (EKS IRSA);
//   4. the container endpoint (ECS, EKS Pod Identity) when AWS_CONTAINER_CREDENTIALS_* is set;
//   5. otherwise EC2 instance metadata (IMDSv2), unless AWS_EC2_METADATA_DISABLED.
// A source that is configured and fails ends the chain with an error naming it and why; errors
// never carry a secret. Resolved at the first send, cached, and refreshed 5 minutes before expiry
// by one call that concurrent callers share.
//
// When `region` is omitted: AWS_REGION, AWS_DEFAULT_REGION, then `region` of the profile.

const { loadSharedFiles, parseIni } = require('./shared-files.cjs');

// The sources (and node:child_process, node:crypto, node:http they need) load at the first
// resolve, not at import: importing the package stays as fast as before.
const lazy = (id) => { let m; return () => (m ??= require(id)); };
const profiles = lazy('./profile.cjs');
const webIdentity = lazy('./web-identity.cjs');
const containerSource = lazy('./container.cjs');
const imdsSource = lazy('./imds.cjs');

/** Refresh this long before credentials expire (the client's window too). */
const REFRESH_MS = 5 * 60 * 1000;

function credentialsProviderError(message, tried) {
  const err = new Error(message);
  err.name = 'CredentialsProviderError';
  err.tried = tried;
  err.$fault = 'client';
  return err;
}

/** The error for a configured source that failed: which one, and why (messages are secret-free). */
function sourceFailed(source, cause, tried) {
  return credentialsProviderError(`Could not load AWS credentials from ${source}: ${cause.message}`, tried);
}

/**
 * Runs the chain now. `options`: `env` (default process.env), `profile`, `region` (STS's fallback
 * region), `timeouts` (ms: imds, container, sts, sso, process). Resolves `{ credentials, source }`;
 * throws CredentialsProviderError naming what was looked at or which source failed.
 */
async function resolveDefaultCredentials({ env = process.env, profile, region, timeouts } = {}) {
  const { resolveProfile, envCredentials } = profiles();
  const { fromWebIdentity } = webIdentity();
  const container = containerSource();
  const imds = imdsSource();
  const ctx = { env, region, timeouts };
  const tried = [];
  // 1. Environment.
  const named = profile || env.AWS_PROFILE;
  if (named) {
    tried.push(`environment variables (skipped: profile '${named}' is named${profile ? '' : ' by AWS_PROFILE'})`);
  } else {
    const c = envCredentials(env);
    if (c) return { credentials: c, source: 'environment' };
    const hasId = Boolean(env.AWS_ACCESS_KEY_ID);
    const hasSecret = Boolean(env.AWS_SECRET_ACCESS_KEY);
    tried.push(`environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (${
      hasId ? 'AWS_SECRET_ACCESS_KEY not set' : hasSecret ? 'AWS_ACCESS_KEY_ID not set' : 'not set'})`);
  }
  // 2. Shared files.
  const files = loadSharedFiles(env, profile);
  const where = `profile '${files.profile}' of ${files.credentialsFile} / ${files.configFile}`;
  let found;
  try {
    found = await resolveProfile(files.profile, files, ctx);
  } catch (e) {
    throw sourceFailed(where, e, tried);
  }
  if (found) return { credentials: found.credentials, source: `${where} (${found.kind})` };
  for (const [label, file, note] of files.describe(files.profile)) {
    tried.push(`${label} ${file}, profile '${files.profile}' (${note ?? 'no credentials in it'})`);
  }
  // 3. Web identity from the environment.
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) {
    const source = 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)';
    try {
      const c = await fromWebIdentity({ tokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE, roleArn: env.AWS_ROLE_ARN, sessionName: env.AWS_ROLE_SESSION_NAME }, ctx);
      return { credentials: c, source };
    } catch (e) {
      throw sourceFailed(source, e, tried);
    }
  }
  tried.push('web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN not set)');
  // 4 and 5. Container endpoint if configured, else instance metadata.
  if (container.isConfigured(env)) {
    const source = `container credentials (${env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ? 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' : 'AWS_CONTAINER_CREDENTIALS_FULL_URI'})`;
    try {
      return { credentials: await container.fromContainer(ctx), source };
    } catch (e) {
      throw sourceFailed(source, e, tried);
    }
  }
  tried.push('container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI not set)');
  if (imds.isDisabled(env)) {
    tried.push('EC2 instance metadata (AWS_EC2_METADATA_DISABLED)');
  } else {
    try {
      return { credentials: await imds.fromInstanceMetadata(ctx), source: 'EC2 instance metadata (IMDSv2)' };
    } catch (e) {
      tried.push(`EC2 instance metadata (${e.message})`);
    }
  }
  throw credentialsProviderError(`Could not find AWS credentials. Looked in: ${tried.join('; ')}.` +
    ' Pass `credentials` to ConnectChatClient (an object or an async provider), or configure one of these.', tried);
}

/**
 * An async provider running the default chain, cached until 5 minutes before the credentials
 * expire; concurrent calls while a refresh is due share one run of the chain.
 */
function defaultCredentialsProvider(options = {}) {
  let cached;
  let pending;
  return async () => {
    // No expiration: kept. An unreadable one (NaN) never counts as fresh.
    if (cached && (!cached.expiration || cached.expiration.getTime() - REFRESH_MS > Date.now())) return cached;
    pending ??= resolveDefaultCredentials(options).then(
      (r) => { cached = r.credentials; pending = undefined; return cached; },
      (e) => { pending = undefined; throw e; });
    return pending;
  };
}

/** The region from AWS_REGION, AWS_DEFAULT_REGION or the profile; `{ region?, tried }`. */
function resolveDefaultRegion({ env = process.env, profile } = {}) {
  if (env.AWS_REGION) return { region: env.AWS_REGION, tried: [] };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, tried: [] };
  const files = loadSharedFiles(env, profile);
  const tried = ['environment variables AWS_REGION and AWS_DEFAULT_REGION (not set)'];
  for (const [which, file, label] of [['config', files.configFile, 'shared config file'], ['credentials', files.credentialsFile, 'shared credentials file']]) {
    const section = files.section(which, files.profile);
    if (section?.region) return { region: section.region, tried };
    tried.push(`${label} ${file}, profile '${files.profile}' (${section ? 'no region' : files.note(which) ?? 'no such profile'})`);
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
    options.region = found.region;
  } else if (typeof region === 'string') {
    options.region = region;
  }
  if (needCredentials) define('credentials', defaultCredentialsProvider(options));
  return out;
}

module.exports = {
  withNodeDefaults,
  resolveDefaultCredentials,
  resolveDefaultRegion,
  defaultCredentialsProvider,
  parseIni,
};
