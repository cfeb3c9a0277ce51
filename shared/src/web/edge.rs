//! The deployed edge: what the front door (CloudFront) proves and tells.
//!
//! CloudFront adds a secret origin header (`x-origin-secret`) that only the
//! deployment knows; with `ORIGIN_SECRET` set, a request without it came
//! around the front door (straight to a Function URL) and is refused. A
//! CloudFront Function (viewer request) writes the viewer's address and
//! `Host` into headers of ours, overwriting whatever the client sent; they
//! are believed only on a request that carries the secret. A client-sent
//! `X-Forwarded-For` is never believed. During a rotation two secrets are
//! accepted ([`OriginSecrets`]): the current one and the one it replaces.

use std::net::IpAddr;

use http::HeaderMap;
use subtle::ConstantTimeEq;

use crate::domain::OriginSecrets;

/// The header CloudFront adds to every origin request.
pub const ORIGIN_SECRET_HEADER: &str = "x-origin-secret";
/// The viewer's address, as the CloudFront Function saw it.
pub const VIEWER_IP_HEADER: &str = "x-malgomo-viewer-ip";
/// The `Host` the viewer asked for, as the CloudFront Function saw it.
pub const VIEWER_HOST_HEADER: &str = "x-malgomo-viewer-host";

/// Whether the request may be served: always without `ORIGIN_SECRET`
/// (local runs, the Function URL front door), else only with the secret.
pub fn admits(expected: Option<&OriginSecrets>, headers: &HeaderMap) -> bool {
    expected.is_none_or(|secret| carries(secret, headers))
}

/// The front door's word on the viewer's address, when the request proves
/// it came through the front door; `None` otherwise.
pub fn viewer_ip(expected: Option<&OriginSecrets>, headers: &HeaderMap) -> Option<IpAddr> {
    vouched(expected, headers, VIEWER_IP_HEADER)?.parse().ok()
}

/// The front door's word on the host the viewer asked for (a DNS name,
/// optionally with a port), on the same condition.
pub fn viewer_host(expected: Option<&OriginSecrets>, headers: &HeaderMap) -> Option<String> {
    vouched(expected, headers, VIEWER_HOST_HEADER)
        .filter(|host| {
            !host.is_empty()
                && host.len() <= 253
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c))
        })
        .map(str::to_ascii_lowercase)
}

fn vouched<'h>(
    expected: Option<&OriginSecrets>,
    headers: &'h HeaderMap,
    name: &str,
) -> Option<&'h str> {
    let secret = expected?;
    if !carries(secret, headers) {
        return None;
    }
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// Constant-time comparison against every accepted secret (all of them,
/// always), so response timing says nothing about how much of a guess was
/// right, nor which secret matched.
fn carries(secrets: &OriginSecrets, headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(ORIGIN_SECRET_HEADER).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => bool::from(
            secrets
                .accepted()
                .fold(subtle::Choice::from(0), |matched, secret| {
                    matched | value.as_bytes().ct_eq(secret.expose().as_bytes())
                }),
        ),
        // Absent, or repeated (a client adding its own guess beside ours).
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Secret;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";
    const NEXT: &str = "fedcba9876543210fedcba9876543210";

    fn only(value: &str) -> OriginSecrets {
        OriginSecrets::new(Secret::new(value), None)
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        map
    }

    #[test]
    fn without_a_configured_secret_everything_is_admitted_and_nothing_vouched() {
        let h = headers(&[(VIEWER_IP_HEADER, "203.0.113.9")]);
        assert!(admits(None, &h));
        assert_eq!(viewer_ip(None, &h), None);
    }

    #[test]
    fn only_the_exact_secret_admits() {
        let secret = only(SECRET);
        assert!(admits(
            Some(&secret),
            &headers(&[(ORIGIN_SECRET_HEADER, SECRET)])
        ));
        for bad in [
            headers(&[]),
            headers(&[(ORIGIN_SECRET_HEADER, "wrong")]),
            headers(&[(ORIGIN_SECRET_HEADER, &SECRET[..31])]),
            headers(&[(ORIGIN_SECRET_HEADER, &format!("{SECRET}x"))]),
            headers(&[(ORIGIN_SECRET_HEADER, SECRET), (ORIGIN_SECRET_HEADER, "x")]),
        ] {
            assert!(!admits(Some(&secret), &bad), "{bad:?}");
        }
    }

    #[test]
    fn viewer_headers_count_only_with_the_secret() {
        let secret = only(SECRET);
        let with = headers(&[
            (ORIGIN_SECRET_HEADER, SECRET),
            (VIEWER_IP_HEADER, "2001:db8::7"),
            (VIEWER_HOST_HEADER, "MCP.Example.com"),
        ]);
        assert_eq!(viewer_ip(Some(&secret), &with), "2001:db8::7".parse().ok());
        assert_eq!(
            viewer_host(Some(&secret), &with).as_deref(),
            Some("mcp.example.com")
        );
        let without = headers(&[
            (VIEWER_IP_HEADER, "2001:db8::7"),
            (VIEWER_HOST_HEADER, "mcp.example.com"),
        ]);
        assert_eq!(viewer_ip(Some(&secret), &without), None);
        assert_eq!(viewer_host(Some(&secret), &without), None);
        let junk = headers(&[
            (ORIGIN_SECRET_HEADER, SECRET),
            (VIEWER_IP_HEADER, "not-an-ip"),
            (VIEWER_HOST_HEADER, "evil.example/path"),
        ]);
        assert_eq!(viewer_ip(Some(&secret), &junk), None);
        assert_eq!(viewer_host(Some(&secret), &junk), None);
    }

    /// A rotation: the old secret alone, then old and new (the window in
    /// which CloudFront's edges switch), then the new one alone. A request
    /// with either accepted value passes; nothing else does.
    #[test]
    fn during_a_rotation_both_secrets_pass_and_afterwards_only_the_new_one() {
        let with = |value: &str| {
            headers(&[
                (ORIGIN_SECRET_HEADER, value),
                (VIEWER_IP_HEADER, "203.0.113.9"),
            ])
        };
        let before = only(SECRET);
        let during = OriginSecrets::new(Secret::new(NEXT), Some(Secret::new(SECRET)));
        let after = only(NEXT);
        assert!(admits(Some(&before), &with(SECRET)));
        assert!(!admits(Some(&before), &with(NEXT)));
        for value in [SECRET, NEXT] {
            assert!(admits(Some(&during), &with(value)), "{value}");
            assert_eq!(
                viewer_ip(Some(&during), &with(value)),
                "203.0.113.9".parse().ok()
            );
        }
        assert!(!admits(
            Some(&during),
            &with("neither-of-them-0123456789abcdef")
        ));
        assert!(admits(Some(&after), &with(NEXT)));
        assert!(!admits(Some(&after), &with(SECRET)));
        // Both values at once is a client adding a guess: refused.
        let two = headers(&[(ORIGIN_SECRET_HEADER, SECRET), (ORIGIN_SECRET_HEADER, NEXT)]);
        assert!(!admits(Some(&during), &two));
    }
}
