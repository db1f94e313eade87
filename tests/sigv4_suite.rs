//! Runs the vendored public AWS SigV4 test suite (tests/fixtures/sigv4, see SOURCES.md)
//! against `connect_chat_events::sigv4::sign`.

use connect_chat_events::sigv4::{
    parse_signing_date, sign, Credentials, Request, SigningKeyCache, SigningParams,
};
use std::path::{Path, PathBuf};

/// Number of vendored cases; the test fails if fewer are found, so a lost fixture is noticed.
const EXPECTED_CASES: usize = 41;

struct RawRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Parses a raw HTTP/1.1 request as written in the suite: request line, header lines
/// (a line starting with whitespace continues the previous header and becomes one more
/// value of it, which is how the suite's `get-header-value-multiline` expects it to be
/// signed: `value1,value2,value3`), a blank line, then the body.
fn parse_raw(text: &str) -> RawRequest {
    let (head, body) = match text.split_once("\n\n") {
        Some((h, b)) => (h, b),
        None => (text.trim_end_matches('\n'), ""),
    };
    let mut lines = head.split('\n');
    let request_line = lines.next().expect("request line");
    let (method, rest) = request_line.split_once(' ').expect("method");
    let target = rest.rsplit_once(" HTTP/").map_or(rest, |(t, _)| t);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with(' ') || line.starts_with('\t') {
            let name = headers
                .last()
                .expect("continuation after a header")
                .0
                .clone();
            headers.push((name, line.trim().to_string()));
        } else if let Some((n, v)) = line.split_once(':') {
            headers.push((n.to_string(), v.to_string()));
        } else {
            panic!("bad header line {line:?}");
        }
    }
    RawRequest {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn read(dir: &Path, name: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(name)).ok()
}

fn run_case(dir: &Path, cache: &mut SigningKeyCache) -> Result<(), String> {
    let ctx: serde_json::Value =
        serde_json::from_str(&read(dir, "context.json").ok_or("missing context.json")?)
            .map_err(|e| e.to_string())?;
    let signed_request = read(dir, "header-signed-request.txt");
    let raw_text = match read(dir, "request.txt") {
        Some(t) => t,
        None => signed_request
            .clone()
            .ok_or("neither request.txt nor header-signed-request.txt")?,
    };
    let mut raw = parse_raw(&raw_text);
    let host = raw
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim().to_string())
        .ok_or("request has no Host header")?;
    if let Some(v) = ctx["signed_body_value"].as_str() {
        if !raw
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("x-amz-content-sha256"))
        {
            raw.headers
                .push(("x-amz-content-sha256".to_string(), v.to_string()));
        }
    }
    let url = format!("https://{host}{}", raw.target);
    let c = &ctx["credentials"];
    let creds = Credentials {
        access_key_id: c["access_key_id"]
            .as_str()
            .ok_or("no access key")?
            .to_string(),
        secret_access_key: c["secret_access_key"]
            .as_str()
            .ok_or("no secret")?
            .to_string(),
        session_token: c["token"].as_str().map(str::to_string),
    };
    let time = parse_signing_date(ctx["timestamp"].as_str().ok_or("no timestamp")?)
        .map_err(|e| e.to_string())?;
    let mut params = SigningParams::new(
        ctx["region"].as_str().ok_or("no region")?,
        ctx["service"].as_str().ok_or("no service")?,
        time,
    );
    params.normalize_path = ctx["normalize"].as_bool().unwrap_or(true);
    params.apply_checksum = ctx["sign_body"].as_bool().unwrap_or(false);
    let req = Request {
        method: &raw.method,
        url: &url,
        headers: &raw.headers,
        body: &raw.body,
    };
    let signed = sign(&req, &creds, &params, cache).map_err(|e| format!("sign failed: {e}"))?;

    let mut checked = 0;
    if let Some(expected) = read(dir, "header-canonical-request.txt") {
        let expected = expected.trim_end_matches('\n');
        if signed.canonical_request != expected {
            return Err(format!(
                "canonical request differs\n--- expected\n{expected}\n--- actual\n{}",
                signed.canonical_request
            ));
        }
        checked += 1;
    }
    if let Some(expected) = read(dir, "header-string-to-sign.txt") {
        let expected = expected.trim_end_matches('\n');
        if signed.string_to_sign != expected {
            return Err(format!(
                "string to sign differs\n--- expected\n{expected}\n--- actual\n{}",
                signed.string_to_sign
            ));
        }
        checked += 1;
    }
    if let Some(expected) = read(dir, "header-signature.txt") {
        if signed.signature != expected.trim() {
            return Err(format!(
                "signature differs: expected {} got {}",
                expected.trim(),
                signed.signature
            ));
        }
        checked += 1;
    }
    if let Some(sreq) = signed_request {
        let expected_auth = parse_raw(&sreq)
            .headers
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v)
            .ok_or("signed request has no Authorization")?;
        let actual_auth = signed
            .headers
            .iter()
            .find(|(n, _)| n == "authorization")
            .map(|(_, v)| v.clone())
            .ok_or("no authorization header produced")?;
        if actual_auth != expected_auth {
            return Err(format!(
                "authorization differs\n expected {expected_auth}\n actual   {actual_auth}\n canonical request:\n{}",
                signed.canonical_request
            ));
        }
        checked += 1;
    }
    if checked == 0 {
        return Err("no expected output file".to_string());
    }
    Ok(())
}

