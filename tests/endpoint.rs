//! Endpoint resolution tests, including the official Smithy endpoint tests of the
//! connect service (vendored from botocore 1.44.8, see tests/fixtures/endpoint/README.md).

use connect_chat_events::endpoint::{
    is_valid_host_label, partition_name, resolve, EndpointConfig, EndpointError, SIGNING_NAME,
};
use serde_json::Value;

const OFFICIAL_TESTS: &str = include_str!("fixtures/endpoint/connect-endpoint-tests-1.json");
const PARTITIONS_JSON: &str = include_str!("fixtures/endpoint/partitions.json");

fn cfg(region: &str, fips: bool, dual: bool) -> EndpointConfig<'_> {
    EndpointConfig {
        region: Some(region),
        use_fips: fips,
        use_dualstack: dual,
        endpoint: None,
    }
}

fn url(region: &str, fips: bool, dual: bool) -> String {
    match resolve(&cfg(region, fips, dual)) {
        Ok(r) => r.url,
        Err(e) => panic!("{region} fips={fips} dual={dual}: {e}"),
    }
}

#[test]
fn official_endpoint_tests() {
    let doc: Value = serde_json::from_str(OFFICIAL_TESTS).unwrap();
    let cases = doc["testCases"].as_array().unwrap();
    let mut ran = 0;
    for case in cases {
        let doc_str = case["documentation"].as_str().unwrap_or("?");
        let params = case.get("params").cloned().unwrap_or(Value::Null);
        let cfg = EndpointConfig {
            region: params.get("Region").and_then(Value::as_str),
            use_fips: params
                .get("UseFIPS")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            use_dualstack: params
                .get("UseDualStack")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            endpoint: params.get("Endpoint").and_then(Value::as_str),
        };
        let got = resolve(&cfg);
        let expect = &case["expect"];
        if let Some(err) = expect.get("error").and_then(Value::as_str) {
            match got {
                Err(e) => assert_eq!(e.to_string(), err, "{doc_str}"),
                Ok(r) => panic!("{doc_str}: expected error {err:?}, got {r:?}"),
            }
        } else {
            let want = expect["endpoint"]["url"].as_str().unwrap();
            let r = got.unwrap_or_else(|e| panic!("{doc_str}: {e}"));
            assert_eq!(r.url, want, "{doc_str}");
            assert_eq!(r.signing_name, "connect");
            assert_eq!(r.signing_region, cfg.region.unwrap_or(""), "{doc_str}");
            // No test case sets headers or properties, which this resolver never returns.
            let ep = expect["endpoint"].as_object().unwrap();
            for k in ep.keys() {
                assert!(k == "url" || ep[k].as_object().is_some_and(|o| o.is_empty()));
            }
        }
        ran += 1;
    }
    assert!(ran >= 32, "ran {ran} official cases");
}

/// Every region listed in partitions.json resolves in its partition, with the outputs
/// (DNS suffixes) of that partition, for all four FIPS/dual-stack combinations.
#[test]
fn partitions_json_cross_check() {
    let doc: Value = serde_json::from_str(PARTITIONS_JSON).unwrap();
    let mut checked = 0;
    for p in doc["partitions"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        let out = &p["outputs"];
        let dns = out["dnsSuffix"].as_str().unwrap();
        let dual = out["dualStackDnsSuffix"].as_str().unwrap();
        assert_eq!(out["name"].as_str(), Some(id));
        assert_eq!(out["supportsFIPS"].as_bool(), Some(true), "{id}");
        assert_eq!(out["supportsDualStack"].as_bool(), Some(true), "{id}");
        for region in p["regions"].as_object().unwrap().keys() {
            assert_eq!(partition_name(region), id, "{region}");
            assert_eq!(
                url(region, false, false),
                format!("https://connect.{region}.{dns}")
            );
            assert_eq!(
                url(region, false, true),
                format!("https://connect.{region}.{dual}")
            );
            assert_eq!(
                url(region, true, true),
                format!("https://connect-fips.{region}.{dual}")
            );
            let fips = if id == "aws-us-gov" {
                format!("https://connect.{region}.amazonaws.com")
            } else {
                format!("https://connect-fips.{region}.{dns}")
            };
            assert_eq!(url(region, true, false), fips);
            checked += 1;
        }
    }
    assert!(checked >= 30, "checked {checked}");
}

