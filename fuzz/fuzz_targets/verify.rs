//! The local endpoint's request verification is JavaScript (js/server/verify.mjs); what it relies
//! on from the Rust core is `sigv4::parse_signing_date` (its `signingDate`) and `sigv4::sign`
//! (recomputing the signature from what was received). This target drives exactly those calls
//! the way the server does:
//!
//! - `Hostile`: an attacker-controlled request (method, target, an `authorization`-like header
//!   naming arbitrary signed headers, an arbitrary `x-amz-date`, arbitrary header values and
//!   body) goes through the server's parsing and the Rust calls; nothing may panic.
//! - `RoundTrip`: a request signed as a client would is re-verified as the server does (signed
//!   headers taken from the received headers, URL rebuilt on `http://localhost`, time parsed
//!   back from `x-amz-date`, no session token in the credentials): the recomputed signature
//!   and signed-header list must equal the received ones, and a changed body byte must not
//!   verify.
#![no_main]

use arbitrary::Arbitrary;
use connect_chat_events::sigv4::{
    parse_signing_date, sha256_hex, sign, Credentials, Request, Signed, SigningKeyCache,
    SigningParams,
};
use libfuzzer_sys::fuzz_target;

const REGION: &str = "us-east-1";
const SERVICE: &str = "connect";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

#[derive(Arbitrary, Debug)]
enum Input<'a> {
    Hostile {
        method: &'a str,
        target: &'a str,
        authorization: &'a str,
        date: &'a str,
        headers: Vec<(String, String)>,
        body: &'a [u8],
    },
    RoundTrip {
        method: &'a str,
        host: &'a str,
        path_query: &'a str,
        headers: Vec<(String, String)>,
        body: &'a [u8],
        time: i64,
        access_key_id: &'a str,
        token: Option<&'a str>,
        apply_checksum: bool,
    },
}

/// The `Credential`, `SignedHeaders` and `Signature` parameters, parsed as verify.mjs does.
fn parse_authorization(value: &str) -> Option<(String, String, String)> {
    let rest = value.trim_start().strip_prefix("AWS4-HMAC-SHA256")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let (mut cred, mut signed, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let v = v.trim().to_string();
        match k.trim() {
            "Credential" => cred = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => sig = Some(v),
            _ => {}
        }
    }
    Some((cred?, signed?, sig?))
}

/// Recomputes the signature the way the server does; `None` where the server would reject
/// before or at signing.
fn server_recompute(
    method: &str,
    target: &str,
    received: &[(String, String)],
    body: &[u8],
) -> Option<(Signed, String, String)> {
    let auth = received
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))?;
    let (credential, signed_headers, signature) = parse_authorization(&auth.1)?;
    let date = &received
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-amz-date"))?
        .1;
    let time = parse_signing_date(date).ok()?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, _, _, _, _] = scope.as_slice() else {
        return None;
    };
    let mut headers = Vec::new();
    for name in signed_headers.split(';') {
        if name == "authorization" {
            return None;
        }
        for (n, v) in received {
            if n.eq_ignore_ascii_case(name) {
                headers.push((name.to_string(), v.clone()));
            }
        }
    }
    let url = format!(
        "http://localhost{}",
        if target.starts_with('/') { target } else { "/" }
    );
    let req = Request {
        method,
        url: &url,
        headers: &headers,
        body,
    };
    let creds = Credentials {
        access_key_id: access_key_id.to_string(),
        secret_access_key: SECRET.to_string(),
        session_token: None,
    };
    let mut params = SigningParams::new(REGION, SERVICE, time);
    params.apply_checksum = false;
    let ours = sign(&req, &creds, &params, &mut SigningKeyCache::new()).ok()?;
    Some((ours, signed_headers, signature))
}

fn signed_headers_of(s: &Signed) -> String {
    let auth = &s.headers.last().expect("authorization").1;
    let after = auth.split_once("SignedHeaders=").expect("SignedHeaders").1;
    after.split(',').next().unwrap_or_default().to_string()
}

fuzz_target!(|input: Input<'_>| match input {
    Input::Hostile {
        method,
        target,
        authorization,
        date,
        mut headers,
        body,
    } => {
        headers.push(("authorization".to_string(), authorization.to_string()));
        headers.push(("x-amz-date".to_string(), date.to_string()));
        if let Ok(t) = parse_signing_date(date) {
            assert!((-62_167_219_200..=253_402_300_799).contains(&t));
        }
        if let Some((ours, _, _)) = server_recompute(method, target, &headers, body) {
            assert_eq!(ours.signature.len(), 64);
            let _ = signed_headers_of(&ours);
        }
    }
    Input::RoundTrip {
        method,
        host,
        path_query,
        headers,
        body,
        time,
        access_key_id,
        token,
        apply_checksum,
    } => {
        let target = if path_query.starts_with('/') {
            path_query.to_string()
        } else {
            format!("/{path_query}")
        };
        let url = format!("https://{host}{target}");
        let creds = Credentials {
            access_key_id: access_key_id.to_string(),
            secret_access_key: SECRET.to_string(),
            session_token: token.map(str::to_string),
        };
        let mut params = SigningParams::new(REGION, SERVICE, time);
        params.apply_checksum = apply_checksum;
        let req = Request {
            method,
            url: &url,
            headers: &headers,
            body,
        };
        let Ok(client) = sign(&req, &creds, &params, &mut SigningKeyCache::new()) else {
            return;
        };
        // What reaches the server: the signed URL's path and query (no fragment), the headers.
        let sent_target = client.url.split_once("://").map_or("", |(_, rest)| {
            rest.find(['/', '?']).map_or("", |i| &rest[i..])
        });
        let sent_target = if sent_target.starts_with('?') {
            format!("/{sent_target}")
        } else {
            sent_target.to_string()
        };
        let (ours, their_signed, their_sig) =
            server_recompute(method, &sent_target, &client.headers, body)
                .expect("a request this signer signed must be verifiable");
        assert_eq!(their_sig, client.signature);
        assert_eq!(
            signed_headers_of(&ours),
            their_signed,
            "signed header lists differ"
        );
        assert_eq!(ours.canonical_request, client.canonical_request);
        assert_eq!(
            ours.signature, client.signature,
            "server recomputes another signature"
        );

        // Tampering with the body is detected: by the signature when no payload hash header was
        // sent, else by the server's separate check of x-amz-content-sha256 against the body
        // (unless the caller supplied its own value for that header, which the server checks
        // the same way but which this target does not model).
        let own_hash = headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("x-amz-content-sha256"));
        if !own_hash {
            let mut tampered = body.to_vec();
            match tampered.first_mut() {
                Some(b) => *b ^= 1,
                None => tampered.push(b'x'),
            }
            if apply_checksum {
                let sent = client
                    .headers
                    .iter()
                    .find(|(n, _)| n == "x-amz-content-sha256");
                assert_eq!(
                    sent.map(|(_, v)| v.as_str()),
                    Some(sha256_hex(body).as_str())
                );
                assert_ne!(sha256_hex(&tampered), sha256_hex(body));
            } else {
                let (bad, _, _) =
                    server_recompute(method, &sent_target, &client.headers, &tampered)
                        .expect("still signable");
                assert_ne!(bad.signature, client.signature, "tampered body verifies");
            }
        }
    }
});
