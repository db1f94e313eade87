// A Node-crypto hash in the shape @smithy/signature-v4 takes as `sha256` (the oracle signer of the tests' fake
// servers): SHA-256, or HMAC-SHA256 when given a secret.
import { createHash, createHmac } from 'node:crypto';

export class NodeSha256 {
  constructor(secret) { this.h = secret ? createHmac('sha256', secret) : createHash('sha256'); }
  update(d) { this.h.update(d); }
  async digest() { return new Uint8Array(this.h.digest()); }
}
