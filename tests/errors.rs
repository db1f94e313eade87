//! restJson1 error parsing tests (code sources, sanitization, messages, classification,
//! garbage bodies).

use connect_chat_events::errors::{
    is_success, parse_error, sanitize_error_code, Fault, ServiceError, BODY_EXCERPT_BYTES,
    MAX_PARSED_BODY_BYTES,
};
use connect_chat_events::value::{Map, Value};
use serde_json::json;

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn parse(status: u16, headers: &[(&str, &str)], body: &str) -> ServiceError {
    parse_error(status, &h(headers), body.as_bytes())
}

#[test]
fn header_wins_over_body_code_over_dunder_type() {
    let body = r#"{"code":"FromCode","__type":"FromType","message":"m"}"#;
    assert_eq!(
        parse(400, &[("x-amzn-ErrorType", "FromHeader")], body).code,
        "FromHeader"
    );
    assert_eq!(parse(400, &[], body).code, "FromCode");
    assert_eq!(parse(400, &[], r#"{"__type":"FromType"}"#).code, "FromType");
    // Header name matches in any case.
    for name in ["x-amzn-errortype", "X-AMZN-ERRORTYPE", "X-Amzn-ErrorType"] {
        assert_eq!(parse(400, &[(name, "H")], body).code, "H", "{name}");
    }
    // Body `code` key matches in any case (JS `findKey`), `__type` exactly.
    assert_eq!(parse(400, &[], r#"{"Code":"C1","__type":"T"}"#).code, "C1");
    assert_eq!(parse(400, &[], r#"{"CODE":"C2"}"#).code, "C2");
    assert_eq!(parse(400, &[], r#"{"__TYPE":"T"}"#).code, "UnknownError");
    // Numeric codes are stringified; non-scalar codes are skipped.
    assert_eq!(parse(400, &[], r#"{"code":42}"#).code, "42");
    assert_eq!(
        parse(400, &[], r#"{"code":{"a":1},"__type":"T"}"#).code,
        "T"
    );
    assert_eq!(parse(400, &[], r#"{"code":null,"__type":"T"}"#).code, "T");
    // An empty header or empty code falls through to the next source.
    assert_eq!(
        parse(400, &[("x-amzn-errortype", "  ")], r#"{"code":"C"}"#).code,
        "C"
    );
    assert_eq!(parse(400, &[], r#"{"code":"","__type":"T"}"#).code, "T");
}

#[test]
fn sanitization_examples() {
    let cases = [
        ("com.amazonaws.connect#ResourceNotFoundException", "ResourceNotFoundException"),
        ("InvalidRequestException:http://internal.amazon.com/coral/com.amazon.coral.validate/", "InvalidRequestException"),
        ("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError"),
        ("FooError", "FooError"),
        ("  ThrottlingException  ", "ThrottlingException"),
        ("ThrottlingException, ThrottlingException", "ThrottlingException"),
        ("a.b#c#AccessDeniedException", "AccessDeniedException"),
    ];
    for (raw, want) in cases {
        assert_eq!(sanitize_error_code(raw).as_deref(), Some(want), "{raw}");
        // Same result from each source.
        assert_eq!(parse(400, &[("x-amzn-errortype", raw)], "").code, want);
        let body = json!({ "code": raw }).to_string();
        assert_eq!(parse(400, &[], &body).code, want);
        let body = json!({ "__type": raw }).to_string();
        assert_eq!(parse(400, &[], &body).code, want);
    }
    assert_eq!(sanitize_error_code(""), None);
    assert_eq!(sanitize_error_code(":x"), None);
    assert_eq!(sanitize_error_code("ns#"), None);
}

#[test]
fn message_fallbacks() {
    let hdr = [
        ("x-amzn-errortype", "InvalidRequestException"),
        ("x-amzn-ErrorMessage", "from header"),
    ];
    let m = |body: &str| parse(400, &hdr, body).message;
    assert_eq!(
        m(r#"{"message":"a","Message":"b","errorMessage":"c"}"#),
        "a"
    );
    assert_eq!(m(r#"{"Message":"b","errorMessage":"c"}"#), "b");
    assert_eq!(m(r#"{"errorMessage":"c"}"#), "c");
    assert_eq!(m(r#"{"message":""," Message":"x","Message":"b"}"#), "b");
    assert_eq!(m(r#"{"message":5,"Message":"b"}"#), "b");
    assert_eq!(m(r#"{}"#), "from header");
    assert_eq!(m("not json"), "from header");
    assert_eq!(
        parse(
            400,
            &[("x-amzn-errortype", "InvalidRequestException")],
            "{}"
        )
        .message,
        "InvalidRequestException (HTTP 400) with no error message"
    );
    let e = parse(502, &[], "<html>Bad Gateway</html>");
    assert_eq!(e.code, "UnknownError");
    assert_eq!(e.message, "HTTP 502 with no error code");
    // A message without a code keeps the message.
    let e = parse(500, &[], r#"{"message":"boom"}"#);
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("UnknownError", "boom")
    );
    assert_eq!(e.to_string(), "UnknownError (HTTP 500): boom");
}

#[test]
fn request_id_headers_any_case() {
    for name in ["x-amzn-RequestId", "X-AMZN-REQUESTID", "x-amzn-requestid"] {
        let e = parse(400, &[(name, "rid-1")], "");
        assert_eq!(e.request_id.as_deref(), Some("rid-1"), "{name}");
    }
    let e = parse(400, &[("X-Amz-Request-Id", "s3ish")], "");
    assert_eq!(e.request_id.as_deref(), Some("s3ish"));
    let e = parse(400, &[("x-amzn-request-id", "dashed")], "");
    assert_eq!(e.request_id.as_deref(), Some("dashed"));
    let e = parse(
        400,
        &[
            ("x-amz-request-id", "second"),
            ("x-amzn-requestid", "first"),
        ],
        "",
    );
    assert_eq!(e.request_id.as_deref(), Some("first"));
    let e = parse(
        400,
        &[
            ("X-Amz-Id-2", "ext"),
            ("X-Amz-Cf-Id", "cf"),
            ("x-amzn-requestid", " padded "),
        ],
        "",
    );
    assert_eq!(e.extended_request_id.as_deref(), Some("ext"));
    assert_eq!(e.cf_id.as_deref(), Some("cf"));
    assert_eq!(e.request_id.as_deref(), Some("padded"));
    let e = parse(400, &[], "");
    assert_eq!(
        (e.request_id, e.extended_request_id, e.cf_id),
        (None, None, None)
    );
}

#[test]
fn modeled_errors_fault_and_retry() {
    // (code, status, fault, retryable, throttling)
    let cases = [
        ("InvalidRequestException", 400, Fault::Client, false, false),
        ("AccessDeniedException", 403, Fault::Client, false, false),
        (
            "ResourceNotFoundException",
            404,
            Fault::Client,
            false,
            false,
        ),
        ("ThrottlingException", 429, Fault::Client, true, true),
        ("InternalServiceException", 500, Fault::Server, true, false),
    ];
    for (code, status, fault, retryable, throttling) in cases {
        let body = json!({ "Message": format!("{code} text") }).to_string();
        let e = parse(
            status,
            &[("x-amzn-errortype", code), ("x-amzn-requestid", "r")],
            &body,
        );
        assert_eq!(e.code, code);
        assert_eq!(e.status, status);
        assert_eq!(e.fault, fault, "{code}");
        assert_eq!(e.retryable, retryable, "{code}");
        assert_eq!(e.throttling, throttling, "{code}");
        assert!(!e.clock_skew);
        assert_eq!(e.message, format!("{code} text"));
        // Modeled fault holds even with an unexpected status.
        let odd = parse(
            if fault == Fault::Server { 400 } else { 503 },
            &[("x-amzn-errortype", code)],
            "",
        );
        assert_eq!(odd.fault, fault, "{code}");
    }
    // ThrottlingException is throttling even when the status is not 429.
    let e = parse(400, &[("x-amzn-errortype", "ThrottlingException")], "");
    assert!(e.retryable && e.throttling);
}

#[test]
fn unmodeled_statuses() {
    // (status, fault, retryable)
    for (status, fault, retryable) in [
        (400, Fault::Client, false),
        (401, Fault::Client, false),
        (413, Fault::Client, false),
        (500, Fault::Server, true),
        (501, Fault::Server, false),
        (502, Fault::Server, true),
        (503, Fault::Server, true),
        (504, Fault::Server, true),
        (505, Fault::Server, false),
    ] {
        let e = parse(status, &[], "");
        assert_eq!(e.code, "UnknownError");
        assert_eq!(e.fault, fault, "{status}");
        assert_eq!(e.retryable, retryable, "{status}");
        assert!(!e.throttling);
    }
    let e = parse(429, &[], "");
    assert!(e.retryable && e.throttling);
    assert_eq!(e.fault, Fault::Client);
    assert_eq!(Fault::Client.as_str(), "client");
    assert_eq!(Fault::Server.as_str(), "server");
}

#[test]
fn sdk_throttling_and_transient_codes() {
    for code in [
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    ] {
        let e = parse(400, &[("x-amzn-errortype", code)], "");
        assert!(e.throttling && e.retryable, "{code}");
        assert_eq!(e.fault, Fault::Client);
    }
    for code in ["TimeoutError", "RequestTimeout", "RequestTimeoutException"] {
        let e = parse(408, &[], &json!({ "__type": code }).to_string());
        assert!(e.retryable && !e.throttling, "{code}");
    }
    let e = parse(400, &[("x-amzn-errortype", "ValidationException")], "");
    assert!(!e.retryable && !e.throttling);
}

#[test]
fn clock_skew_detection() {
    for code in [
        "AuthFailure",
        "InvalidSignatureException",
        "RequestExpired",
        "RequestInTheFuture",
        "RequestTimeTooSkewed",
        "SignatureDoesNotMatch",
    ] {
        let e = parse(403, &[("x-amzn-errortype", code)], "");
        assert!(e.clock_skew, "{code}");
        assert_eq!(e.fault, Fault::Client);
        assert!(!e.retryable, "{code}");
    }
    let body = r#"{"message":"Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)"}"#;
    let e = parse(
        403,
        &[(
            "x-amzn-ErrorType",
            "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/",
        )],
        body,
    );
    assert_eq!(e.code, "InvalidSignatureException");
    assert!(e.clock_skew);
    assert!(e.message.starts_with("Signature expired"));
    for code in [
        "AccessDeniedException",
        "UnrecognizedClientException",
        "ExpiredTokenException",
    ] {
        assert!(
            !parse(403, &[("x-amzn-errortype", code)], "").clock_skew,
            "{code}"
        );
    }
}

#[test]
fn invalid_request_reason() {
    let body = r#"{"Message":"bad","Reason":{"AttachedFileInvalidRequestExceptionReason":"INVALID_FILE_NAME"}}"#;
    let e = parse(
        400,
        &[("x-amzn-errortype", "InvalidRequestException")],
        body,
    );
    assert_eq!(
        e.reason,
        Some(
            Value::from_json(
                br#"{"AttachedFileInvalidRequestExceptionReason":"INVALID_FILE_NAME"}"#
            )
            .unwrap()
        )
    );
    assert_eq!(e.message, "bad");
    // Only for InvalidRequestException, and only an object.
    let e = parse(
        404,
        &[("x-amzn-errortype", "ResourceNotFoundException")],
        body,
    );
    assert_eq!(e.reason, None);
    let e = parse(
        400,
        &[("x-amzn-errortype", "InvalidRequestException")],
        r#"{"Reason":"x"}"#,
    );
    assert_eq!(e.reason, None);
    let e = parse(
        400,
        &[],
        r#"{"__type":"com.amazonaws.connect#InvalidRequestException","Reason":{}}"#,
    );
    assert_eq!(e.reason, Some(Value::Object(Map::new())));
}

#[test]
fn garbage_bodies_never_panic() {
    let big_brace = vec![b'{'; 1024 * 1024];
    let deep_array = "[".repeat(10_000);
    let mut big_valid = br#"{"code":"Huge","pad":""#.to_vec();
    big_valid.extend_from_slice(&vec![b'x'; 200_000]);
    big_valid.extend_from_slice(br#""}"#);
    let bodies: Vec<&[u8]> = vec![
        b"",
        b"[]",
        b"\"x\"",
        b"null",
        b"42",
        b"true",
        b"{",
        b"}",
        b"\xff\xfe\xfd",
        b"{\"code\":\"\xff\"}",
        b"\xef\xbb\xbf{\"code\":\"Bom\"}",
        b"{\"code\":\"A\"}trailing",
        &big_brace,
        deep_array.as_bytes(),
        &big_valid,
    ];
    for body in bodies {
        for status in [0u16, 200, 400, 403, 500, 503, 599, 999, u16::MAX] {
            let e = parse_error(status, &[], body);
            assert_eq!(e.code, "UnknownError", "{:?}", &body.get(..20));
            assert!(e.body_excerpt.len() <= BODY_EXCERPT_BYTES * 3);
            assert!(!e.message.is_empty());
            assert_eq!(e.status, status);
        }
    }
    // Non-object JSON still allows header-based parsing.
    let e = parse_error(
        400,
        &h(&[("x-amzn-errortype", "X"), ("x-amzn-errormessage", "hm")]),
        b"[1,2]",
    );
    assert_eq!((e.code.as_str(), e.message.as_str()), ("X", "hm"));
}

#[test]
fn nesting_past_the_recursion_limit_is_not_parsed() {
    // serde_json's limit is 128 levels: 100 parse, 30,000 (60 KB, under the size cap) are an
    // error, not a stack overflow, and the headers still name the error.
    let nested = |levels: usize| {
        format!(
            r#"{{"code":"Deep","a":{}{}}}"#,
            "[".repeat(levels),
            "]".repeat(levels)
        )
    };
    assert_eq!(parse(400, &[], &nested(100)).code, "Deep");
    let deep = nested(30_000);
    assert!(deep.len() < MAX_PARSED_BODY_BYTES);
    assert_eq!(parse(400, &[], &deep).code, "UnknownError");
    let e = parse(400, &[("x-amzn-errortype", "FromHeader")], &deep);
    assert_eq!(e.code, "FromHeader");
    let deep_objects = format!("{}{}", r#"{"a":"#.repeat(20_000), "}".repeat(20_000));
    assert_eq!(parse(500, &[], &deep_objects).code, "UnknownError");
}

#[test]
fn the_size_cap_applies_before_parsing() {
    let body_of = |len: usize| {
        let head = r#"{"code":"Capped","pad":""#;
        let pad = len - head.len() - 2;
        format!(r#"{head}{}"}}"#, "x".repeat(pad))
    };
    let at_cap = body_of(MAX_PARSED_BODY_BYTES);
    assert_eq!(at_cap.len(), MAX_PARSED_BODY_BYTES);
    assert_eq!(parse(400, &[], &at_cap).code, "Capped");
    let over = body_of(MAX_PARSED_BODY_BYTES + 1);
    let e = parse(400, &[], &over);
    assert_eq!(e.code, "UnknownError");
    assert_eq!(e.body_excerpt, over[..BODY_EXCERPT_BYTES]);
}

#[test]
fn hostile_headers_never_panic() {
    let huge = "x".repeat(1 << 20);
    let e = parse(
        400,
        &[
            ("x-amzn-errortype", &format!("ns#{huge}:tail")),
            ("x-amzn-errormessage", &huge),
            ("x-amzn-requestid", &huge),
            (&huge, "v"),
        ],
        "",
    );
    assert_eq!(e.code.len(), huge.len());
    assert_eq!(e.message.len(), huge.len());
    // Many headers, none of them useful; non-ASCII names and values.
    let many: Vec<(String, String)> = (0..10_000)
        .map(|i| (format!("x-é-{i}"), "\u{0}é\u{202e}".to_string()))
        .collect();
    let e = parse_error(503, &many, b"");
    assert_eq!(e.code, "UnknownError");
    assert!(e.retryable);
    // Names and values are trimmed; an empty value falls through to the next header.
    let e = parse(
        400,
        &[
            (" X-Amzn-ErrorType\t", " \t"),
            (" X-Amzn-ErrorType\t", " K "),
        ],
        "",
    );
    assert_eq!(e.code, "K");
}

#[test]
fn body_excerpt_is_capped_and_lossy() {
    let body = vec![b'z'; 5000];
    let e = parse_error(500, &[], &body);
    assert_eq!(e.body_excerpt.len(), BODY_EXCERPT_BYTES);
    let e = parse_error(500, &[], b"ab\xffcd");
    assert_eq!(e.body_excerpt, "ab\u{FFFD}cd");
    let e = parse_error(400, &[], br#"{"code":"X"}"#);
    assert_eq!(e.body_excerpt, r#"{"code":"X"}"#);
    // Multi-byte text is never split at the cap.
    let body = "é".repeat(1000);
    let e = parse_error(400, &[], body.as_bytes());
    assert_eq!(e.body_excerpt, "é".repeat(512));
}

#[test]
fn realistic_connect_responses() {
    let e = parse(
        404,
        &[
            ("content-type", "application/json"),
            ("x-amzn-RequestId", "5f3c0e2a-0000-4000-8000-000000000000"),
            (
                "x-amzn-ErrorType",
                "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.connect/",
            ),
        ],
        r#"{"Message":"Instance not found"}"#,
    );
    assert_eq!(e.code, "ResourceNotFoundException");
    assert_eq!(e.message, "Instance not found");
    assert_eq!(e.fault, Fault::Client);
    assert!(!e.retryable);
    assert_eq!(
        e.request_id.as_deref(),
        Some("5f3c0e2a-0000-4000-8000-000000000000")
    );

    // Front-end (authentication) error: lower-case `message`.
    let e = parse(
        403,
        &[("x-amzn-errortype", "UnrecognizedClientException")],
        r#"{"message":"The security token included in the request is invalid."}"#,
    );
    assert_eq!(e.code, "UnrecognizedClientException");
    assert_eq!(e.fault, Fault::Client);
    assert!(!e.retryable && !e.clock_skew);
}

#[test]
fn success_statuses() {
    assert!(is_success(200));
    assert!(is_success(204));
    assert!(is_success(299));
    assert!(!is_success(199));
    assert!(!is_success(300));
    assert!(!is_success(400));
    assert!(!is_success(0));
}
