//! DNS-rebinding protection: `Origin` and `Host` checks before any route.

use http::HeaderMap;
use url::Url;

use crate::domain::is_loopback_host;

/// Who may talk to this server from a browser, and under which host names.
#[derive(Clone, Debug, Default)]
pub struct OriginPolicy {
    /// `ALLOWED_ORIGINS`: exact origins (`scheme://host[:port]`).
    pub allowed_origins: Vec<String>,
    /// `ALLOWED_HOSTS`: host names, with or without a port.
    pub allowed_hosts: Vec<String>,
    /// The server listens on loopback only: without lists, a non-loopback
    /// `Origin` or `Host` can only come from a rebinding attack.
    pub loopback_bind: bool,
    /// `PUBLIC_URL`'s origin, always allowed.
    pub public_origin: Option<String>,
}

/// Why a request was refused; the message is safe to show.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub &'static str);

impl OriginPolicy {
    pub fn check(&self, headers: &HeaderMap) -> Result<(), Refused> {
        if let Some(origin) = header(headers, http::header::ORIGIN)
            && !self.origin_allowed(origin)
        {
            return Err(Refused("this Origin is not allowed"));
        }
        if let Some(host) = header(headers, http::header::HOST)
            && !self.host_allowed(host)
        {
            return Err(Refused("this Host is not allowed"));
        }
        Ok(())
    }

    fn origin_allowed(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/');
        if self.public_origin.as_deref() == Some(origin) {
            return true;
        }
        if !self.allowed_origins.is_empty() {
            return self.allowed_origins.iter().any(|allowed| allowed == origin);
        }
        if self.loopback_bind {
            // "null" (sandboxed frames, file://) is not loopback either.
            return Url::parse(origin).is_ok_and(|url| is_loopback_host(&url));
        }
        true
    }

    fn host_allowed(&self, host: &str) -> bool {
        let public_host = self
            .public_origin
            .as_deref()
            .and_then(|origin| Url::parse(origin).ok())
            .and_then(|url| url.host_str().map(str::to_owned));
        let name = host_name(host);
        if public_host
            .as_deref()
            .is_some_and(|h| h.eq_ignore_ascii_case(name))
        {
            return true;
        }
        if !self.allowed_hosts.is_empty() {
            return self.allowed_hosts.iter().any(|allowed| {
                allowed.eq_ignore_ascii_case(host) || allowed.eq_ignore_ascii_case(name)
            });
        }
        if self.loopback_bind {
            return Url::parse(&format!("http://{host}")).is_ok_and(|url| is_loopback_host(&url));
        }
        true
    }
}

fn header(headers: &HeaderMap, name: http::header::HeaderName) -> Option<&str> {
    headers.get(name).map(|v| v.to_str().unwrap_or("\u{fffd}"))
}

/// `host[:port]` → host, keeping IPv6 brackets.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn loopback_bind_refuses_foreign_origin_and_host() {
        let policy = OriginPolicy {
            loopback_bind: true,
            ..Default::default()
        };
        assert!(
            policy
                .check(&headers(&[("host", "127.0.0.1:8080")]))
                .is_ok()
        );
        assert!(
            policy
                .check(&headers(&[
                    ("host", "localhost:8080"),
                    ("origin", "http://localhost:3000")
                ]))
                .is_ok()
        );
        assert!(policy.check(&headers(&[("host", "[::1]:8080")])).is_ok());
        assert!(
            policy
                .check(&headers(&[("origin", "https://evil.example")]))
                .is_err()
        );
        assert!(policy.check(&headers(&[("origin", "null")])).is_err());
        assert!(policy.check(&headers(&[("host", "evil.example")])).is_err());
    }

    #[test]
    fn lists_are_exact() {
        let policy = OriginPolicy {
            allowed_origins: vec!["https://app.example".into()],
            allowed_hosts: vec!["mcp.example".into()],
            ..Default::default()
        };
        assert!(
            policy
                .check(&headers(&[
                    ("origin", "https://app.example"),
                    ("host", "mcp.example:443")
                ]))
                .is_ok()
        );
        assert!(
            policy
                .check(&headers(&[("origin", "https://app.example.evil")]))
                .is_err()
        );
        assert!(
            policy
                .check(&headers(&[("host", "other.example")]))
                .is_err()
        );
    }

    #[test]
    fn without_lists_or_loopback_everything_passes() {
        let policy = OriginPolicy::default();
        assert!(
            policy
                .check(&headers(&[
                    ("origin", "https://any.example"),
                    ("host", "x.example")
                ]))
                .is_ok()
        );
    }
}
