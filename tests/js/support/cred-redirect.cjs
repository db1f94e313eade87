'use strict';
// Preloaded (--require) into a credentials scenario's child process: requests to the link-local
// AWS hosts (ECS 169.254.170.2, IMDS 169.254.169.254) on port 80 go to local fakes instead, for
// our code and the AWS SDK alike. CCE_TEST_REDIRECT = {"169.254.170.2": port, ...}.
const http = require('node:http');

const map = JSON.parse(process.env.CCE_TEST_REDIRECT || '{}');
const original = http.request;
http.request = function request(...args) {
  if (typeof args[0] === 'string' || args[0] instanceof URL) {
    const u = new URL(args[0]);
    const rest = args.slice(1);
    const opts = rest[0] && typeof rest[0] === 'object' ? rest.shift() : {};
    args = [{ protocol: u.protocol, hostname: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, ...opts }, ...rest];
  }
  const o = args[0];
  const host = String(o.hostname || o.host || '').replace(/:\d+$/, '');
  if (map[host] && (!o.port || Number(o.port) === 80)) {
    // The Host header still names the link-local host, so the fakes can check where it was meant to go.
    args[0] = { ...o, host: undefined, hostname: '127.0.0.1', port: map[host], headers: { host, ...o.headers } };
  }
  return original.apply(this, args);
};
