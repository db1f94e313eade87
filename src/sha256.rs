//! SHA-256 (FIPS 180-4) behind one small API, in two implementations of the same function:
//!
//! * the `sha2` crate (default): unrolled rounds, the fastest in wasm, for the Node build, where
//!   the time per request counts;
//! * [`Small`], written here with the 64 rounds as a loop: about a quarter of the code, for the
//!   browser build (feature `small-sha`), where the bytes a page downloads count.
//!
//! Both are always compiled and tested against each other, so either build signs the same.

/// The SHA-256 the crate uses: see the module documentation.
#[cfg(not(feature = "small-sha"))]
pub(crate) type Sha256 = Big;
/// The SHA-256 the crate uses: see the module documentation.
#[cfg(feature = "small-sha")]
pub(crate) type Sha256 = Small;

/// The `sha2` crate's SHA-256 behind this module's API.
#[derive(Clone, Default)]
pub(crate) struct Big(sha2::Sha256);

#[cfg_attr(feature = "small-sha", allow(dead_code))]
impl Big {
    pub(crate) fn new() -> Self {
        Self::default()
    }
    pub(crate) fn update(&mut self, data: &[u8]) {
        sha2::Digest::update(&mut self.0, data);
    }
    pub(crate) fn finalize(self) -> [u8; 32] {
        sha2::Digest::finalize(self.0).into()
    }
    pub(crate) fn digest(data: &[u8]) -> [u8; 32] {
        <sha2::Sha256 as sha2::Digest>::digest(data).into()
    }
}

/// Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64
/// primes.
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The initial hash value: the first 32 bits of the fractional parts of the square roots of the
/// first 8 primes.
const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// SHA-256 with the rounds as loops (see the module documentation).
#[derive(Clone)]
pub(crate) struct Small {
    state: [u32; 8],
    /// Bytes of the current block so far (`len % 64` of them are used).
    block: [u8; 64],
    /// Bytes hashed so far.
    len: u64,
}

impl Default for Small {
    fn default() -> Self {
        Small {
            state: H0,
            block: [0; 64],
            len: 0,
        }
    }
}

#[cfg_attr(not(feature = "small-sha"), allow(dead_code))]
impl Small {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let used = (self.len % 64) as usize;
            let n = data.len().min(64 - used);
            let (head, rest) = data.split_at(n);
            self.block[used..used + n].copy_from_slice(head);
            self.len += n as u64;
            data = rest;
            if used + n == 64 {
                compress(&mut self.state, &self.block);
            }
        }
    }

    pub(crate) fn finalize(mut self) -> [u8; 32] {
        let bits = self.len.wrapping_mul(8);
        // 0x80, zeros up to 56 mod 64, then the length in bits (big-endian): 9 to 72 bytes.
        let mut pad = [0u8; 72];
        pad[0] = 0x80;
        let n = (119 - (self.len % 64) as usize) % 64 + 1;
        pad[n..n + 8].copy_from_slice(&bits.to_be_bytes());
        self.update(&pad[..n + 8]);
        let mut out = [0u8; 32];
        for (o, s) in out.chunks_exact_mut(4).zip(self.state) {
            o.copy_from_slice(&s.to_be_bytes());
        }
        out
    }

    pub(crate) fn digest(data: &[u8]) -> [u8; 32] {
        let mut h = Self::new();
        h.update(data);
        h.finalize()
    }
}

/// One 64-byte block into `state`: the 64 rounds as one loop over a 16-word ring of the message
/// schedule, with the working variables in locals (registers).
fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 16];
    for (wi, c) in w.iter_mut().zip(block.chunks_exact(4)) {
        *wi = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    for (i, k) in K.iter().enumerate() {
        if i >= 16 {
            // w[i] = w[i-16] + σ0(w[i-15]) + w[i-7] + σ1(w[i-2]), in the ring.
            let w15 = w[(i + 1) & 15];
            let w2 = w[(i + 14) & 15];
            let s0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
            let s1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
            w[i & 15] = w[i & 15]
                .wrapping_add(s0)
                .wrapping_add(w[(i + 9) & 15])
                .wrapping_add(s1);
        }
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = h
            .wrapping_add(s1)
            .wrapping_add(ch)
            .wrapping_add(*k)
            .wrapping_add(w[i & 15]);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(maj);
        h = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
    }
    for (s, x) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *s = s.wrapping_add(x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        crate::sigv4::hex_encode(b)
    }

    #[test]
    fn known_answers() {
        // FIPS 180-4 examples, plus the empty message.
        let cases: [(&[u8], &str); 3] = [
            (
                b"",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                b"abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
        ];
        for (msg, want) in cases {
            assert_eq!(hex(&Small::digest(msg)), want);
            assert_eq!(hex(&Big::digest(msg)), want);
        }
    }

    #[test]
    fn small_matches_sha2_at_every_length_and_split() {
        // Every length across several block boundaries (padding spills into a second block from
        // 56 bytes on), fed whole and in uneven pieces.
        let data: Vec<u8> = (0..300u32).map(|i| (i * 131 + 7) as u8).collect();
        for n in 0..data.len() {
            let msg = &data[..n];
            let want = Big::digest(msg);
            assert_eq!(Small::digest(msg), want, "length {n}");
            let mut h = Small::new();
            for piece in msg.chunks(n % 67 + 1) {
                h.update(piece);
            }
            assert_eq!(h.clone().finalize(), want, "length {n} in pieces");
        }
    }
}