#[test]
fn aws_partition() {
    assert_eq!(
        url("us-east-1", false, false),
        "https://connect.us-east-1.amazonaws.com"
    );
    assert_eq!(
        url("eu-west-2", true, false),
        "https://connect-fips.eu-west-2.amazonaws.com"
    );
    assert_eq!(
        url("ap-southeast-2", false, true),
        "https://connect.ap-southeast-2.api.aws"
    );
    assert_eq!(
        url("af-south-1", true, true),
        "https://connect-fips.af-south-1.api.aws"
    );
    // Regions not yet in partitions.json match by pattern.
    assert_eq!(
        url("mx-north-9", false, false),
        "https://connect.mx-north-9.amazonaws.com"
    );
    assert_eq!(partition_name("il-central-2"), "aws");
}

#[test]
fn offered_regions_default_endpoints() {
    for r in [
        "af-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ca-central-1",
        "eu-central-1",
        "eu-west-2",
        "us-east-1",
        "us-west-2",
    ] {
        assert_eq!(
            url(r, false, false),
            format!("https://connect.{r}.amazonaws.com")
        );
    }
    assert_eq!(
        url("us-gov-west-1", false, false),
        "https://connect.us-gov-west-1.amazonaws.com"
    );
}

#[test]
fn china_partition() {
    assert_eq!(partition_name("cn-north-1"), "aws-cn");
    assert_eq!(
        url("cn-northwest-1", false, false),
        "https://connect.cn-northwest-1.amazonaws.com.cn"
    );
    assert_eq!(
        url("cn-north-1", true, false),
        "https://connect-fips.cn-north-1.amazonaws.com.cn"
    );
    assert_eq!(
        url("cn-north-1", false, true),
        "https://connect.cn-north-1.api.amazonwebservices.com.cn"
    );
    assert_eq!(
        url("cn-north-1", true, true),
        "https://connect-fips.cn-north-1.api.amazonwebservices.com.cn"
    );
}

#[test]
fn us_gov_fips_special_case() {
    assert_eq!(partition_name("us-gov-west-1"), "aws-us-gov");
    assert_eq!(
        url("us-gov-west-1", false, false),
        "https://connect.us-gov-west-1.amazonaws.com"
    );
    // FIPS alone: the plain host (GovCloud endpoints are FIPS already).
    assert_eq!(
        url("us-gov-west-1", true, false),
        "https://connect.us-gov-west-1.amazonaws.com"
    );
    assert_eq!(
        url("us-gov-east-1", true, false),
        "https://connect.us-gov-east-1.amazonaws.com"
    );
    // FIPS + dual-stack does not take the special case.
    assert_eq!(
        url("us-gov-east-1", true, true),
        "https://connect-fips.us-gov-east-1.api.aws"
    );
    assert_eq!(
        url("us-gov-east-1", false, true),
        "https://connect.us-gov-east-1.api.aws"
    );
    // A future GovCloud region matches by pattern.
    assert_eq!(
        url("us-gov-north-7", true, false),
        "https://connect.us-gov-north-7.amazonaws.com"
    );
}

#[test]
fn iso_and_eusc_partitions() {
    let cases = [
        ("us-iso-east-1", "aws-iso", "c2s.ic.gov", "api.aws.ic.gov"),
        (
            "us-isob-east-1",
            "aws-iso-b",
            "sc2s.sgov.gov",
            "api.aws.scloud",
        ),
        (
            "eu-isoe-west-1",
            "aws-iso-e",
            "cloud.adc-e.uk",
            "api.cloud-aws.adc-e.uk",
        ),
        (
            "us-isof-south-1",
            "aws-iso-f",
            "csp.hci.ic.gov",
            "api.aws.hci.ic.gov",
        ),
        (
            "eusc-de-east-1",
            "aws-eusc",
            "amazonaws.eu",
            "api.amazonwebservices.eu",
        ),
    ];
    for (r, p, dns, dual) in cases {
        assert_eq!(partition_name(r), p);
        assert_eq!(url(r, false, false), format!("https://connect.{r}.{dns}"));
        assert_eq!(
            url(r, true, false),
            format!("https://connect-fips.{r}.{dns}")
        );
        assert_eq!(url(r, false, true), format!("https://connect.{r}.{dual}"));
        assert_eq!(
            url(r, true, true),
            format!("https://connect-fips.{r}.{dual}")
        );
    }
    // eusc only has the `de` sub-prefix.
    assert_eq!(partition_name("eusc-fr-east-1"), "aws");
}

#[test]
fn global_pseudo_regions_match_by_name() {
    assert_eq!(partition_name("aws-global"), "aws");
    assert_eq!(partition_name("aws-cn-global"), "aws-cn");
    assert_eq!(partition_name("aws-us-gov-global"), "aws-us-gov");
    assert_eq!(partition_name("aws-iso-b-global"), "aws-iso-b");
    assert_eq!(
        url("aws-cn-global", false, false),
        "https://connect.aws-cn-global.amazonaws.com.cn"
    );
}

