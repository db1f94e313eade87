//! Endpoint resolution for the Amazon Connect service (`connect`).
//!
//! A hand-written port of the service's Smithy endpoint rule set (as shipped in
//! `@aws-sdk/client-connect` `src/endpoint/ruleset.ts` and botocore's
//! `connect/2017-08-08/endpoint-rule-set-1.json`) plus the `aws.partition` function
//! over the AWS `partitions.json` (no regex crate: the region patterns are matched by hand).
//!
//! Evaluation order (first match wins):
//! 1. A configured region must be a valid host label (the JS SDK's `checkRegion`); an empty
//!    region counts as no region.
//! 2. Custom endpoint set: FIPS → error, dual-stack → error, else the URL is used as given
//!    (it must be `http(s)://host[:port][/path]`; it is not normalized, a trailing `/` is kept —
//!    use [`ResolvedEndpoint::url_for_path`] to append an operation path).
//! 3. No region → `Invalid Configuration: Missing Region`.
//! 4. Partition by exact region name, then by region pattern, else the `aws` partition.
//! 5. FIPS + dual-stack, FIPS (in `aws-us-gov`: `https://connect.{region}.amazonaws.com`),
//!    dual-stack, or the default `https://connect.{region}.{dnsSuffix}`.

/// The SigV4 signing name of the service; fixed because this crate only talks to Connect.
pub const SIGNING_NAME: &str = "connect";

/// Endpoint inputs, mirroring the rule set parameters so the resolver stays a pure function.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EndpointConfig<'a> {
    /// AWS region (`AWS::Region`); required unless a custom endpoint is given.
    pub region: Option<&'a str>,
    /// Use the FIPS endpoint (`AWS::UseFIPS`); needed by regulated workloads.
    pub use_fips: bool,
    /// Use the dual-stack (IPv4 + IPv6) endpoint (`AWS::UseDualStack`).
    pub use_dualstack: bool,
    /// Custom endpoint URL (`SDK::Endpoint`), e.g. a VPC endpoint or a local mock.
    pub endpoint: Option<&'a str>,
}

/// Where to send the request and how to sign it, so the caller needs no endpoint knowledge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    /// Base URL of the service (no operation path), e.g. `https://connect.us-east-1.amazonaws.com`.
    pub url: String,
    /// SigV4 region: always the configured region (empty only when a custom endpoint was
    /// given without a region — signing then needs a region from elsewhere).
    pub signing_region: String,
    /// SigV4 service name: always `connect`.
    pub signing_name: &'static str,
}

impl ResolvedEndpoint {
    /// Joins the base URL and an operation path (e.g. `/chat-integration-event`) without
    /// doubling the `/`, as the JS SDK does when a custom endpoint ends with a slash.
    pub fn url_for_path(&self, path: &str) -> String {
        let base = self.url.strip_suffix('/').unwrap_or(&self.url);
        let path = path.strip_prefix('/').unwrap_or(path);
        format!("{base}/{path}")
    }
}

/// Why no endpoint could be resolved; messages follow the rule set's error texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// No region and no custom endpoint.
    MissingRegion,
    /// The region is not a valid DNS host label, so it cannot be put into a host name.
    InvalidRegion {
        /// The rejected region, as configured.
        region: String,
    },
    /// FIPS was requested together with a custom endpoint.
    FipsWithCustomEndpoint,
    /// Dual-stack was requested together with a custom endpoint.
    DualstackWithCustomEndpoint,
    /// FIPS and dual-stack were both requested in a partition lacking one of them.
    FipsAndDualstackNotSupported {
        /// Partition id, e.g. `aws-iso`.
        partition: &'static str,
    },
    /// FIPS was requested in a partition without FIPS endpoints.
    FipsNotSupported {
        /// Partition id.
        partition: &'static str,
    },
    /// Dual-stack was requested in a partition without dual-stack endpoints.
    DualstackNotSupported {
        /// Partition id.
        partition: &'static str,
    },
    /// The custom endpoint is not an `http(s)://host[:port][/path]` URL.
    InvalidEndpoint {
        /// What is wrong (the URL itself is not repeated: it may hold user info).
        reason: &'static str,
    },
}

