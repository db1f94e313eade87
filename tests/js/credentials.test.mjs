// Node's default credential chain, one scenario per source, each in a child process with a fully
// controlled environment (temp HOME, only the scenario's AWS_* variables) against local fakes that
// check every request (support/cred-fakes.mjs). In every scenario the AWS SDK's defaultProvider()
// (@aws-sdk/credential-provider-node, an oracle only) resolves the same access key id, and a
// ConnectChatClient created without `credentials` sends an event that Connect's fake accepts as
// signed by that key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFakes, runScenario, ssoCacheName, allSecrets } from './support/cred-scenario.mjs';
import { addKey, issue } from './support/cred-fakes.mjs';

let fakes;
before(async () => { fakes = await startFakes(); });
after(() => fakes.close());

const STATIC = { accessKeyId: 'AKIDSTATICPROFILE001', secretAccessKey: 'static/profile/secret+1' };
const ENV_KEYS = { accessKeyId: 'AKIDENVIRONMENT00001', secretAccessKey: 'env/secret/key+000001', sessionToken: 'env-session-token-1' };
addKey(STATIC);
addKey(ENV_KEYS);
const envVars = (c) => ({ AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken });

/** The scenario resolved `id` from a source matching `source`, as the SDK did, and sent signed events. */
function assertResolved(r, id, source) {
  assert.equal(r.ours.accessKeyId, id, JSON.stringify(r.ours));
  assert.match(r.ours.source, source);
  assert.equal(r.oracle.accessKeyId, id, `the AWS SDK resolved ${JSON.stringify(r.oracle)}`);
  assert.ok(r.sent.length > 0);
  for (const s of r.sent) assert.ok(s.contact, JSON.stringify(s));
  const ours = fakes.connect.requests;
  assert.equal(ours.length, r.sent.length);
  for (const q of ours) {
    assert.ok(q.ok, 'Connect fake: signature valid');
    assert.equal(q.sig.accessKeyId, id);
  }
}

test('environment variables', async () => {
  fakes.reset();
  const r = await runScenario(fakes, { env: envVars(ENV_KEYS) });
  assertResolved(r, ENV_KEYS.accessKeyId, /^environment$/);
  assert.equal(r.ours.hasSessionToken, true);
  assert.equal(fakes.connect.requests[0].headers['x-amz-security-token'], ENV_KEYS.sessionToken);
});

test('shared files: static keys of AWS_PROFILE ([profile x] in config, credentials file wins)', async () => {
  fakes.reset();
  const r = await runScenario(fakes, {
    env: { AWS_PROFILE: 'relay' },
    files: {
      '.aws/config': `[profile relay]\nregion = us-east-1\naws_access_key_id = AKIDNOTTHISONE000001\naws_secret_access_key = x\n`,
      '.aws/credentials': `[relay]\naws_access_key_id = ${STATIC.accessKeyId}\naws_secret_access_key = ${STATIC.secretAccessKey}\n`,
    },
  });
  assertResolved(r, STATIC.accessKeyId, /profile 'relay'.*static keys/);
});

test('shared files: credential_process (Version 1 JSON with Expiration)', async () => {
  fakes.reset();
  const c = issue('AKIDCREDPROCESS00001');
  const script = `process.stdout.write(${JSON.stringify(JSON.stringify({ Version: 1, AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken, Expiration: c.expiration }))})`;
  const r = await runScenario(fakes, {
    files: {
      'print-creds.cjs': script,
      '.aws/config': (home) => `[default]\ncredential_process = "${process.execPath}" "${home}/print-creds.cjs"\n`,
    },
  });
  assertResolved(r, c.accessKeyId, /credential_process/);
  assert.equal(r.ours.expiration, new Date(c.expiration).toISOString());
});

