//! Times `sigv4::sign` on requests with many distinct header names, and the per-request cost of
//! the general signer against `FixedSigner` on the client's request shape (issue 16, item 9:
//! signing must be O(n log n) in its headers).
//!
//! Run: `cargo run --release --example sign_headers [N...]` (default N = 1000 10000 100000);
//! `ROUNDS=n` sets how many client requests are timed (default 200000).

use std::time::Instant;

use connect_chat_events::sigv4::{
    sha256_hex, sign, sign_with_payload_hash, Credentials, FixedSigner, Request, SigningKeyCache,
    SigningParams,
};

fn main() {
    let creds = Credentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        session_token: None,
    };
    let params = SigningParams::new("us-east-1", "connect", 1_440_938_160);
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let counts = if counts.is_empty() {
        vec![1_000, 10_000, 100_000]
    } else {
        counts
    };
    for n in counts {
        // Distinct names in reverse order (worst case for a naive insertion), one value each.
        let headers: Vec<(String, String)> = (0..n)
            .rev()
            .map(|i| (format!("x-h{i:06}"), format!("v{i}")))
            .collect();
        let req = Request {
            method: "POST",
            url: "https://connect.us-east-1.amazonaws.com/chat-integration-event",
            headers: &headers,
            body: b"{}",
        };
        let start = Instant::now();
        let signed = sign(&req, &creds, &params, &mut SigningKeyCache::new());
        let took = start.elapsed();
        let ok = signed.map(|s| s.signature.len() == 64).unwrap_or(false);
        println!("{n:>7} distinct header names: {took:?} (signed: {ok})");
    }

    // The client's request: POST of a small JSON body with content-type and amz-sdk-request.
    let url = "https://connect.us-east-1.amazonaws.com/chat-integration-event";
    let body = br#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE","ContentType":"text/plain","Content":"hi"}}"#;
    let hash = sha256_hex(body);
    let headers = vec![
        ("content-type".to_string(), "application/json".to_string()),
        (
            "amz-sdk-request".to_string(),
            "attempt=1; max=3".to_string(),
        ),
    ];
    let req = Request {
        method: "POST",
        url,
        headers: &headers,
        body,
    };
    let mut p = params;
    p.apply_checksum = false;
    let rounds: u32 = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200_000);
    let mut cache = SigningKeyCache::new();
    let start = Instant::now();
    for _ in 0..rounds {
        let s = sign_with_payload_hash(&req, &creds, &p, &mut cache, Some(hash.clone()));
        std::hint::black_box(s.ok());
    }
    let general = start.elapsed() / rounds;
    let fixed_signer = FixedSigner::new(url, "us-east-1", "connect");
    let start = Instant::now();
    for _ in 0..rounds {
        let s = fixed_signer.sign(&creds, p.time, Some("attempt=1; max=3"), &hash, &mut cache);
        std::hint::black_box(s.ok());
    }
    let fixed = start.elapsed() / rounds;
    println!("client request, warm key cache: general signer {general:?}, FixedSigner {fixed:?} per request");
}
