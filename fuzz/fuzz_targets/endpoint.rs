//! Endpoint configuration: any region / custom endpoint strings and flags through
//! `endpoint::resolve`.
#![no_main]

use arbitrary::Arbitrary;
use connect_chat_events::endpoint::{resolve, EndpointConfig, SIGNING_NAME};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    region: Option<&'a str>,
    endpoint: Option<&'a str>,
    /// Prefix the endpoint with a scheme, so the fuzzer reaches the host/port/path checks.
    scheme: Option<bool>,
    use_fips: bool,
    use_dualstack: bool,
    path: &'a str,
}

fuzz_target!(|input: Input<'_>| {
    let endpoint = input.endpoint.map(|e| match input.scheme {
        Some(true) => format!("https://{e}"),
        Some(false) => format!("http://{e}"),
        None => e.to_string(),
    });
    let cfg = EndpointConfig {
        region: input.region,
        use_fips: input.use_fips,
        use_dualstack: input.use_dualstack,
        endpoint: endpoint.as_deref(),
    };
    match resolve(&cfg) {
        Ok(r) => {
            assert_eq!(r.signing_name, SIGNING_NAME);
            assert_eq!(r.signing_region, input.region.unwrap_or(""));
            match &endpoint {
                Some(e) => {
                    assert_eq!(&r.url, e);
                    let lower = r.url.to_ascii_lowercase();
                    assert!(lower.starts_with("https://") || lower.starts_with("http://"));
                }
                None => {
                    let region = input.region.unwrap_or_default();
                    assert!(r.url.starts_with("https://connect"), "{}", r.url);
                    assert!(r.url.contains(region));
                }
            }
            assert!(!r
                .url
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b.is_ascii_control()));
            let _ = r.url_for_path(input.path);
        }
        Err(e) => {
            let _ = (e.to_string(), e.variant());
        }
    }
});
