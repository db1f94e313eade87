'use strict';
// Credentials of a shared-file profile, decided in the AWS SDK's order: static keys,
// role_arn + source_profile / credential_source (STS AssumeRole, chains of them, cycles refused),
// web_identity_token_file, credential_process, then IAM Identity Center.

const { assumeRole } = require('./sts.cjs');
const { fromWebIdentity } = require('./web-identity.cjs');
const { fromContainer } = require('./container.cjs');
const { fromInstanceMetadata } = require('./imds.cjs');
// Loaded only for profiles that use them (node:child_process, node:crypto).
const fromProcess = (...a) => require('./process.cjs').fromProcess(...a);
const fromSso = (...a) => require('./sso.cjs').fromSso(...a);
const SSO_KEYS = ['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'];
/** Whether a profile is an IAM Identity Center profile (any sso_ key, as the AWS SDK decides). */
const isSsoProfile = (p) => SSO_KEYS.some((k) => typeof p[k] === 'string');

const isStatic = (p) => Boolean(p.aws_access_key_id && p.aws_secret_access_key);
const isWebIdentity = (p) => Boolean(p.web_identity_token_file && p.role_arn);
const isAssumeRole = (p) => Boolean(p.role_arn) && (p.source_profile !== undefined) !== (p.credential_source !== undefined);
const sourceWithoutRole = (p) => !p.role_arn && Boolean(p.credential_source);

function staticKeys(p) {
  const c = { accessKeyId: p.aws_access_key_id, secretAccessKey: p.aws_secret_access_key };
  if (p.aws_session_token) c.sessionToken = p.aws_session_token;
  if (p.aws_credential_expiration) c.expiration = new Date(p.aws_credential_expiration);
  if (p.aws_account_id) c.accountId = p.aws_account_id;
  return c;
}

/** Credentials from the environment variables, or undefined when they are not set. */
function envCredentials(env) {
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
  const c = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  if (env.AWS_SESSION_TOKEN) c.sessionToken = env.AWS_SESSION_TOKEN;
  if (env.AWS_CREDENTIAL_EXPIRATION) c.expiration = new Date(env.AWS_CREDENTIAL_EXPIRATION);
  if (env.AWS_ACCOUNT_ID) c.accountId = env.AWS_ACCOUNT_ID;
  return c;
}

async function credentialSource(source, name, ctx) {
  switch (source) {
    case 'Environment': {
      const c = envCredentials(ctx.env);
      if (!c) throw new Error(`profile '${name}' has credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set`);
      return c;
    }
    case 'EcsContainer': return fromContainer(ctx);
    case 'Ec2InstanceMetadata': return fromInstanceMetadata(ctx);
    default: throw new Error(`profile '${name}' has credential_source = ${String(source).slice(0, 40)}; expected EcsContainer, Ec2InstanceMetadata or Environment`);
  }
}

/**
 * `{ credentials, kind }` for profile `name`, or undefined when the top-level profile holds no
 * credential keys at all (the chain goes on). Throws when a configured source fails.
 * `visited` holds the source profiles met so far (the AWS SDK's rules for static keys and cycles).
 */
async function resolveProfile(name, files, ctx, visited = [], asSource = false) {
  const p = files.profileData(name);
  if (!p) {
    if (visited.length === 0) return undefined;
    throw new Error(`source_profile '${name}' is not in ${files.credentialsFile} or ${files.configFile}`);
  }
  if (visited.length > 0 && isStatic(p)) return { credentials: staticKeys(p), kind: 'static keys' };
  if (asSource || isAssumeRole(p)) {
    const src = p.source_profile;
    if (src !== undefined && visited.includes(src)) {
      throw new Error(`profile '${name}': source_profile cycle (${[...visited, src].join(' -> ')})`);
    }
    const source = src !== undefined
      ? (await resolveProfile(src, files, ctx, [...visited, src], sourceWithoutRole(files.profileData(src) ?? {}))).credentials
      : await credentialSource(p.credential_source, name, ctx);
    if (sourceWithoutRole(p)) return { credentials: source, kind: `credential_source ${p.credential_source}` };
    if (p.mfa_serial) throw new Error(`profile '${name}' needs an MFA code (mfa_serial), which a server cannot enter`);
    const duration = p.duration_seconds ? Number.parseInt(p.duration_seconds, 10) : 3600;
    const credentials = await assumeRole(source, {
      RoleArn: p.role_arn,
      RoleSessionName: p.role_session_name || `aws-sdk-js-${Date.now()}`,
      ExternalId: p.external_id,
      DurationSeconds: duration,
    }, ctx, p.region);
    return { credentials, kind: `role_arn (STS AssumeRole${src !== undefined ? ` with source_profile '${src}'` : ` with credential_source ${p.credential_source}`})` };
  }
  if (isStatic(p)) return { credentials: staticKeys(p), kind: 'static keys' };
  if (isWebIdentity(p)) {
    const credentials = await fromWebIdentity({
      tokenFile: p.web_identity_token_file, roleArn: p.role_arn, sessionName: p.role_session_name,
      durationSeconds: p.duration_seconds ? Number.parseInt(p.duration_seconds, 10) : undefined,
    }, ctx, p.region);
    return { credentials, kind: 'web_identity_token_file (STS AssumeRoleWithWebIdentity)' };
  }
  if (p.credential_process) return { credentials: await fromProcess(p.credential_process, ctx), kind: 'credential_process' };
  if (isSsoProfile(p)) return { credentials: await fromSso(name, p, files, ctx), kind: 'IAM Identity Center (SSO)' };
  if (visited.length > 0) throw new Error(`source_profile '${name}' has no credentials`);
  return undefined;
}

module.exports = { resolveProfile, envCredentials };
