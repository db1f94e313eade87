//! Unit tests of the signer's parts (the public behaviour is also tested in tests/).

use super::canonical::{canonical_header_value, canonical_query, canonical_uri};
use super::key_cache::{hmac_sha256, CACHE_CAPACITY};
use super::*;
use crate::calendar::{MAX_UNIX, MIN_UNIX};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "SESSIONTOKEN-very-secret-value";
const T: i64 = 1_440_938_160; // 2015-08-30T12:36:00Z

fn creds(token: Option<&str>) -> Credentials {
    Credentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: SECRET.into(),
        session_token: token.map(str::to_string),
    }
}

fn sign_simple(
    url: &str,
    headers: &[(String, String)],
    token: Option<&str>,
) -> Result<Signed, SigningError> {
    let req = Request {
        method: "POST",
        url,
        headers,
        body: b"{}",
    };
    sign(
        &req,
        &creds(token),
        &SigningParams::new("us-east-1", "connect", T),
        &mut SigningKeyCache::new(),
    )
}

fn header<'a>(s: &'a Signed, name: &str) -> Vec<&'a str> {
    s.headers
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn h(n: &str, v: &str) -> (String, String) {
    (n.to_string(), v.to_string())
}

#[test]
fn suite_get_vanilla() {
    let req = Request {
        method: "GET",
        url: "https://example.amazonaws.com/",
        headers: &[],
        body: b"",
    };
    let mut p = SigningParams::new("us-east-1", "service", T);
    p.apply_checksum = false;
    let s = sign(&req, &creds(None), &p, &mut SigningKeyCache::new()).unwrap();
    assert_eq!(
        s.signature,
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
    assert_eq!(
        header(&s, "authorization"),
        ["AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"]
    );
    let names: Vec<&str> = s.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["host", "x-amz-date", "authorization"]);
}

#[test]
fn signing_key_matches_aws_documentation_example() {
    // From the AWS "Examples of how to derive a signing key" page.
    let k = derive_signing_key(SECRET, "20120215", "us-east-1", "iam");
    assert_eq!(
        hex::encode(k),
        "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
    );
}

