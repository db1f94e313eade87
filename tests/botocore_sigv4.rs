//! Differential test: ~300 deterministic pseudo-random requests signed by our signer and by
//! botocore's `SigV4Auth` (tests/diff/botocore_sigv4.py) must give identical canonical
//! requests, strings to sign and signatures.
//!
//! The generator stays on the ground where botocore, the AWS JS SDK v3 and aws-c-auth agree,
//! because botocore legitimately differs elsewhere:
//! - Query: botocore signs the query exactly as written (split on `&`/`=`, sorted, no
//!   decoding or re-encoding), while the JS SDK and aws-c-auth decode and re-encode. So
//!   queries are generated already in canonical form (unreserved bytes literal, every other
//!   byte `%XX` upper-case): no `+`, no lower-case escapes, no raw reserved characters, no
//!   empty `&&` pairs.
//! - Unsigned headers: botocore skips a different list (it also skips `proxy-*`, `baggage`,
//!   `traceparent`, `tracestate`, and signs `cache-control`, `from`, `max-forwards`,
//!   `pragma`, `referer`); only names outside both lists, or inside both (`user-agent`,
//!   `x-amzn-trace-id`, `expect`), are generated. `date` is not generated (botocore rewrites it).
//! - Header values: botocore folds every Unicode whitespace (`str.split()`), the JS SDK `\s`;
//!   we fold only space and tab and reject control characters. Values are printable ASCII
//!   with spaces and tabs.
//! - Repeated header names: botocore's `AWSRequest` keeps one value per name; the Python side
//!   passes the value botocore's `canonical_headers` builds from several values (each value
//!   trimmed and folded, joined with `,`).
//! - Method: botocore upper-cases it; we sign it as given. Methods are upper-case.
//! - Payload: SigV4Auth adds no `x-amz-content-sha256` header; when `apply_checksum` is on the
//!   Python side adds the body hash as that header (which SigV4Auth then uses, as we do).

use connect_chat_events::sigv4::{
    sign, Credentials, Request, SigningKeyCache, SigningParams, UNSIGNABLE_HEADERS,
};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const CASES: usize = 300;

/// xorshift64* — small, deterministic, good enough to vary test inputs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn pct_encode_canonical(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

struct Case {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    region: String,
    service: String,
    time: i64,
    creds: Credentials,
    apply_checksum: bool,
}

fn gen_value(rng: &mut Rng) -> String {
    let mut v = String::new();
    for _ in 0..rng.below(3) {
        v.push(if rng.chance(70) { ' ' } else { '\t' });
    }
    for _ in 0..rng.below(20) {
        match rng.below(10) {
            0 => v.push(' '),
            1 => v.push_str("  \t "),
            _ => v.push(char::from(0x21 + rng.below(0x5e) as u8)),
        }
    }
    for _ in 0..rng.below(3) {
        v.push(' ');
    }
    v
}

