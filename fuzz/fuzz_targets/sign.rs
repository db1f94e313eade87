//! The SigV4 signer's canonicalization: arbitrary method, URL (raw, or assembled from arbitrary
//! host/port/path/query/fragment), headers, body, time, scope and credentials through
//! `sigv4::sign`. It must never panic; a signed request must be well-formed and signing again
//! (with a warm or a cold key cache) must give the same result. The client's `FixedSigner` on the
//! same URL, scope, time and credentials must give the general signer's result or error. With
//! `signed_headers`, exactly the listed names are signed; listing the names the default signs
//! gives the default result.
#![no_main]

use arbitrary::Arbitrary;
use connect_chat_events::sigv4::{
    sha256_hex, sign, sign_with_payload_hash, Credentials, FixedSigner, Request, SigningKeyCache,
    SigningParams,
};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Url<'a> {
    Raw(&'a str),
    Built {
        https: bool,
        host: &'a str,
        port: Option<&'a str>,
        path: &'a str,
        query: Option<&'a str>,
        fragment: Option<&'a str>,
    },
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    method: &'a str,
    url: Url<'a>,
    headers: Vec<(String, String)>,
    body: &'a [u8],
    time: i64,
    region: &'a str,
    service: &'a str,
    access_key_id: &'a str,
    secret: &'a str,
    token: Option<&'a str>,
    apply_checksum: bool,
    uri_escape_path: bool,
    normalize_path: bool,
    /// `SigningParams::signed_headers`: sign exactly these names.
    signed_headers: Option<Vec<&'a str>>,
}

fuzz_target!(|input: Input<'_>| {
    let url = match input.url {
        Url::Raw(u) => u.to_string(),
        Url::Built {
            https,
            host,
            port,
            path,
            query,
            fragment,
        } => {
            let mut u = String::from(if https { "https://" } else { "http://" });
            u.push_str(host);
            if let Some(p) = port {
                u.push(':');
                u.push_str(p);
            }
            if !path.starts_with('/') {
                u.push('/');
            }
            u.push_str(path);
            if let Some(q) = query {
                u.push('?');
                u.push_str(q);
            }
            if let Some(f) = fragment {
                u.push('#');
                u.push_str(f);
            }
            u
        }
    };
    let req = Request {
        method: input.method,
        url: &url,
        headers: &input.headers,
        body: input.body,
    };
    let creds = Credentials {
        access_key_id: input.access_key_id.to_string(),
        secret_access_key: input.secret.to_string(),
        session_token: input.token.map(str::to_string),
    };
    let params = SigningParams {
        region: input.region,
        service: input.service,
        time: input.time,
        apply_checksum: input.apply_checksum,
        uri_escape_path: input.uri_escape_path,
        normalize_path: input.normalize_path,
        signed_headers: input.signed_headers.as_deref(),
    };
    fixed_matches_general(&url, &input, &creds);
    listed_matches_default(&req, &creds, &params);
    let mut cache = SigningKeyCache::new();
    let first = sign(&req, &creds, &params, &mut cache);
    let warm = sign(&req, &creds, &params, &mut cache);
    let cold = sign(&req, &creds, &params, &mut SigningKeyCache::new());
    assert_eq!(first, warm, "warm cache changes the result");
    assert_eq!(first, cold, "cold cache changes the result");
    match first {
        Ok(s) => {
            assert_eq!(s.signature.len(), 64);
            assert!(s
                .signature
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
            let (name, auth) = s.headers.last().expect("authorization header");
            assert_eq!(name, "authorization");
            assert!(auth.ends_with(&s.signature));
            for (n, v) in &s.headers {
                assert!(
                    !n.is_empty() && !n.bytes().any(|b| b.is_ascii_uppercase()),
                    "{n:?}"
                );
                assert!(
                    !v.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0),
                    "{n}"
                );
            }
            assert_eq!(
                s.headers
                    .iter()
                    .filter(|(n, _)| n == "authorization")
                    .count(),
                1
            );
            assert_eq!(
                s.headers.iter().filter(|(n, _)| n == "x-amz-date").count(),
                1
            );
            assert!(s.string_to_sign.starts_with("AWS4-HMAC-SHA256\n"));
            if let Some(names) = &input.signed_headers {
                // Exactly the listed names, lower-cased, sorted, once.
                let mut want: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
                want.sort();
                want.dedup();
                assert_eq!(signed_headers_of(auth), want.join(";"));
            }
        }
        Err(e) => {
            let _ = (e.to_string(), e.variant());
        }
    }
});

/// The client's signer (POST, `content-type: application/json`, optionally `amz-sdk-request`
/// taken from the first header's value) against the general one with the same request.
fn fixed_matches_general(url: &str, input: &Input<'_>, creds: &Credentials) {
    let sdk_request = input.headers.first().map(|(_, v)| v.as_str());
    let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
    if let Some(v) = sdk_request {
        headers.push(("amz-sdk-request".to_string(), v.to_string()));
    }
    let req = Request {
        method: "POST",
        url,
        headers: &headers,
        body: input.body,
    };
    let params = SigningParams {
        region: input.region,
        service: input.service,
        time: input.time,
        apply_checksum: false,
        uri_escape_path: true,
        normalize_path: true,
        signed_headers: None,
    };
    let hash = sha256_hex(input.body);
    let general = sign_with_payload_hash(
        &req,
        creds,
        &params,
        &mut SigningKeyCache::new(),
        Some(hash.clone()),
    );
    let signer = FixedSigner::new(url, input.region, input.service);
    let fixed = signer.sign(
        creds,
        input.time,
        sdk_request,
        &hash,
        &mut SigningKeyCache::new(),
    );
    match (general, fixed) {
        (Ok(g), Ok(f)) => {
            let get = |name: &str| {
                g.headers
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            };
            assert_eq!(get("x-amz-date"), Some(f.amz_date));
            assert_eq!(get("authorization"), Some(f.authorization));
            assert_eq!(signer.url(), g.url);
        }
        (Err(g), Err(f)) => assert_eq!(g, f),
        (g, f) => panic!("general {g:?} but fixed {f:?}"),
    }
}

/// The `SignedHeaders=` value of an authorization header.
fn signed_headers_of(authorization: &str) -> &str {
    authorization
        .split_once("SignedHeaders=")
        .and_then(|(_, rest)| rest.split_once(','))
        .map_or("", |(list, _)| list)
}

/// Signing with `signed_headers` set to the names the default signs gives the default result.
fn listed_matches_default(req: &Request<'_>, creds: &Credentials, params: &SigningParams<'_>) {
    let default_params = SigningParams {
        signed_headers: None,
        ..*params
    };
    let Ok(default) = sign(req, creds, &default_params, &mut SigningKeyCache::new()) else {
        return;
    };
    let auth = &default.headers.last().expect("authorization header").1;
    let names: Vec<&str> = signed_headers_of(auth).split(';').collect();
    let listed_params = SigningParams {
        signed_headers: Some(&names),
        ..*params
    };
    let listed = sign(req, creds, &listed_params, &mut SigningKeyCache::new());
    assert_eq!(
        listed.as_ref(),
        Ok(&default),
        "listing the default names changes the result"
    );
}