impl EndpointError {
    /// The variant's name, a stable identifier for programs (the JS error's `variant`).
    pub fn variant(&self) -> &'static str {
        match self {
            Self::MissingRegion { .. } => "MissingRegion",
            Self::InvalidRegion { .. } => "InvalidRegion",
            Self::FipsWithCustomEndpoint { .. } => "FipsWithCustomEndpoint",
            Self::DualstackWithCustomEndpoint { .. } => "DualstackWithCustomEndpoint",
            Self::FipsAndDualstackNotSupported { .. } => "FipsAndDualstackNotSupported",
            Self::FipsNotSupported { .. } => "FipsNotSupported",
            Self::DualstackNotSupported { .. } => "DualstackNotSupported",
            Self::InvalidEndpoint { .. } => "InvalidEndpoint",
        }
    }

    /// The human-readable message (the JS error's `message`): the rule set's error text.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for EndpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MissingRegion => f.write_str("Invalid Configuration: Missing Region"),
            Self::InvalidRegion { region } => write!(
                f,
                "Invalid Configuration: region \"{region}\" is not a valid host label"
            ),
            Self::FipsWithCustomEndpoint => {
                f.write_str("Invalid Configuration: FIPS and custom endpoint are not supported")
            }
            Self::DualstackWithCustomEndpoint => f.write_str(
                "Invalid Configuration: Dualstack and custom endpoint are not supported",
            ),
            Self::FipsAndDualstackNotSupported { .. } => f.write_str(
                "FIPS and DualStack are enabled, but this partition does not support one or both",
            ),
            Self::FipsNotSupported { .. } => {
                f.write_str("FIPS is enabled but this partition does not support FIPS")
            }
            Self::DualstackNotSupported { .. } => {
                f.write_str("DualStack is enabled but this partition does not support DualStack")
            }
            Self::InvalidEndpoint { reason } => write!(
                f,
                "Invalid Configuration: custom endpoint is not a valid URL: {reason}"
            ),
        }
    }
}

impl std::error::Error for EndpointError {}

/// One AWS partition's outputs (the fields of `partitions.json` the rule set reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Partition {
    name: &'static str,
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
    supports_fips: bool,
    supports_dual_stack: bool,
    /// Region-name prefixes of `^(p1|p2|..)-\w+-\d+$` (each given with its trailing `-`).
    prefixes: &'static [&'static str],
    /// Region names listed explicitly that the pattern does not match (global pseudo-regions).
    extra_regions: &'static [&'static str],
}

/// `partitions.json` as of botocore 1.44.8 / `@aws-sdk/core` 3.978 (same order and outputs).
const PARTITIONS: &[Partition] = &[
    Partition {
        name: "aws",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        prefixes: &[
            "us-", "eu-", "ap-", "sa-", "ca-", "me-", "af-", "il-", "mx-",
        ],
        extra_regions: &["aws-global"],
    },
    Partition {
        name: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        supports_fips: true,
        supports_dual_stack: true,
        prefixes: &["cn-"],
        extra_regions: &["aws-cn-global"],
    },
    Partition {
        name: "aws-eusc",
        dns_suffix: "amazonaws.eu",
        dual_stack_dns_suffix: "api.amazonwebservices.eu",
        supports_fips: true,
        supports_dual_stack: true,
        prefixes: &["eusc-de-"],
        extra_regions: &[],
    },
    Partition {
        name: "aws-iso",
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "api.aws.ic.gov",
        supports_fips: true,
        supports_dual_stack: true,
        prefixes: &["us-iso-"],
        extra_regions: &["aws-iso-global"],
    },
    Partition {
        name: "aws-iso-b",
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "api.aws.scloud",
        supports_fips: true,
        supports_dual_stack: true,
        prefixes: &["us-isob-"],
        extra_regions: &["aws-iso-b-global"],
    },
    Partition {
        name: "aws-iso-e",
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "api.cloud-aws.adc-e.uk",
        supports_fips: true,
        supports_dual_stack: true,
        prefixes: &["eu-isoe-"],
        extra_regions: &["aws-iso-e-global"],
    },
    Partition {
        name: "aws-iso-f",
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "api.aws.hci.ic.gov",
        supports_fips: true,
        supports_dual_stack: true,
        prefixes: &["us-isof-"],
        extra_regions: &["aws-iso-f-global"],
    },
    Partition {
        name: "aws-us-gov",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        prefixes: &["us-gov-"],
        extra_regions: &["aws-us-gov-global"],
    },
];