#[test]
fn aws_sigv4_test_suite() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sigv4");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= EXPECTED_CASES,
        "found {} SigV4 suite cases in {}, expected at least {EXPECTED_CASES}",
        dirs.len(),
        root.display()
    );
    let mut cache = SigningKeyCache::new();
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Err(e) = run_case(dir, &mut cache) {
            failures.push(format!("[{name}] {e}"));
        }
    }
    // One derived key serves every case (same secret, day, region, service).
    assert_eq!(cache.len(), 1);
    assert!(
        failures.is_empty(),
        "{} of {} suite cases failed:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}

#[test]
fn debug_canonical_request_redacts_only_the_session_token() {
    use connect_chat_events::sigv4::{sign, Credentials, Request, SigningKeyCache, SigningParams};
    let creds = Credentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        session_token: Some("TOKEN-VALUE-123".into()),
    };
    let headers = vec![(
        "x-note".to_string(),
        "x-amz-security-token:not-a-header-line".to_string(),
    )];
    let req = Request {
        method: "POST",
        url: "https://example.amazonaws.com/",
        headers: &headers,
        body: b"{}",
    };
    let signed = sign(
        &req,
        &creds,
        &SigningParams::new("us-east-1", "connect", 1_440_938_160),
        &mut SigningKeyCache::new(),
    )
    .unwrap();
    assert!(signed
        .canonical_request
        .contains("x-amz-security-token:TOKEN-VALUE-123"));
    let redacted = signed.canonical_request_redacted();
    assert!(!redacted.contains("TOKEN-VALUE-123"), "{redacted}");
    assert!(
        redacted.contains("\nx-amz-security-token:<redacted>\n"),
        "{redacted}"
    );
    // Every other line is unchanged, including a header value that merely mentions the token name.
    assert!(
        redacted.contains("\nx-note:x-amz-security-token:not-a-header-line\n"),
        "{redacted}"
    );
    assert_eq!(
        redacted.lines().count(),
        signed.canonical_request.lines().count()
    );
    let same: Vec<_> = signed
        .canonical_request
        .lines()
        .zip(redacted.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(same.len(), 1);
}

#[test]
fn signing_error_messages() {
    use connect_chat_events::sigv4::SigningError;
    let cases = [
        (
            SigningError::InvalidUrl {
                reason: "host is empty",
            },
            "invalid URL: host is empty",
        ),
        (
            SigningError::InvalidMethod,
            "invalid HTTP method: must be a non-empty token (letters, digits, !#$%&'*+-.^_`|~)",
        ),
        (
            SigningError::InvalidHeaderName {
                name: "bad name".into(),
            },
            "invalid header name \"bad name\": must be a non-empty token (letters, digits, !#$%&'*+-.^_`|~)",
        ),
        (
            SigningError::InvalidHeaderName {
                name: "a\"b\\c\r\n\t\0\u{1}é".into(),
            },
            "invalid header name \"a\\\"b\\\\c\\r\\n\\t\\0\\u{1}é\": must be a non-empty token (letters, digits, !#$%&'*+-.^_`|~)",
        ),
        (
            SigningError::InvalidHeaderValue {
                name: "x-amz-security-token".into(),
            },
            "invalid value for header \"x-amz-security-token\": control characters other than tab (CR, LF, NUL, ...) are not allowed",
        ),
        (
            SigningError::InvalidTime {
                input: "2015-02-29T00:00:00Z".into(),
            },
            "invalid signing time \"2015-02-29T00:00:00Z\": expected an ISO 8601 UTC time such as 20150830T123600Z or 2015-08-30T12:36:00Z, in years 0000-9999",
        ),
        (
            SigningError::MissingRegion,
            "missing signing region: it must be non-empty",
        ),
        (
            SigningError::MissingService,
            "missing signing service name: it must be non-empty",
        ),
        (
            SigningError::InvalidScope { field: "region" },
            "invalid signing region: only letters, digits, '-', '_' and '.' are allowed",
        ),
        (
            SigningError::MissingCredentials {
                field: "secret_access_key",
            },
            "missing credentials: secret_access_key must be non-empty",
        ),
        (
            SigningError::InvalidAccessKeyId,
            "invalid access_key_id: only visible ASCII without '/', ',' and '=' is allowed",
        ),
    ];
    for (e, want) in cases {
        assert_eq!(e.message(), want, "{}", e.variant());
        assert_eq!(e.to_string(), want, "{}", e.variant());
    }
}

#[test]
fn signing_error_texts_from_sign_and_parse() {
    use connect_chat_events::sigv4::SigningError;
    // Out-of-range signing times are reported as their integer text.
    let req = Request {
        method: "GET",
        url: "https://h.example:8443/",
        headers: &[],
        body: b"",
    };
    let creds = Credentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "secret".into(),
        session_token: None,
    };
    for (t, text) in [
        (i64::MIN, "-9223372036854775808"),
        (253_402_300_800, "253402300800"),
        (-62_167_219_201, "-62167219201"),
    ] {
        let e = sign(
            &req,
            &creds,
            &SigningParams::new("us-east-1", "connect", t),
            &mut SigningKeyCache::new(),
        )
        .unwrap_err();
        assert_eq!(e, SigningError::InvalidTime { input: text.into() });
    }
    // A long input is cut to 64 bytes plus "..." and quoted.
    let long = format!("{}\"", "9".repeat(70));
    assert_eq!(
        parse_signing_date(&long).unwrap_err().message(),
        format!(
            "invalid signing time \"{}...\": expected an ISO 8601 UTC time such as 20150830T123600Z or 2015-08-30T12:36:00Z, in years 0000-9999",
            "9".repeat(64)
        )
    );
    // Non-default ports stay in the host header.
    let s = sign(
        &req,
        &creds,
        &SigningParams::new("us-east-1", "connect", 0),
        &mut SigningKeyCache::new(),
    )
    .unwrap();
    assert!(s
        .headers
        .contains(&("host".into(), "h.example:8443".into())));
    assert!(s
        .headers
        .contains(&("x-amz-date".into(), "19700101T000000Z".into())));
}
