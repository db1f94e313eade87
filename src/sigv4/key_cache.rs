//! The SigV4 signing key: its derivation (four HMAC-SHA256 steps) and a small cache of
//! derived keys, ready-keyed, so a request costs one HMAC of its string to sign.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// HMAC-SHA256, the MAC of SigV4.
type HmacSha256 = Hmac<Sha256>;

/// How many derived signing keys a [`SigningKeyCache`] keeps; one per (secret, day, region,
/// service), so a handful covers a long-running client that crosses midnight or a region.
pub(super) const CACHE_CAPACITY: usize = 8;

/// HMAC-SHA256 keyed with `key`, ready to take a message.
fn keyed_mac(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length (a longer one is hashed first): this cannot fail.
    HmacSha256::new_from_slice(key).expect("HMAC-SHA256 accepts keys of any length")
}

/// `HMAC-SHA256(key, msg)` (RFC 2104).
pub(super) fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = keyed_mac(key);
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// Derives the SigV4 signing key `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region),
/// service), "aws4_request")`; public so tests can check it against published examples.
/// `date_yyyymmdd` is the UTC day, e.g. `20150830`.
pub fn derive_signing_key(
    secret: &str,
    date_yyyymmdd: &str,
    region: &str,
    service: &str,
) -> [u8; 32] {
    let k_secret = format!("AWS4{secret}");
    let k_date = hmac_sha256(k_secret.as_bytes(), date_yyyymmdd.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    hmac_sha256(&k_service, b"aws4_request")
}

/// Cache of derived signing keys, so the four-HMAC key derivation runs once per day, region
/// and service instead of once per request.
///
/// Entries are keyed by a SHA-256 of the secret (never the secret itself); the last
/// `CACHE_CAPACITY` (8) entries are kept, most recently used first.
#[derive(Clone, Default)]
pub struct SigningKeyCache {
    entries: Vec<CacheEntry>,
    hits: u64,
    misses: u64,
}

#[derive(Clone)]
struct CacheEntry {
    secret_hash: [u8; 32],
    date: String,
    region: String,
    service: String,
    #[cfg(test)]
    key: [u8; 32],
    /// HMAC-SHA256 already keyed with the signing key: each signature clones it and hashes
    /// only the string to sign.
    mac: HmacSha256,
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeyCache")
            .field("entries", &self.entries.len())
            .field("hits", &self.hits)
            .field("misses", &self.misses)
            .finish()
    }
}

impl SigningKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of cached keys (at most 8), for tests and diagnostics.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many lookups were served from the cache, for tests and diagnostics.
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// How many lookups had to derive a key, for tests and diagnostics.
    pub fn misses(&self) -> u64 {
        self.misses
    }

    /// The signing key for (secret, day, region, service), derived on a miss.
    #[cfg(test)]
    pub(super) fn get_or_derive(
        &mut self,
        secret: &str,
        date: &str,
        region: &str,
        service: &str,
    ) -> [u8; 32] {
        self.entry(secret, date, region, service).key
    }

    /// The lower-case hex HMAC-SHA256 of `string_to_sign` with the signing key of (secret,
    /// day, region, service): the SigV4 signature.
    pub(super) fn signature(
        &mut self,
        secret: &str,
        date: &str,
        region: &str,
        service: &str,
        string_to_sign: &str,
    ) -> String {
        let mut mac = self.entry(secret, date, region, service).mac.clone();
        mac.update(string_to_sign.as_bytes());
        super::hex_32(&mac.finalize().into_bytes().into())
    }

    /// The cache entry for (secret, day, region, service), derived on a miss; moved to the front.
    fn entry(&mut self, secret: &str, date: &str, region: &str, service: &str) -> &CacheEntry {
        let secret_hash: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let found = self.entries.iter().position(|e| {
            e.secret_hash == secret_hash
                && e.date == date
                && e.region == region
                && e.service == service
        });
        match found {
            Some(i) => {
                self.hits += 1;
                // Most recently used first; the oldest falls off the end on a miss.
                self.entries[..=i].rotate_right(1);
            }
            None => {
                self.misses += 1;
                let key = derive_signing_key(secret, date, region, service);
                self.entries.insert(
                    0,
                    CacheEntry {
                        secret_hash,
                        date: date.to_string(),
                        region: region.to_string(),
                        service: service.to_string(),
                        #[cfg(test)]
                        key,
                        mac: keyed_mac(&key),
                    },
                );
                self.entries.truncate(CACHE_CAPACITY);
            }
        }
        &self.entries[0]
    }
}