test('shared files: IAM Identity Center with sso_session (cached token, GetRoleCredentials)', async () => {
  fakes.reset();
  const c = issue('AKIDSSOSESSION000001');
  fakes.sso.accessToken = 'sso-access-token-session-1';
  fakes.sso.roles['111122223333/RelayRole'] = () => c;
  const r = await runScenario(fakes, {
    env: { AWS_PROFILE: 'dev', AWS_ENDPOINT_URL_SSO: fakes.sso.url },
    files: {
      '.aws/config': `[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = RelayRole\nregion = us-east-1\n\n` +
        `[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n`,
      [`.aws/sso/cache/${ssoCacheName('corp')}`]: JSON.stringify({ accessToken: fakes.sso.accessToken, expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        region: 'eu-west-1', startUrl: 'https://corp.awsapps.com/start', clientId: 'cid', clientSecret: 'csecret', refreshToken: 'rt',
        registrationExpiresAt: new Date(Date.now() + 86400_000).toISOString() }),
    },
  });
  assertResolved(r, c.accessKeyId, /IAM Identity Center/);
  const ours = fakes.sso.ours();
  assert.ok(ours.length >= 1 && ours.every((q) => q.ok), 'SSO fake: bearer token and path right');
  assert.equal(new URL(ours[0].url, 'http://x').search, '?account_id=111122223333&role_name=RelayRole');
});

test('shared files: legacy sso_start_url profile', async () => {
  fakes.reset();
  const c = issue('AKIDSSOLEGACY0000001');
  fakes.sso.accessToken = 'sso-access-token-legacy-1';
  fakes.sso.roles['444455556666/ReadOnly'] = () => c;
  const startUrl = 'https://legacy.awsapps.com/start';
  const r = await runScenario(fakes, {
    env: { AWS_ENDPOINT_URL: fakes.sso.url },
    files: {
      '.aws/config': `[default]\nsso_start_url = ${startUrl}\nsso_region = us-west-2\nsso_account_id = 444455556666\nsso_role_name = ReadOnly\n`,
      [`.aws/sso/cache/${ssoCacheName(startUrl)}`]: JSON.stringify({ accessToken: fakes.sso.accessToken, expiresAt: new Date(Date.now() + 3600_000).toISOString(), region: 'us-west-2', startUrl }),
    },
  });
  assertResolved(r, c.accessKeyId, /IAM Identity Center/);
  assert.ok(fakes.sso.ours().every((q) => q.ok));
});

test('shared files: role_arn + source_profile (STS AssumeRole, signed by the source keys)', async () => {
  fakes.reset();
  const c = issue('AKIDASSUMEDROLE00001');
  fakes.sts.roles['arn:aws:iam::123456789012:role/relay'] = { credentials: () => c };
  const r = await runScenario(fakes, {
    env: { AWS_PROFILE: 'relay', AWS_ENDPOINT_URL_STS: fakes.sts.url },
    files: {
      '.aws/credentials': `[base]\naws_access_key_id = ${STATIC.accessKeyId}\naws_secret_access_key = ${STATIC.secretAccessKey}\n`,
      '.aws/config': `[profile relay]\nrole_arn = arn:aws:iam::123456789012:role/relay\nsource_profile = base\nrole_session_name = relay-session\nexternal_id = ext-1\nregion = eu-central-1\n`,
    },
  });
  assertResolved(r, c.accessKeyId, /role_arn \(STS AssumeRole with source_profile 'base'\)/);
  const ours = fakes.sts.ours();
  assert.ok(ours.length >= 1);
  for (const q of ours) {
    assert.ok(q.ok, `STS fake: ${JSON.stringify(q.sig)}`);
    assert.equal(q.sig.accessKeyId, STATIC.accessKeyId);
    assert.equal(q.sig.region, 'eu-central-1');
    assert.deepEqual([q.params.Action, q.params.RoleArn, q.params.RoleSessionName, q.params.ExternalId, q.params.DurationSeconds],
      ['AssumeRole', 'arn:aws:iam::123456789012:role/relay', 'relay-session', 'ext-1', '3600']);
  }
  // The SDK's own request was accepted by the same checks.
  assert.ok(fakes.sts.requests.some((q) => q.fromSdk && q.ok));
});

