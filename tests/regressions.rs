//! Inputs found by fuzzing (`fuzz/`, see docs/hardening.md), kept as tests so what they showed
//! stays true.

use connect_chat_events::sigv4::{
    sha256_hex, sign, Credentials, Request, Signed, SigningKeyCache, SigningParams,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn creds(access_key_id: &str) -> Credentials {
    Credentials {
        access_key_id: access_key_id.to_string(),
        secret_access_key: SECRET.to_string(),
        session_token: None,
    }
}

/// Re-signs what a server received the way js/server/verify.mjs does: the received headers
/// (minus `authorization`), the path on `http://localhost`, checksum off, no session token.
fn server_resign(method: &str, target: &str, received: &[(String, String)], body: &[u8]) -> Signed {
    let headers: Vec<(String, String)> = received
        .iter()
        .filter(|(n, _)| n != "authorization")
        .cloned()
        .collect();
    let url = format!("http://localhost{target}");
    let req = Request {
        method,
        url: &url,
        headers: &headers,
        body,
    };
    let mut params = SigningParams::new("us-east-1", "connect", 12_850);
    params.apply_checksum = false;
    sign(&req, &creds("022222"), &params, &mut SigningKeyCache::new()).expect("signable")
}

/// `fuzz/artifacts/verify/crash-4a9358d8…` (a false alarm of the first version of the `verify`
/// target, kept because it pins what the local endpoint must do): with `apply_checksum` the
/// client sends `x-amz-content-sha256`, and the signer takes a given payload-hash header as the
/// payload hash. So a server that re-signs the received headers gets the *same* signature for a
/// tampered body; the body is protected only by comparing that header with the body's hash, which
/// verify.mjs does before re-signing. Without the header, the signature itself covers the body.
#[test]
fn payload_hash_header_stands_for_the_body_when_resigning() {
    let body: &[u8] = &[
        214, 0, 0, 0, 0, 214, 214, 49, 52, 48, 52, 54, 0, 0, 214, 214, 50, 50, 50,
    ];
    let method = "yZZZZZZZZZ";
    let url = "https://ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ/ZZZZZZZZZZZZZ]ZZZZZZ^ZZZZZZ";
    let target = "/ZZZZZZZZZZZZZ]ZZZZZZ^ZZZZZZ";
    let mut tampered = body.to_vec();
    tampered[0] ^= 1;

    for apply_checksum in [true, false] {
        let mut params = SigningParams::new("us-east-1", "connect", 12_850);
        params.apply_checksum = apply_checksum;
        let req = Request {
            method,
            url,
            headers: &[],
            body,
        };
        let client =
            sign(&req, &creds("022222"), &params, &mut SigningKeyCache::new()).expect("signable");
        let same = server_resign(method, target, &client.headers, body);
        assert_eq!(
            same.signature, client.signature,
            "checksum {apply_checksum}"
        );
        let hash_header = client
            .headers
            .iter()
            .find(|(n, _)| n == "x-amz-content-sha256")
            .map(|(_, v)| v.clone());
        let bad = server_resign(method, target, &client.headers, &tampered);
        if apply_checksum {
            // The signature cannot tell; the header check must.
            assert_eq!(bad.signature, client.signature);
            assert_eq!(hash_header.as_deref(), Some(sha256_hex(body).as_str()));
            assert_ne!(hash_header, Some(sha256_hex(&tampered)));
        } else {
            assert_eq!(hash_header, None);
            assert_ne!(bad.signature, client.signature);
        }
    }
}