#[test]
fn unknown_valid_label_falls_back_to_aws() {
    for r in [
        "local",
        "foo-bar-1",
        "us-east-1-fips",
        "fips-us-east-1",
        "US-EAST-1",
        "a",
        "x1",
    ] {
        assert_eq!(partition_name(r), "aws", "{r}");
        assert_eq!(
            url(r, false, false),
            format!("https://connect.{r}.amazonaws.com")
        );
    }
    assert_eq!(
        url("local", true, true),
        "https://connect-fips.local.api.aws"
    );
}

#[test]
fn invalid_region_labels_are_errors_naming_the_region() {
    let long = "a".repeat(64);
    for r in [
        "us_east_1",
        "us-east-1.",
        "us.east.1",
        "us east 1",
        "-us-east-1",
        "us-east-1-",
        "us-east-1\n",
        "üs-east-1",
        "us-east-1/",
        long.as_str(),
    ] {
        let e = resolve(&cfg(r, false, false)).unwrap_err();
        assert_eq!(
            e,
            EndpointError::InvalidRegion {
                region: r.to_string()
            }
        );
        assert!(e.to_string().contains(r), "{e}");
    }
    assert!(resolve(&cfg(&"a".repeat(63), false, false)).is_ok());
    // Checked even with a custom endpoint (the region is still the signing region).
    let c = EndpointConfig {
        region: Some("bad region"),
        endpoint: Some("https://example.com"),
        ..Default::default()
    };
    assert!(matches!(
        resolve(&c),
        Err(EndpointError::InvalidRegion { .. })
    ));
}

#[test]
fn host_label_rule() {
    assert!(is_valid_host_label("us-east-1"));
    assert!(is_valid_host_label("A-1"));
    assert!(!is_valid_host_label(""));
    assert!(!is_valid_host_label("-a"));
    assert!(!is_valid_host_label("a-"));
    assert!(!is_valid_host_label("a.b"));
    assert!(!is_valid_host_label("a_b"));
}

#[test]
fn missing_region() {
    let e = resolve(&EndpointConfig::default()).unwrap_err();
    assert_eq!(e, EndpointError::MissingRegion);
    assert_eq!(e.to_string(), "Invalid Configuration: Missing Region");
    // An empty region counts as missing (the JS SDK: "Region is missing").
    let e = resolve(&cfg("", false, false)).unwrap_err();
    assert_eq!(e, EndpointError::MissingRegion);
    let e = resolve(&cfg("", true, true)).unwrap_err();
    assert_eq!(e, EndpointError::MissingRegion);
}