test('shared files: a role chain (role → role → static keys) and credential_source = Environment', async () => {
  fakes.reset();
  const first = issue('AKIDCHAINFIRST000001');
  const second = issue('AKIDCHAINSECOND00001');
  fakes.sts.roles['arn:aws:iam::123456789012:role/first'] = { credentials: () => first };
  fakes.sts.roles['arn:aws:iam::123456789012:role/second'] = { credentials: () => second };
  const r = await runScenario(fakes, {
    env: { AWS_PROFILE: 'second', AWS_ENDPOINT_URL_STS: fakes.sts.url },
    files: {
      '.aws/config': `[profile second]\nrole_arn = arn:aws:iam::123456789012:role/second\nsource_profile = first\n\n` +
        `[profile first]\nrole_arn = arn:aws:iam::123456789012:role/first\nsource_profile = base\n\n` +
        `[profile base]\naws_access_key_id = ${STATIC.accessKeyId}\naws_secret_access_key = ${STATIC.secretAccessKey}\n`,
    },
  });
  assertResolved(r, second.accessKeyId, /source_profile 'first'/);
  const ours = fakes.sts.ours();
  assert.deepEqual(ours.map((q) => [q.params.RoleArn.split('/')[1], q.sig.accessKeyId, q.ok]).slice(0, 2),
    [['first', STATIC.accessKeyId, true], ['second', first.accessKeyId, true]]);

  fakes.reset();
  const viaEnv = issue('AKIDFROMENVSOURCE001');
  fakes.sts.roles['arn:aws:iam::123456789012:role/env'] = { credentials: () => viaEnv };
  const r2 = await runScenario(fakes, {
    env: { AWS_PROFILE: 'ci', AWS_ENDPOINT_URL_STS: fakes.sts.url, ...envVars(ENV_KEYS) },
    files: { '.aws/config': `[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/env\ncredential_source = Environment\n` },
  });
  assertResolved(r2, viaEnv.accessKeyId, /credential_source Environment/);
  assert.equal(fakes.sts.ours()[0].sig.accessKeyId, ENV_KEYS.accessKeyId);
  assert.equal(fakes.sts.ours()[0].headers['x-amz-security-token'], ENV_KEYS.sessionToken);
  assert.ok(fakes.sts.ours()[0].ok);
});

test('shared files: web_identity_token_file profile (AssumeRoleWithWebIdentity)', async () => {
  fakes.reset();
  const c = issue('AKIDWEBIDPROFILE0001');
  fakes.sts.roles['arn:aws:iam::123456789012:role/web'] = { credentials: () => c, webIdentityToken: 'eyJwcm9maWxlIjoidG9rZW4ifQ.sig' };
  const r = await runScenario(fakes, {
    env: { AWS_ENDPOINT_URL_STS: fakes.sts.url },
    files: {
      'token.jwt': 'eyJwcm9maWxlIjoidG9rZW4ifQ.sig',
      '.aws/config': (home) => `[default]\nrole_arn = arn:aws:iam::123456789012:role/web\nweb_identity_token_file = ${home}/token.jwt\nrole_session_name = web-sess\n`,
    },
  });
  assertResolved(r, c.accessKeyId, /web_identity_token_file/);
  const q = fakes.sts.ours()[0];
  assert.ok(q.ok);
  assert.equal(q.params.Action, 'AssumeRoleWithWebIdentity');
  assert.equal(q.params.RoleSessionName, 'web-sess');
  assert.equal(q.headers.authorization, undefined, 'web identity calls are not signed');
});