#[test]
fn hmac_matches_rfc4231_case_6_long_key() {
    let key = [0xaau8; 131];
    let mac = hmac_sha256(
        &key,
        b"Test Using Larger Than Block-Size Key - Hash Key First",
    );
    assert_eq!(
        hex::encode(mac),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
}

#[test]
fn cache_hit_gives_same_key_and_result() {
    let mut cache = SigningKeyCache::new();
    let req = Request {
        method: "POST",
        url: "https://connect.us-east-1.amazonaws.com/x",
        headers: &[],
        body: b"{}",
    };
    let p = SigningParams::new("us-east-1", "connect", T);
    let a = sign(&req, &creds(None), &p, &mut cache).unwrap();
    let b = sign(&req, &creds(None), &p, &mut cache).unwrap();
    assert_eq!(a, b);
    assert_eq!((cache.len(), cache.hits(), cache.misses()), (1, 1, 1));
    // Same day, different time: still a hit, and matches a cold cache.
    let p2 = SigningParams::new("us-east-1", "connect", T + 3600);
    let warm = sign(&req, &creds(None), &p2, &mut cache).unwrap();
    let cold = sign(&req, &creds(None), &p2, &mut SigningKeyCache::new()).unwrap();
    assert_eq!(warm, cold);
    assert_eq!(cache.hits(), 2);
}

#[test]
fn cache_is_bounded_and_keeps_recent() {
    let mut cache = SigningKeyCache::new();
    for day in 0..20 {
        let date = format!("201508{:02}", day + 1);
        cache.get_or_derive(SECRET, &date, "us-east-1", "connect");
    }
    assert_eq!(cache.len(), CACHE_CAPACITY);
    let misses = cache.misses();
    cache.get_or_derive(SECRET, "20150820", "us-east-1", "connect");
    assert_eq!(
        cache.misses(),
        misses,
        "most recent entry must still be cached"
    );
    cache.get_or_derive(SECRET, "20150801", "us-east-1", "connect");
    assert_eq!(
        cache.misses(),
        misses + 1,
        "oldest entry must have been evicted"
    );
    assert_eq!(cache.len(), CACHE_CAPACITY);
}

#[test]
fn cache_keys_on_secret_day_region_service() {
    let mut cache = SigningKeyCache::new();
    let base = cache.get_or_derive(SECRET, "20150830", "us-east-1", "connect");
    let others = [
        cache.get_or_derive("other-secret", "20150830", "us-east-1", "connect"),
        cache.get_or_derive(SECRET, "20150831", "us-east-1", "connect"),
        cache.get_or_derive(SECRET, "20150830", "eu-west-2", "connect"),
        cache.get_or_derive(SECRET, "20150830", "us-east-1", "sts"),
    ];
    for k in others {
        assert_ne!(k, base);
    }
    assert_eq!(cache.len(), 5);
    assert_eq!(
        cache.get_or_derive(SECRET, "20150830", "us-east-1", "connect"),
        base
    );
    assert_eq!(
        base,
        derive_signing_key(SECRET, "20150830", "us-east-1", "connect")
    );
}

#[test]
fn format_dates() {
    assert_eq!(format_amz_date(T), "20150830T123600Z");
    assert_eq!(format_amz_date(0), "19700101T000000Z");
    assert_eq!(format_amz_date(-1), "19691231T235959Z");
    assert_eq!(format_amz_date(951_782_400), "20000229T000000Z");
    assert_eq!(format_amz_date(1_709_164_799), "20240228T235959Z");
    assert_eq!(format_amz_date(1_709_164_800), "20240229T000000Z");
    assert_eq!(format_amz_date(4_107_542_399), "21000228T235959Z");
    assert_eq!(format_amz_date(4_107_542_400), "21000301T000000Z"); // 2100 is not leap
    assert_eq!(format_amz_date(MAX_UNIX), "99991231T235959Z");
    assert_eq!(format_amz_date(MIN_UNIX), "00000101T000000Z");
    assert_eq!(format_amz_date(i64::MAX), "99991231T235959Z");
    assert_eq!(format_amz_date(i64::MIN), "00000101T000000Z");
}

#[test]
fn parse_and_format_round_trip() {
    let mut t = MIN_UNIX;
    while t < MAX_UNIX {
        assert_eq!(parse_signing_date(&format_amz_date(t)), Ok(t), "{t}");
        t += 86_400 * 37 + 3_601;
    }
}

#[test]
fn parse_accepted_forms() {
    for s in [
        "20150830T123600Z",
        "2015-08-30T12:36:00Z",
        "2015-08-30T12:36:00.000Z",
        "2015-08-30T12:36:00.999999999Z",
        "2015-08-30t12:36:00z",
        "2015-08-30 12:36:00Z",
        "2015-08-30T12:36:00+00:00",
        "2015-08-30T14:36:00+02:00",
        "2015-08-30T07:06:00-0530",
        "2015-08-30T13:36:00+01",
        "2015-08-30T12:36:00.5-00:00",
    ] {
        assert_eq!(parse_signing_date(s), Ok(T), "{s}");
    }
    assert_eq!(parse_signing_date("2000-02-29T00:00:00Z"), Ok(951_782_400));
    assert_eq!(parse_signing_date("1969-12-31T23:59:59Z"), Ok(-1));
}

#[test]
fn parse_rejects_bad_inputs() {
    for s in [
        "",
        "2015",
        "2015-08-30",
        "20150830T123600",
        "2015-08-30T12:36:00",
        "2015-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2015-13-01T00:00:00Z",
        "2015-00-01T00:00:00Z",
        "2015-04-31T00:00:00Z",
        "2015-08-30T24:00:00Z",
        "2015-08-30T12:60:00Z",
        "2015-08-30T12:36:60Z",
        "2015-08-30T12:36:00.Z",
        "2015-08-30T12:36:00.0000000000Z",
        "2015-08-30T12:36:00+24:00",
        "2015-08-30T12:36:00ZZ",
        " 2015-08-30T12:36:00Z",
        "2015-08-30T12:36:00Z ",
        "20150830T123600+0000",
        "2015-0830T12:36:00Z",
        "२०१५-08-30T12:36:00Z",
        "0000-01-01T00:00:00+00:01",
        "9999-12-31T23:59:59-00:01",
        "Sun, 30 Aug 2015 12:36:00 GMT",
    ] {
        assert!(
            matches!(parse_signing_date(s), Err(SigningError::InvalidTime { .. })),
            "{s:?} accepted"
        );
    }
    let long = "x".repeat(1000);
    match parse_signing_date(&long) {
        Err(SigningError::InvalidTime { input }) => assert!(input.len() < 80),
        other => panic!("{other:?}"),
    }
    // Cutting a long non-ASCII input must respect char boundaries.
    assert!(parse_signing_date(&"é".repeat(100)).is_err());
}

#[test]
fn session_token_header_is_added_signed_and_replaces_incoming() {
    let incoming = [
        h("X-Amz-Security-Token", "old"),
        h("X-Amz-Date", "19990101T000000Z"),
        h("Authorization", "x"),
    ];
    let s = sign_simple(
        "https://connect.us-east-1.amazonaws.com/",
        &incoming,
        Some(TOKEN),
    )
    .unwrap();
    assert_eq!(header(&s, "x-amz-security-token"), [TOKEN]);
    assert_eq!(header(&s, "x-amz-date"), ["20150830T123600Z"]);
    assert_eq!(header(&s, "authorization").len(), 1);
    assert!(s
        .canonical_request
        .contains(&format!("x-amz-security-token:{TOKEN}\n")));
    assert!(header(&s, "authorization")[0]
        .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"));
    // Without a token, an incoming token header is passed through and signed; an empty token is no token.
    let s = sign_simple("https://h.example/", &incoming, Some("")).unwrap();
    assert_eq!(header(&s, "x-amz-security-token"), ["old"]);
}

#[test]
fn host_header_rules() {
    let cases = [
        ("https://Example.COM/", "example.com"),
        ("https://example.com:443/", "example.com"),
        ("http://example.com:80/", "example.com"),
        ("https://example.com:80/", "example.com:80"),
        ("http://example.com:8080", "example.com:8080"),
        ("https://user:pw@example.com:8443/x?y#z", "example.com:8443"),
        ("https://[::1]:8443/", "[::1]:8443"),
        ("https://[::1]/", "[::1]"),
    ];
    for (url, host) in cases {
        let s = sign_simple(url, &[], None).unwrap();
        assert_eq!(header(&s, "host"), [host], "{url}");
    }
    let s = sign_simple(
        "https://example.com/a#frag",
        &[h("Host", "given.example")],
        None,
    )
    .unwrap();
    assert_eq!(header(&s, "host"), ["given.example"]);
    assert_eq!(s.url, "https://example.com/a");
}

#[test]
fn checksum_header_and_given_payload_hash() {
    let s = sign_simple("https://h.example/", &[], None).unwrap();
    assert_eq!(header(&s, "x-amz-content-sha256"), [sha256_hex(b"{}")]);
    assert!(s.canonical_request.ends_with(&sha256_hex(b"{}")));
    let s = sign_simple(
        "https://h.example/",
        &[h("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")],
        None,
    )
    .unwrap();
    assert_eq!(header(&s, "x-amz-content-sha256"), ["UNSIGNED-PAYLOAD"]);
    assert!(s.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
}

#[test]
fn unsignable_headers_pass_through_unsigned() {
    let hs = [
        h("User-Agent", "ua"),
        h("X-Amzn-Trace-Id", "t"),
        h("Content-Type", "application/json"),
    ];
    let s = sign_simple("https://h.example/", &hs, None).unwrap();
    assert_eq!(header(&s, "user-agent"), ["ua"]);
    assert!(!s.canonical_request.contains("user-agent"));
    assert!(!s.canonical_request.contains("x-amzn-trace-id"));
    assert!(s
        .canonical_request
        .contains("\ncontent-type;host;x-amz-content-sha256;x-amz-date\n"));
}

#[test]
fn canonical_query_and_path() {
    assert_eq!(canonical_query("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
    assert_eq!(
        canonical_query("a+b=c d&%7e=%zz&x=%2f"),
        "a%2Bb=c%20d&x=%2F&~=%25zz"
    );
    assert_eq!(canonical_query("&&a=1&"), "a=1");
    assert_eq!(canonical_query("k=a=b"), "k=a%3Db");
    assert_eq!(canonical_uri("", true, true), "/");
    assert_eq!(canonical_uri("/a/./b/../c//d/", true, true), "/a/c/d/");
    assert_eq!(canonical_uri("/../..", true, true), "/");
    assert_eq!(canonical_uri("/a%2Fb/é", true, true), "/a%252Fb/%C3%A9");
    assert_eq!(canonical_uri("/a//b/../", false, true), "/a//b/../");
    assert_eq!(canonical_uri("/a b//c", false, false), "/a b//c");
    let mut v = String::new();
    canonical_header_value(" \t a \t\t b  c \t", &mut v);
    assert_eq!(v, "a b c");
}

#[test]
fn rejects_invalid_inputs_with_clear_errors() {
    let url = "https://h.example/";
    let err = |r: Result<Signed, SigningError>| r.unwrap_err();
    assert!(matches!(
        err(sign_simple("ftp://h/", &[], None)),
        SigningError::InvalidUrl { .. }
    ));
    assert!(matches!(
        err(sign_simple("h.example/x", &[], None)),
        SigningError::InvalidUrl { .. }
    ));
    assert!(matches!(
        err(sign_simple("https:///x", &[], None)),
        SigningError::InvalidUrl { .. }
    ));
    assert!(matches!(
        err(sign_simple("https://h:99999/", &[], None)),
        SigningError::InvalidUrl { .. }
    ));
    assert!(matches!(
        err(sign_simple("https://h:x/", &[], None)),
        SigningError::InvalidUrl { .. }
    ));
    assert!(matches!(
        err(sign_simple("https://h\n/", &[], None)),
        SigningError::InvalidUrl { .. }
    ));
    assert!(matches!(
        err(sign_simple("https://[::1/", &[], None)),
        SigningError::InvalidUrl { .. }
    ));
    assert!(matches!(
        err(sign_simple("https://hé.example/", &[], None)),
        SigningError::InvalidUrl { .. }
    ));
    assert!(matches!(
        err(sign_simple(url, &[h("bad name", "v")], None)),
        SigningError::InvalidHeaderName { .. }
    ));
    assert!(matches!(
        err(sign_simple(url, &[h("", "v")], None)),
        SigningError::InvalidHeaderName { .. }
    ));
    assert!(matches!(
        err(sign_simple(url, &[h("x", "a\r\nb: c")], None)),
        SigningError::InvalidHeaderValue { .. }
    ));
    assert!(matches!(
        err(sign_simple(url, &[h("x", "a\0")], None)),
        SigningError::InvalidHeaderValue { .. }
    ));
    assert!(matches!(
        err(sign_simple(url, &[], Some("tok\nen"))),
        SigningError::InvalidHeaderValue { .. }
    ));
    let req = Request {
        method: "GE T",
        url,
        headers: &[],
        body: b"",
    };
    let p = SigningParams::new("us-east-1", "connect", T);
    let mut cache = SigningKeyCache::new();
    assert_eq!(
        sign(&req, &creds(None), &p, &mut cache),
        Err(SigningError::InvalidMethod)
    );
    let req = Request {
        method: "GET",
        ..req
    };
    let mut c = creds(None);
    c.access_key_id.clear();
    assert_eq!(
        sign(&req, &c, &p, &mut cache),
        Err(SigningError::MissingCredentials {
            field: "access_key_id"
        })
    );
    let mut c = creds(None);
    c.secret_access_key.clear();
    assert_eq!(
        sign(&req, &c, &p, &mut cache),
        Err(SigningError::MissingCredentials {
            field: "secret_access_key"
        })
    );
    let mut c = creds(None);
    c.access_key_id = "AKID/x".into();
    assert_eq!(
        sign(&req, &c, &p, &mut cache),
        Err(SigningError::InvalidAccessKeyId)
    );
    let bad = |region, service, time| {
        sign(
            &req,
            &creds(None),
            &SigningParams::new(region, service, time),
            &mut SigningKeyCache::new(),
        )
    };
    assert_eq!(bad("", "connect", T), Err(SigningError::MissingRegion));
    assert_eq!(bad("us-east-1", "", T), Err(SigningError::MissingService));
    assert_eq!(
        bad("us east", "connect", T),
        Err(SigningError::InvalidScope { field: "region" })
    );
    assert_eq!(
        bad("us-east-1", "con/nect", T),
        Err(SigningError::InvalidScope { field: "service" })
    );
    assert!(matches!(
        bad("us-east-1", "connect", MAX_UNIX + 1),
        Err(SigningError::InvalidTime { .. })
    ));
    assert!(matches!(
        bad("us-east-1", "connect", i64::MIN),
        Err(SigningError::InvalidTime { .. })
    ));
}

#[test]
fn secrets_never_leak() {
    let c = creds(Some(TOKEN));
    let dbg = format!("{c:?}");
    assert!(
        !dbg.contains(SECRET) && !dbg.contains(TOKEN) && dbg.contains("AKIDEXAMPLE"),
        "{dbg}"
    );
    let mut cache = SigningKeyCache::new();
    let req = Request {
        method: "POST",
        url: "https://h.example/p?q=1",
        headers: &[],
        body: b"{}",
    };
    let p = SigningParams::new("us-east-1", "connect", T);
    let s = sign(&req, &c, &p, &mut cache).unwrap();
    let key_hex = hex::encode(derive_signing_key(
        SECRET,
        "20150830",
        "us-east-1",
        "connect",
    ));
    let dbg_cache = format!("{cache:?}");
    assert!(
        !dbg_cache.contains(&key_hex) && !dbg_cache.contains(SECRET),
        "{dbg_cache}"
    );
    let secret_hash = sha256_hex(SECRET.as_bytes());
    for text in [
        &s.method,
        &s.url,
        &s.canonical_request,
        &s.string_to_sign,
        &s.signature,
        &format!("{s:?}"),
    ] {
        assert!(!text.contains(SECRET) && !text.contains(&key_hex) && !text.contains(&secret_hash));
    }
    for (n, v) in &s.headers {
        assert!(!v.contains(SECRET) && !v.contains(&key_hex), "{n}");
    }
    // Errors never carry the secret or token, even when they are what is wrong.
    let mut bad = c.clone();
    bad.session_token = Some(format!("{TOKEN}\r\n"));
    let e = sign(&req, &bad, &p, &mut cache).unwrap_err();
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(TOKEN) && !shown.contains(SECRET), "{shown}");
    for e in [
        SigningError::MissingCredentials {
            field: "secret_access_key",
        },
        SigningError::InvalidAccessKeyId,
        SigningError::InvalidHeaderValue { name: "x".into() },
    ] {
        assert!(!e.to_string().contains(SECRET));
    }
}

/// The `SignedHeaders=` value of a signed request's authorization header.
fn signed_headers_of(s: &Signed) -> String {
    let auth = header(s, "authorization")[0];
    let start = auth.find("SignedHeaders=").unwrap() + "SignedHeaders=".len();
    let end = start + auth[start..].find(',').unwrap();
    auth[start..end].to_string()
}

fn sign_only(headers: &[(String, String)], only: &[&str]) -> Result<Signed, SigningError> {
    let req = Request {
        method: "POST",
        url: "https://h.example/p",
        headers,
        body: b"{}",
    };
    let mut p = SigningParams::new("us-east-1", "connect", T);
    p.signed_headers = Some(only);
    sign(&req, &creds(None), &p, &mut SigningKeyCache::new())
}

#[test]
fn signed_headers_signs_exactly_the_list_including_unsignable_names() {
    let hs = [
        h("Cache-Control", "no-cache"),
        h("Pragma", "no-cache"),
        h("From", "a@b.example"),
        h("Referer", "https://r.example/"),
        h("Max-Forwards", "10"),
        h("User-Agent", "ua"),
        h("X-Custom", " a   b "),
    ];
    let only = [
        "referer",
        "cache-control",
        "pragma",
        "max-forwards",
        "from",
        "host",
        "x-amz-date",
        "x-amz-content-sha256",
    ];
    let s = sign_only(&hs, &only).unwrap();
    assert_eq!(
        signed_headers_of(&s),
        "cache-control;from;host;max-forwards;pragma;referer;x-amz-content-sha256;x-amz-date"
    );
    assert!(s.canonical_request.contains(
        "\ncache-control:no-cache\nfrom:a@b.example\nhost:h.example\nmax-forwards:10\n\
         pragma:no-cache\nreferer:https://r.example/\nx-amz-content-sha256:"
    ));
    // Headers not listed are sent but not signed, whether signable or not.
    assert!(!s.canonical_request.contains("x-custom"));
    assert!(!s.canonical_request.contains("user-agent"));
    assert_eq!(header(&s, "x-custom"), [" a   b "]);
    // The same request without the list signs the default set: a different signature.
    let default = sign_simple("https://h.example/p", &hs, None).unwrap();
    assert_eq!(
        signed_headers_of(&default),
        "host;x-amz-content-sha256;x-amz-date;x-custom"
    );
    assert_ne!(default.signature, s.signature);
}

#[test]
fn signed_headers_equal_to_the_default_set_gives_the_default_result() {
    let hs = [
        h("X-B", "2"),
        h("x-a", "1"),
        h("X-B", " 3 "),
        h("User-Agent", "ua"),
        h("Content-Type", "application/json"),
    ];
    let default = sign_simple("https://h.example/p", &hs, Some(TOKEN)).unwrap();
    let list = signed_headers_of(&default);
    assert_eq!(
        list,
        "content-type;host;x-a;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-b"
    );
    let names: Vec<&str> = list.split(';').collect();
    let req = Request {
        method: "POST",
        url: "https://h.example/p",
        headers: &hs,
        body: b"{}",
    };
    let mut p = SigningParams::new("us-east-1", "connect", T);
    p.signed_headers = Some(&names);
    let listed = sign(&req, &creds(Some(TOKEN)), &p, &mut SigningKeyCache::new()).unwrap();
    assert_eq!(listed, default);
    // Repeated values keep request order.
    assert!(listed.canonical_request.contains("\nx-b:2,3\n"));
}

#[test]
fn signed_headers_are_matched_case_insensitively_sorted_and_deduplicated() {
    let hs = [h("X-One", "1"), h("x-two", "2")];
    let s = sign_only(
        &hs,
        &["X-TWO", "Host", "x-one", "host", "X-Amz-Date", "x-one"],
    )
    .unwrap();
    assert_eq!(signed_headers_of(&s), "host;x-amz-date;x-one;x-two");
    assert!(s
        .canonical_request
        .contains("\nhost:h.example\nx-amz-date:20150830T123600Z\nx-one:1\nx-two:2\n\n"));
    // An empty list signs no header at all (a verifier decides whether that is acceptable).
    let s = sign_only(&hs, &[]).unwrap();
    assert_eq!(signed_headers_of(&s), "");
}

#[test]
fn signed_headers_naming_an_absent_header_is_an_error_naming_it() {
    let hs = [h("X-One", "1")];
    for (only, missing) in [
        (&["host", "x-one", "cache-control"][..], "cache-control"),
        (&["a", "host"][..], "a"),
        (&["zz"][..], "zz"),
        (&["Pragma"][..], "Pragma"),
        (&[""][..], ""),
        // The incoming authorization is replaced, never signed.
        (&["authorization", "host"][..], "authorization"),
    ] {
        let e = sign_only(&hs, only).unwrap_err();
        assert_eq!(
            e,
            SigningError::MissingSignedHeader {
                name: missing.to_string()
            },
            "{only:?}"
        );
        assert_eq!(e.variant(), "MissingSignedHeader");
    }
    assert_eq!(
        SigningError::MissingSignedHeader {
            name: "cache-control".into()
        }
        .to_string(),
        "signed header \"cache-control\" is not in the request: every name in signed_headers \
         must be a header of the request"
    );
    // Header checks still come first.
    assert!(matches!(
        sign_only(&[h("x", "a\nb")], &["zz"]),
        Err(SigningError::InvalidHeaderValue { .. })
    ));
}

#[test]
fn many_repeated_and_distinct_headers_are_merged_in_order() {
    // The verifier amplification shape (issue 16): one name listed 1000 times, 1000 values.
    let hs: Vec<(String, String)> = (0..1000).map(|i| h("a", &i.to_string())).collect();
    let only = vec!["a"; 1000];
    let s = sign_only(&hs, &only).unwrap();
    let values: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
    let line = format!("\na:{}\n\n", values.join(","));
    assert!(s.canonical_request.contains(&line));
    assert_eq!(signed_headers_of(&s), "a");
    // Many distinct names, given in reverse order: sorted in the canonical request.
    let hs: Vec<(String, String)> = (0..5000)
        .rev()
        .map(|i| h(&format!("x-h{i:05}"), "v"))
        .collect();
    let s = sign_simple("https://h.example/", &hs, None).unwrap();
    let names: Vec<&str> = s
        .canonical_request
        .lines()
        .filter_map(|l| l.strip_prefix("x-h"))
        .collect();
    assert_eq!(names.len(), 5000);
    assert!(names.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn messages_quote_names_as_debug_does_for_ascii() {
    // `Quoted` stands in for `{:?}` (which the browser build compiles to nothing).
    let all_ascii: String = (0u8..=0x7f).map(char::from).collect();
    for name in [all_ascii.as_str(), "", "x-amz-date", "a'b", "\"\\"] {
        let e = SigningError::InvalidHeaderName {
            name: name.to_string(),
        };
        let want = format!(
            "invalid header name {name:?}: must be a non-empty token (letters, digits, !#$%&'*+-.^_`|~)"
        );
        assert_eq!(e.to_string(), want);
    }
    // Beyond ASCII, names are shown as they are.
    let e = SigningError::MissingSignedHeader {
        name: "é\u{85}".into(),
    };
    assert!(e
        .to_string()
        .starts_with("signed header \"é\u{85}\" is not"));
}
