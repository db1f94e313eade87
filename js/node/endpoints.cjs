'use strict';
// Endpoints of the services the credential sources call (STS, the IAM Identity Center portal), with
// the AWS SDK's overrides: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, unless
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true.

/** DNS suffix of a region's partition. */
function dnsSuffix(region) {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  if (region.startsWith('us-iso-')) return 'c2s.ic.gov';
  if (region.startsWith('us-isob-')) return 'sc2s.sgov.gov';
  return 'amazonaws.com';
}

/** `https://<prefix>.<region>.<suffix>`, or the configured override for `envSuffix` (STS, SSO). */
function serviceEndpoint(env, envSuffix, prefix, region) {
  if (String(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS).toLowerCase() !== 'true') {
    const own = env[`AWS_ENDPOINT_URL_${envSuffix}`] || env.AWS_ENDPOINT_URL;
    if (own) return own.replace(/\/+$/, '');
  }
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`region '${region}' is not a valid region name`);
  return `https://${prefix}.${region}.${dnsSuffix(region)}`;
}

module.exports = { serviceEndpoint };