test('web identity from the environment (EKS IRSA)', async () => {
  fakes.reset();
  const c = issue('AKIDIRSA000000000001');
  fakes.sts.roles['arn:aws:iam::123456789012:role/irsa'] = { credentials: () => c, webIdentityToken: 'eyJpcnNhIjp0cnVlfQ.sig' };
  const r = await runScenario(fakes, {
    files: { 'var/run/secrets/eks/token': 'eyJpcnNhIjp0cnVlfQ.sig' },
    env: (home) => ({ AWS_ENDPOINT_URL_STS: fakes.sts.url, AWS_WEB_IDENTITY_TOKEN_FILE: `${home}/var/run/secrets/eks/token`,
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/irsa', AWS_ROLE_SESSION_NAME: 'relay-pod' }),
  });
  assertResolved(r, c.accessKeyId, /^web identity/);
  const q = fakes.sts.ours()[0];
  assert.ok(q.ok);
  assert.deepEqual([q.params.Action, q.params.RoleSessionName], ['AssumeRoleWithWebIdentity', 'relay-pod']);
});

test('container credentials: ECS relative URI on 169.254.170.2', async () => {
  fakes.reset();
  const c = issue('AKIDECSTASKROLE00001');
  fakes.container.paths['/v2/credentials/task-1234'] = () => c;
  const r = await runScenario(fakes, {
    env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/task-1234' },
    redirect: { '169.254.170.2': fakes.container.port },
  });
  assertResolved(r, c.accessKeyId, /AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/);
  assert.ok(fakes.container.ours().length >= 1 && fakes.container.ours().every((q) => q.ok && q.headers.host === '169.254.170.2'));
  assert.equal(fakes.imds.requests.length, 0, 'no instance metadata call when a container endpoint is set');
});

test('container credentials: full URI with AWS_CONTAINER_AUTHORIZATION_TOKEN, and with _TOKEN_FILE (EKS Pod Identity)', async () => {
  fakes.reset();
  const c = issue('AKIDFULLURITOKEN0001');
  fakes.container.paths['/creds'] = () => c;
  fakes.container.authorization = 'Basic container-auth-token-1';
  const r = await runScenario(fakes, {
    env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fakes.container.url}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Basic container-auth-token-1' },
  });
  assertResolved(r, c.accessKeyId, /AWS_CONTAINER_CREDENTIALS_FULL_URI/);
  assert.ok(fakes.container.ours().every((q) => q.ok));

  fakes.reset();
  const pod = issue('AKIDPODIDENTITY00001');
  fakes.container.paths['/v1/credentials'] = () => pod;
  fakes.container.authorization = 'pod-identity-token-xyz';
  const r2 = await runScenario(fakes, {
    files: { 'eks-pod-identity-token': 'pod-identity-token-xyz' },
    // The file wins over the variable, as in the AWS SDK.
    env: (home) => ({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${fakes.container.port}/v1/credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: `${home}/eks-pod-identity-token`, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'not-this-one' }),
  });
  assertResolved(r2, pod.accessKeyId, /AWS_CONTAINER_CREDENTIALS_FULL_URI/);
  assert.ok(fakes.container.ours().every((q) => q.ok && q.headers.authorization === 'pod-identity-token-xyz'));
});

test('container credentials: a full URI outside the allow-list is refused without a request', async () => {
  fakes.reset();
  const r = await runScenario(fakes, { env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://192.0.2.10/creds' } });
  assert.equal(r.ours.error.name, 'CredentialsProviderError');
  assert.match(r.ours.error.message, /container credentials \(AWS_CONTAINER_CREDENTIALS_FULL_URI\).*http:\/\/192\.0\.2\.10 is not accepted/);
  assert.ok(r.oracle.error, 'the AWS SDK refuses it too');
  assert.ok(r.sent.every((s) => s.error?.name === 'CredentialsProviderError'));
  assert.equal(fakes.connect.requests.length, 0);
});

test('EC2 instance metadata: IMDSv2 (token PUT, then the role) at AWS_EC2_METADATA_SERVICE_ENDPOINT', async () => {
  fakes.reset();
  const c = issue('AKIDINSTANCEROLE0001');
  fakes.imds.role = 'relay-instance-role';
  fakes.imds.credentials = () => c;
  const r = await runScenario(fakes, {});
  assertResolved(r, c.accessKeyId, /EC2 instance metadata/);
  const ours = fakes.imds.ours();
  assert.deepEqual(ours.slice(0, 3).map((q) => [q.method, q.url, q.ok]), [
    ['PUT', '/latest/api/token', true],
    ['GET', '/latest/meta-data/iam/security-credentials/', true],
    ['GET', '/latest/meta-data/iam/security-credentials/relay-instance-role', true]]);
  assert.ok(ours.every((q) => q.ok), 'every request carried the session token');
});

test('EC2 instance metadata: the default address 169.254.169.254, and AWS_EC2_METADATA_DISABLED', async () => {
  fakes.reset();
  const c = issue('AKIDINSTANCEDEFAULT1');
  fakes.imds.role = 'r';
  fakes.imds.credentials = () => c;
  const r = await runScenario(fakes, { env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: undefined }, redirect: { '169.254.169.254': fakes.imds.port } });
  assertResolved(r, c.accessKeyId, /EC2 instance metadata/);
  assert.ok(fakes.imds.ours().every((q) => q.ok && q.headers.host === '169.254.169.254'));

  fakes.reset();
  fakes.imds.role = 'r';
  fakes.imds.credentials = () => c;
  const off = await runScenario(fakes, { env: { AWS_EC2_METADATA_DISABLED: 'true' } });
  assert.equal(off.ours.error.name, 'CredentialsProviderError');
  assert.match(off.ours.error.message, /EC2 instance metadata \(AWS_EC2_METADATA_DISABLED\)/);
  assert.ok(off.oracle.error, 'the AWS SDK finds nothing either');
  assert.equal(fakes.imds.requests.length, 0);
  for (const s of allSecrets()) assert.ok(!off.stdout.includes(s));
});
