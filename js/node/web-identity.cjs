'use strict';
// Web identity (EKS IRSA and the `web_identity_token_file` profile key): the token file's JWT is
// exchanged for role credentials with STS AssumeRoleWithWebIdentity.

const fs = require('node:fs/promises');
const { assumeRoleWithWebIdentity } = require('./sts.cjs');

async function fromWebIdentity({ tokenFile, roleArn, sessionName, durationSeconds }, ctx, profileRegion) {
  let token;
  try {
    token = (await fs.readFile(tokenFile, 'utf8')).trim();
  } catch (e) {
    throw new Error(`cannot read the web identity token file ${tokenFile} (${e.code || 'error'})`);
  }
  if (!token) throw new Error(`the web identity token file ${tokenFile} is empty`);
  return assumeRoleWithWebIdentity({
    RoleArn: roleArn,
    RoleSessionName: sessionName || `aws-sdk-js-session-${Date.now()}`,
    WebIdentityToken: token,
    DurationSeconds: durationSeconds,
  }, ctx, profileRegion);
}

module.exports = { fromWebIdentity };