/// Resolves the Connect endpoint for `cfg`, following the service's endpoint rule set.
pub fn resolve(cfg: &EndpointConfig<'_>) -> Result<ResolvedEndpoint, EndpointError> {
    let region = cfg.region.filter(|r| !r.is_empty());
    if let Some(r) = region {
        if !is_valid_host_label(r) {
            return Err(EndpointError::InvalidRegion {
                region: r.to_string(),
            });
        }
    }
    let signing_region = region.unwrap_or("").to_string();

    if let Some(endpoint) = cfg.endpoint {
        if cfg.use_fips {
            return Err(EndpointError::FipsWithCustomEndpoint);
        }
        if cfg.use_dualstack {
            return Err(EndpointError::DualstackWithCustomEndpoint);
        }
        check_custom_endpoint(endpoint)?;
        return Ok(ResolvedEndpoint {
            url: endpoint.to_string(),
            signing_region,
            signing_name: SIGNING_NAME,
        });
    }

    let region = region.ok_or(EndpointError::MissingRegion)?;
    let url = regional_url(
        partition_of(region),
        region,
        cfg.use_fips,
        cfg.use_dualstack,
    )?;
    Ok(ResolvedEndpoint {
        url,
        signing_region,
        signing_name: SIGNING_NAME,
    })
}

/// The partition id (`aws`, `aws-cn`, `aws-us-gov`, ...) a region belongs to, as the
/// `aws.partition` rule function decides it (unknown regions fall back to `aws`).
pub fn partition_name(region: &str) -> &'static str {
    partition_of(region).name
}

fn partition_of(region: &str) -> &'static Partition {
    PARTITIONS
        .iter()
        .find(|p| p.extra_regions.contains(&region))
        .or_else(|| PARTITIONS.iter().find(|p| matches_pattern(p, region)))
        .unwrap_or(&PARTITIONS[0])
}

/// `^(prefixes)\w+-\d+$` for one partition: after the prefix exactly one `-` separates a
/// non-empty run of `[A-Za-z0-9_]` from a non-empty run of ASCII digits.
fn matches_pattern(p: &Partition, region: &str) -> bool {
    p.prefixes.iter().any(|prefix| {
        region
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once('-'))
            .is_some_and(|(word, digits)| {
                !word.is_empty()
                    && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
            })
    })
}

fn regional_url(
    p: &Partition,
    region: &str,
    fips: bool,
    dualstack: bool,
) -> Result<String, EndpointError> {
    let (prefix, suffix) = match (fips, dualstack) {
        (true, true) => {
            if !(p.supports_fips && p.supports_dual_stack) {
                return Err(EndpointError::FipsAndDualstackNotSupported { partition: p.name });
            }
            ("https://connect-fips.", p.dual_stack_dns_suffix)
        }
        (true, false) => {
            if !p.supports_fips {
                return Err(EndpointError::FipsNotSupported { partition: p.name });
            }
            if p.name == "aws-us-gov" {
                ("https://connect.", "amazonaws.com")
            } else {
                ("https://connect-fips.", p.dns_suffix)
            }
        }
        (false, true) => {
            if !p.supports_dual_stack {
                return Err(EndpointError::DualstackNotSupported { partition: p.name });
            }
            ("https://connect.", p.dual_stack_dns_suffix)
        }
        (false, false) => ("https://connect.", p.dns_suffix),
    };
    Ok(format!("{prefix}{region}.{suffix}"))
}

