// A small seeded PRNG (mulberry32) so random tests reproduce: print the seed, rerun with CCE_SEED=<seed>.
export function seedFrom(env = process.env.CCE_SEED) {
  return env ? Number(env) >>> 0 : 0x5eed1234;
}

export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    bool: (p = 0.5) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** A string of `n` code points drawn from `pool` (an array of strings). */
    str: (n, pool) => Array.from({ length: n }, () => r.pick(pool)).join(''),
  };
  return r;
}
