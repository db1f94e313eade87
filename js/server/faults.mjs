// Fault injection for the local endpoint: rates of throttling (429), internal errors (500) and dropped
// connections, plus added latency. Decisions come from a seedable PRNG so a run can be replayed.

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A numeric seed from a number or any string (FNV-1a). */
export function seedFrom(value) {
  if (value === undefined || value === null || value === '') return (Math.random() * 2 ** 32) >>> 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value >>> 0;
  let h = 0x811c9dc5;
  for (const ch of String(value)) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export const FAULT_FIELDS = ['throttleRate', 'errorRate', 'dropRate', 'latencyMs'];

/** Validates a partial faults object; returns { faults } or { error }. */
export function checkFaults(input) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { error: 'faults must be a JSON object with any of throttleRate, errorRate, dropRate (0..1), latencyMs (0..60000)' };
  }
  const out = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === 'seed') continue;
    if (!FAULT_FIELDS.includes(k)) return { error: `unknown fault '${k}'; expected one of ${FAULT_FIELDS.join(', ')}, seed` };
    if (k === 'latencyMs') {
      if (!Number.isInteger(v) || v < 0 || v > 60000) return { error: 'latencyMs must be an integer from 0 to 60000' };
    } else if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      return { error: `${k} must be a number from 0 to 1` };
    }
    out[k] = v;
  }
  if ('seed' in input && !['number', 'string'].includes(typeof input.seed)) return { error: 'seed must be a number or a string' };
  return { faults: out };
}

export class Faults {
  constructor({ throttleRate = 0, errorRate = 0, dropRate = 0, latencyMs = 0 } = {}, seed) {
    this.settings = { throttleRate, errorRate, dropRate, latencyMs };
    this.reseed(seed);
  }

  reseed(seed) {
    this.seed = seedFrom(seed);
    this.random = mulberry32(this.seed);
  }

  update(partial) {
    Object.assign(this.settings, partial);
  }

  toJSON() {
    return { ...this.settings, seed: this.seed };
  }

  /** One decision per request: 'throttle' | 'error' | 'drop' | null (one PRNG draw, so runs replay). */
  decide() {
    const { throttleRate, errorRate, dropRate } = this.settings;
    if (throttleRate + errorRate + dropRate <= 0) return null;
    const r = this.random();
    if (r < throttleRate) return 'throttle';
    if (r < throttleRate + errorRate) return 'error';
    if (r < throttleRate + errorRate + dropRate) return 'drop';
    return null;
  }
}