/// Smithy `isValidHostLabel` without sub-domains: `^(?!.*-$)(?!-)[a-zA-Z0-9-]{1,63}$`.
pub fn is_valid_host_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Accepts `http(s)://host[:port][/path]`; rejects user info, query, fragment, whitespace.
fn check_custom_endpoint(url: &str) -> Result<(), EndpointError> {
    let invalid = |reason| Err(EndpointError::InvalidEndpoint { reason });
    if url
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return invalid("contains whitespace or control characters");
    }
    let rest = match strip_prefix_ignore_case(url, "https://")
        .or_else(|| strip_prefix_ignore_case(url, "http://"))
    {
        Some(rest) => rest,
        None => return invalid("scheme must be http:// or https://"),
    };
    if rest.contains('?') {
        return invalid("query strings are not supported");
    }
    if rest.contains('#') {
        return invalid("fragments are not supported");
    }
    let authority = rest.split_once('/').map_or(rest, |(a, _)| a);
    if authority.contains('@') {
        return invalid("user info is not supported");
    }
    let (host, port) = if let Some(after_bracket) = authority.strip_prefix('[') {
        let Some((ip6, tail)) = after_bracket.split_once(']') else {
            return invalid("unterminated IPv6 address");
        };
        if ip6.is_empty()
            || !ip6.contains(':')
            || !ip6
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return invalid("invalid IPv6 address");
        }
        match tail {
            "" => (ip6, None),
            t => match t.strip_prefix(':') {
                Some(p) => (ip6, Some(p)),
                None => return invalid("unexpected characters after IPv6 address"),
            },
        }
    } else {
        let (h, p) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if !is_valid_host_name(h) {
            return invalid("invalid host");
        }
        (h, p)
    };
    if host.is_empty() {
        return invalid("missing host");
    }
    if let Some(p) = port {
        // 1-5 digits (`str::parse` alone would also take a `+` sign or leading zeros), 1-65535.
        let valid = (1..=5).contains(&p.len())
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u16>().is_ok_and(|n| n != 0);
        if !valid {
            return invalid("invalid port");
        }
    }
    Ok(())
}

/// Host names (and IPv4 literals): dot-separated non-empty labels of `[A-Za-z0-9_-]`.
/// `_` is allowed because local/container host names use it; a trailing root dot is not.
fn is_valid_host_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn strip_prefix_ignore_case<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_SUPPORT: Partition = Partition {
        name: "test-none",
        dns_suffix: "example",
        dual_stack_dns_suffix: "dual.example",
        supports_fips: false,
        supports_dual_stack: false,
        prefixes: &["xx-"],
        extra_regions: &[],
    };

    #[test]
    fn unsupported_partition_errors_use_rule_set_texts() {
        let e = regional_url(&NO_SUPPORT, "xx-a-1", true, true).unwrap_err();
        assert_eq!(
            e.to_string(),
            "FIPS and DualStack are enabled, but this partition does not support one or both"
        );
        assert_eq!(
            e,
            EndpointError::FipsAndDualstackNotSupported {
                partition: "test-none"
            }
        );
        let e = regional_url(&NO_SUPPORT, "xx-a-1", true, false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "FIPS is enabled but this partition does not support FIPS"
        );
        let e = regional_url(&NO_SUPPORT, "xx-a-1", false, true).unwrap_err();
        assert_eq!(
            e.to_string(),
            "DualStack is enabled but this partition does not support DualStack"
        );
        assert_eq!(
            regional_url(&NO_SUPPORT, "xx-a-1", false, false).unwrap(),
            "https://connect.xx-a-1.example"
        );
        let fips_only = Partition {
            supports_fips: true,
            ..NO_SUPPORT
        };
        assert!(matches!(
            regional_url(&fips_only, "xx-a-1", true, true),
            Err(EndpointError::FipsAndDualstackNotSupported { .. })
        ));
        assert_eq!(
            regional_url(&fips_only, "xx-a-1", true, false).unwrap(),
            "https://connect-fips.xx-a-1.example"
        );
    }

    #[test]
    fn pattern_matching_is_anchored() {
        let aws = &PARTITIONS[0];
        assert!(matches_pattern(aws, "us-east-1"));
        assert!(matches_pattern(aws, "us-foo_bar-12"));
        assert!(!matches_pattern(aws, "us-east-1a"));
        assert!(!matches_pattern(aws, "us-east-"));
        assert!(!matches_pattern(aws, "us--1"));
        assert!(!matches_pattern(aws, "us-gov-west-1"));
        assert!(!matches_pattern(aws, "xus-east-1"));
        assert!(!matches_pattern(aws, "us-east-1-fips"));
    }
}