fn gen_case(rng: &mut Rng) -> Case {
    let method = rng
        .pick(&["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
        .to_string();
    let scheme = if rng.chance(85) { "https" } else { "http" };
    let host = rng.pick(&[
        "connect.us-east-1.amazonaws.com",
        "Connect.EU-West-2.amazonaws.com",
        "example.amazonaws.com",
        "localhost",
        "127.0.0.1",
        "my-api.execute-api.ap-southeast-2.amazonaws.com",
    ]);
    let userinfo = if rng.chance(5) { "user:pw@" } else { "" };
    let port = rng.pick(&["", "", "", ":443", ":80", ":8443", ":4566"]);
    let mut path = String::new();
    for _ in 0..rng.below(5) {
        path.push('/');
        path.push_str(rng.pick(&[
            "chat-integration-event",
            "a",
            "b",
            "foo bar",
            "%2F",
            "%20x",
            "%zz",
            "é",
            "ሴ",
            "😀",
            "..",
            ".",
            "",
            "x~y",
            "a+b",
            "a=b",
            "a:b",
            "@",
            "!$&'()*,;",
            "-_.",
            "UPPER",
            "100%",
        ]));
    }
    if rng.chance(20) {
        path.push('/');
    }
    let mut query = String::new();
    if rng.chance(50) {
        let n = 1 + rng.below(4);
        for i in 0..n {
            if i > 0 {
                query.push('&');
            }
            let k = rng.pick(&[
                "a", "b", "Param1", "param1", "x-y", "k e", "ሴ", "=", "&", "+", "~z", "A",
            ]);
            query.push_str(&pct_encode_canonical(k));
            if rng.chance(85) {
                query.push('=');
                let v = rng.pick(&[
                    "",
                    "1",
                    "value",
                    "Value",
                    "a b",
                    "a+b",
                    "/?#",
                    "ሴ",
                    "%",
                    "2015-08-30T12:36:00Z",
                ]);
                query.push_str(&pct_encode_canonical(v));
            }
        }
    }
    let fragment = if rng.chance(5) { "#frag" } else { "" };
    let sep = if query.is_empty() && !rng.chance(10) {
        ""
    } else {
        "?"
    };
    let url = format!("{scheme}://{userinfo}{host}{port}{path}{sep}{query}{fragment}");

    let mut headers = Vec::new();
    for _ in 0..rng.below(6) {
        let name = rng.pick(&[
            "X-Custom",
            "x-custom",
            "X-Foo-Bar",
            "Content-Type",
            "accept",
            "X-Amz-Target",
            "x-amz-user-agent",
            "amz-sdk-invocation-id",
            "amz-sdk-request",
            "User-Agent",
            "X-Amzn-Trace-Id",
            "Expect",
            "content-length",
            "X-Amz-Date",
            "Authorization",
            "x-amz-meta-Thing",
        ]);
        headers.push((name.to_string(), gen_value(rng)));
    }
    if rng.chance(10) {
        headers.push(("Host".to_string(), "custom.host.example".to_string()));
    }
    if rng.chance(8) {
        headers.push((
            "x-amz-content-sha256".to_string(),
            "UNSIGNED-PAYLOAD".to_string(),
        ));
    }
    if rng.chance(10) {
        headers.push((
            "X-Amz-Security-Token".to_string(),
            "stale-token".to_string(),
        ));
    }
    let body: Vec<u8> = if rng.chance(30) {
        Vec::new()
    } else {
        (0..rng.below(80)).map(|_| rng.next() as u8).collect()
    };
    let region = rng
        .pick(&[
            "us-east-1",
            "eu-west-2",
            "ap-southeast-2",
            "us-gov-west-1",
            "cn-north-1",
        ])
        .to_string();
    let service = rng
        .pick(&["connect", "service", "execute-api", "sts", "s3-outposts"])
        .to_string();
    // 2000-01-01 .. ~2100, plus leap days.
    let time = if rng.chance(10) {
        rng.pick(&["951782400", "1078012800", "1709208000", "4107542399"])
            .parse()
            .unwrap()
    } else {
        946_684_800 + (rng.next() % 3_155_760_000) as i64
    };
    let key_id: String = (0..16)
        .map(|_| char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[rng.below(32)]))
        .collect();
    let secret: String = (0..40)
        .map(|_| {
            char::from(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[rng.below(64)],
            )
        })
        .collect();
    let session_token = if rng.chance(40) {
        Some(
            (0..(20 + rng.below(200)))
                .map(|_| char::from(b"ABCDEFabcdef0123456789+/="[rng.below(25)]))
                .collect(),
        )
    } else {
        None
    };
    Case {
        method,
        url,
        headers,
        body,
        region,
        service,
        time,
        creds: Credentials {
            access_key_id: format!("AKIA{key_id}"),
            secret_access_key: secret,
            session_token,
        },
        apply_checksum: rng.chance(50),
    }
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("BOTOCORE_PYTHON") {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tools/venv/bin/python")
}

/// What botocore's SigV4Auth gives for `cases` (tests/diff/botocore_sigv4.py), in order.
fn botocore_sign(py: &PathBuf, cases: &[Case]) -> Vec<serde_json::Value> {
    let input: Vec<serde_json::Value> = cases
        .iter()
        .map(|c| {
            serde_json::json!({
                "method": c.method,
                "url": c.url,
                "headers": c.headers.iter().map(|(n, v)| [n, v]).collect::<Vec<_>>(),
                "body_b64": base64(&c.body),
                "region": c.region,
                "service": c.service,
                "time": c.time,
                "access_key": c.creds.access_key_id,
                "secret": c.creds.secret_access_key,
                "token": c.creds.session_token,
                "apply_checksum": c.apply_checksum,
            })
        })
        .collect();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/diff/botocore_sigv4.py");
    let mut child = Command::new(py)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; run scripts/setup.sh", py.display()));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(serde_json::to_string(&input).expect("json").as_bytes())
        .expect("write cases");
    let out = child.wait_with_output().expect("python output");
    assert!(
        out.status.success(),
        "botocore oracle failed (is botocore installed? run scripts/setup.sh): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("oracle JSON");
    assert_eq!(results.len(), cases.len());
    results
}

#[test]
fn matches_botocore_sigv4auth() {
    let py = python();
    assert!(
        py.exists(),
        "botocore python not found at {}: run scripts/setup.sh (installs botocore into .tools/venv) \
         or set BOTOCORE_PYTHON to a python with botocore",
        py.display()
    );
    let mut rng = Rng(0x5EED_0FC0_FFEE);
    let cases: Vec<Case> = (0..CASES).map(|_| gen_case(&mut rng)).collect();
    let results = botocore_sign(&py, &cases);

    let mut cache = SigningKeyCache::new();
    let mut failures = Vec::new();
    for (i, (case, expected)) in cases.iter().zip(&results).enumerate() {
        let mut params = SigningParams::new(&case.region, &case.service, case.time);
        params.apply_checksum = case.apply_checksum;
        let req = Request {
            method: &case.method,
            url: &case.url,
            headers: &case.headers,
            body: &case.body,
        };
        let ours = match sign(&req, &case.creds, &params, &mut cache) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!(
                    "case {i} ({} {}): our signer failed: {e}",
                    case.method, case.url
                ));
                continue;
            }
        };
        if let Some(err) = expected.get("error") {
            failures.push(format!(
                "case {i} ({} {}): botocore failed: {err}",
                case.method, case.url
            ));
            continue;
        }
        let auth = ours
            .headers
            .iter()
            .find(|(n, _)| n == "authorization")
            .map(|(_, v)| v.as_str());
        if expected["canonical_request"] != ours.canonical_request.as_str()
            || expected["string_to_sign"] != ours.string_to_sign.as_str()
            || expected["signature"] != ours.signature.as_str()
            || expected["authorization"].as_str() != auth
        {
            failures.push(format!(
                "case {i} ({} {}):\n--- botocore\n{}\n--- ours\n{}\n",
                case.method,
                case.url,
                expected["canonical_request"].as_str().unwrap_or("?"),
                ours.canonical_request
            ));
        }
    }
    let with_query = cases.iter().filter(|c| c.url.contains('?')).count();
    let with_token = cases
        .iter()
        .filter(|c| c.creds.session_token.is_some())
        .count();
    let with_dots = cases.iter().filter(|c| c.url.contains("/.")).count();
    eprintln!("botocore differential: {CASES} cases ({with_query} with query, {with_token} with session token, {with_dots} with dot segments); e.g. {}", cases[0].url);
    assert!(
        failures.is_empty(),
        "{} of {CASES} cases differ from botocore:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Headers botocore signs when present that the AWS JS SDK v3 (and so our default) never signs.
const BOTOCORE_ALSO_SIGNS: [&str; 5] =
    ["Cache-Control", "Pragma", "From", "Referer", "Max-Forwards"];

/// A verifier's view: re-signing a botocore-signed request with exactly the `SignedHeaders`
/// botocore lists (`SigningParams::signed_headers`) reproduces botocore's canonical request,
/// string to sign and signature, also when it signs headers in our `UNSIGNABLE_HEADERS`.
#[test]
fn signed_headers_list_reproduces_botocore_for_headers_we_do_not_sign_by_default() {
    const LISTED_CASES: usize = 80;
    let py = python();
    assert!(
        py.exists(),
        "botocore python not found at {}: run scripts/setup.sh or set BOTOCORE_PYTHON",
        py.display()
    );
    let mut rng = Rng(0xB070_C0DE_5167);
    let cases: Vec<Case> = (0..LISTED_CASES)
        .map(|_| {
            let mut case = gen_case(&mut rng);
            for name in BOTOCORE_ALSO_SIGNS {
                if rng.chance(60) {
                    case.headers.push((name.to_string(), gen_value(&mut rng)));
                }
            }
            case
        })
        .collect();
    let results = botocore_sign(&py, &cases);

    let mut cache = SigningKeyCache::new();
    let mut failures = Vec::new();
    let mut with_unsignable = 0;
    for (i, (case, expected)) in cases.iter().zip(&results).enumerate() {
        let Some(authorization) = expected["authorization"].as_str() else {
            failures.push(format!("case {i}: botocore failed: {}", expected["error"]));
            continue;
        };
        let listed: Vec<&str> = authorization
            .split_once("SignedHeaders=")
            .and_then(|(_, rest)| rest.split_once(','))
            .map(|(list, _)| list.split(';').collect())
            .expect("SignedHeaders in botocore's authorization");
        let mut params = SigningParams::new(&case.region, &case.service, case.time);
        params.apply_checksum = case.apply_checksum;
        params.signed_headers = Some(&listed);
        let req = Request {
            method: &case.method,
            url: &case.url,
            headers: &case.headers,
            body: &case.body,
        };
        let ours = match sign(&req, &case.creds, &params, &mut cache) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!(
                    "case {i} ({} {}): our signer failed: {e}",
                    case.method, case.url
                ));
                continue;
            }
        };
        let auth = ours
            .headers
            .iter()
            .find(|(n, _)| n == "authorization")
            .map(|(_, v)| v.as_str());
        if expected["canonical_request"] != ours.canonical_request.as_str()
            || expected["string_to_sign"] != ours.string_to_sign.as_str()
            || expected["signature"] != ours.signature.as_str()
            || Some(authorization) != auth
        {
            failures.push(format!(
                "case {i} ({} {}):\n--- botocore\n{}\n--- ours\n{}\n",
                case.method,
                case.url,
                expected["canonical_request"].as_str().unwrap_or("?"),
                ours.canonical_request
            ));
        }
        if listed.iter().any(|n| UNSIGNABLE_HEADERS.contains(n)) {
            with_unsignable += 1;
            // Without the list, these headers are left out: botocore's signature is not ours.
            params.signed_headers = None;
            let default = sign(&req, &case.creds, &params, &mut cache).expect("signable");
            assert_ne!(default.signature, ours.signature, "case {i}");
        }
    }
    assert!(
        with_unsignable >= LISTED_CASES / 2,
        "only {with_unsignable} of {LISTED_CASES} cases sign a header outside our default set"
    );
    assert!(
        failures.is_empty(),
        "{} of {LISTED_CASES} cases differ from botocore:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