#[test]
fn custom_endpoint_used_as_given() {
    for ep in [
        "https://example.com",
        "https://example.com/",
        "http://localhost:8080",
        "http://127.0.0.1:4566/base/path/",
        "https://[::1]:8443",
        "https://[fd00::1]/x",
        "HTTPS://Example.COM",
        "https://vpce-0123-abcd.connect.us-east-1.vpce.amazonaws.com",
        "http://host.docker.internal:9000",
        "http://my_mock:80/%2Fenc",
    ] {
        let r = resolve(&EndpointConfig {
            region: Some("us-west-2"),
            endpoint: Some(ep),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{ep}: {e}"));
        assert_eq!(r.url, ep);
        assert_eq!(r.signing_region, "us-west-2");
        assert_eq!(r.signing_name, SIGNING_NAME);
    }
    // Without a region the rule set still resolves; the signing region is then empty.
    let r = resolve(&EndpointConfig {
        endpoint: Some("https://example.com"),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(r.url, "https://example.com");
    assert_eq!(r.signing_region, "");
}

#[test]
fn url_for_path_joins_without_double_slash() {
    let mk = |ep: &'static str| {
        resolve(&EndpointConfig {
            region: Some("us-east-1"),
            endpoint: Some(ep),
            ..Default::default()
        })
        .unwrap()
    };
    assert_eq!(
        mk("https://example.com").url_for_path("/chat-integration-event"),
        "https://example.com/chat-integration-event"
    );
    assert_eq!(
        mk("https://example.com/").url_for_path("/chat-integration-event"),
        "https://example.com/chat-integration-event"
    );
    assert_eq!(
        mk("http://h:1/base/").url_for_path("chat-integration-event"),
        "http://h:1/base/chat-integration-event"
    );
    let r = resolve(&cfg("us-east-1", false, false)).unwrap();
    assert_eq!(
        r.url_for_path("/chat-integration-event"),
        "https://connect.us-east-1.amazonaws.com/chat-integration-event"
    );
}

#[test]
fn custom_endpoint_configuration_errors() {
    let with = |fips, dual| {
        resolve(&EndpointConfig {
            region: Some("us-east-1"),
            use_fips: fips,
            use_dualstack: dual,
            endpoint: Some("https://example.com"),
        })
        .unwrap_err()
    };
    assert_eq!(with(true, false), EndpointError::FipsWithCustomEndpoint);
    assert_eq!(
        with(true, false).to_string(),
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    // FIPS is checked first, as in the rule set.
    assert_eq!(with(true, true), EndpointError::FipsWithCustomEndpoint);
    assert_eq!(
        with(false, true),
        EndpointError::DualstackWithCustomEndpoint
    );
    assert_eq!(
        with(false, true).to_string(),
        "Invalid Configuration: Dualstack and custom endpoint are not supported"
    );
    // Configuration errors win over URL validation.
    let e = resolve(&EndpointConfig {
        region: Some("us-east-1"),
        use_fips: true,
        use_dualstack: false,
        endpoint: Some("not a url"),
    })
    .unwrap_err();
    assert_eq!(e, EndpointError::FipsWithCustomEndpoint);
}

#[test]
fn invalid_custom_endpoints() {
    for ep in [
        "",
        "example.com",
        "ftp://example.com",
        "https://",
        "https:///path",
        "https://exa mple.com",
        " https://example.com",
        "https://example.com\n",
        "https://user:pw@example.com",
        "https://example.com?x=1",
        "https://example.com/#frag",
        "https://example.com:",
        "https://example.com:0",
        "https://example.com:65536",
        "https://example.com:123456",
        "https://example.com:80a",
        "https://example.com:80:90",
        "https://ex..ample.com",
        "https://example.com./",
        "https://[::1",
        "https://[]/",
        "https://[zz::1]",
        "https://[::1]x",
        "https://exämple.com",
        "https:/example.com",
    ] {
        let r = resolve(&EndpointConfig {
            region: Some("us-east-1"),
            endpoint: Some(ep),
            ..Default::default()
        });
        match r {
            Err(EndpointError::InvalidEndpoint { reason }) => {
                assert!(!reason.is_empty());
                let msg = EndpointError::InvalidEndpoint { reason }.to_string();
                assert!(
                    msg.starts_with("Invalid Configuration: custom endpoint"),
                    "{msg}"
                );
            }
            other => panic!("{ep:?}: expected InvalidEndpoint, got {other:?}"),
        }
    }
    // The URL (which may hold user info) is never echoed.
    let e = resolve(&EndpointConfig {
        region: Some("us-east-1"),
        endpoint: Some("https://AKIDEXAMPLE:secret@example.com"),
        ..Default::default()
    })
    .unwrap_err();
    assert!(!e.to_string().contains("secret"));
    assert!(!format!("{e:?}").contains("secret"));
}

#[test]
fn signing_fields() {
    for (r, fips, dual) in [
        ("us-gov-west-1", true, false),
        ("cn-north-1", false, true),
        ("local", true, true),
    ] {
        let ep = resolve(&cfg(r, fips, dual)).unwrap();
        assert_eq!(ep.signing_region, r);
        assert_eq!(ep.signing_name, "connect");
    }
}

#[test]
fn error_messages_are_the_rule_set_texts() {
    let cases = [
        (
            EndpointError::MissingRegion,
            "Invalid Configuration: Missing Region",
        ),
        (
            EndpointError::InvalidRegion {
                region: "us east\"1".into(),
            },
            "Invalid Configuration: region \"us east\"1\" is not a valid host label",
        ),
        (
            EndpointError::FipsWithCustomEndpoint,
            "Invalid Configuration: FIPS and custom endpoint are not supported",
        ),
        (
            EndpointError::DualstackWithCustomEndpoint,
            "Invalid Configuration: Dualstack and custom endpoint are not supported",
        ),
        (
            EndpointError::FipsAndDualstackNotSupported {
                partition: "aws-iso",
            },
            "FIPS and DualStack are enabled, but this partition does not support one or both",
        ),
        (
            EndpointError::FipsNotSupported {
                partition: "aws-iso",
            },
            "FIPS is enabled but this partition does not support FIPS",
        ),
        (
            EndpointError::DualstackNotSupported {
                partition: "aws-iso",
            },
            "DualStack is enabled but this partition does not support DualStack",
        ),
        (
            EndpointError::InvalidEndpoint {
                reason: "invalid port",
            },
            "Invalid Configuration: custom endpoint is not a valid URL: invalid port",
        ),
    ];
    for (e, want) in cases {
        assert_eq!(e.message(), want, "{}", e.variant());
        assert_eq!(e.to_string(), want, "{}", e.variant());
    }
    let e: Box<dyn std::error::Error> = Box::new(EndpointError::MissingRegion);
    assert!(e.source().is_none());
}
