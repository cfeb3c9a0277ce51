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
    public_origin: Option<String>,
    /// Its host name, taken from it once (it never changes).
    public_host: Option<String>,
}

/// Why a request was refused; the message is safe to show.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub &'static str);

impl OriginPolicy {
    /// The policy of the settings; `public_origin` is `PUBLIC_URL`'s origin.
    pub fn new(
        allowed_origins: Vec<String>,
        allowed_hosts: Vec<String>,
        loopback_bind: bool,
        public_origin: Option<String>,
    ) -> Self {
        let public_host = public_origin
            .as_deref()
            .and_then(|origin| Url::parse(origin).ok())
            .and_then(|url| url.host_str().map(str::to_owned));
        Self {
            allowed_origins,
            allowed_hosts,
            loopback_bind,
            public_origin,
            public_host,
        }
    }

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
            let plain = ["http://", "https://"]
                .iter()
                .any(|scheme| origin.strip_prefix(scheme).is_some_and(is_plain_loopback));
            return plain || Url::parse(origin).is_ok_and(|url| is_loopback_host(&url));
        }
        true
    }

    fn host_allowed(&self, host: &str) -> bool {
        let name = host_name(host);
        if self
            .public_host
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
            return is_plain_loopback(host)
                || Url::parse(&format!("http://{host}")).is_ok_and(|url| is_loopback_host(&url));
        }
        true
    }
}

fn header(headers: &HeaderMap, name: http::header::HeaderName) -> Option<&str> {
    headers.get(name).map(|v| v.to_str().unwrap_or("\u{fffd}"))
}

/// `localhost`, `127.0.0.1` or `[::1]`, alone or with a port of at most
/// five digits that fits in 16 bits: the host a local client names, known
/// to be loopback without building a URL. The URL parse would accept each
/// of them as loopback too; anything else is left to it.
fn is_plain_loopback(host: &str) -> bool {
    let (name, port) = match host.strip_prefix("[::1]") {
        Some(rest) => ("[::1]", rest),
        None => host.find(':').map_or((host, ""), |at| host.split_at(at)),
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|digits| {
            (1..=5).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && digits.parse::<u16>().is_ok()
        });
    port_ok && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
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

    /// What the quick loopback check accepts, the URL parse accepts as
    /// loopback too; what it leaves, the parse still judges.
    #[test]
    fn the_quick_loopback_check_agrees_with_the_url_parse() {
        let parsed = |host: &str| {
            Url::parse(&format!("http://{host}")).is_ok_and(|url| is_loopback_host(&url))
        };
        for host in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "localhost",
            "LocalHost:3000",
            "[::1]",
            "[::1]:65535",
            "localhost:0",
            "127.0.0.1:00080",
        ] {
            assert!(is_plain_loopback(host), "{host}");
            assert!(parsed(host), "{host}");
        }
        for host in [
            "127.0.0.1:65536",
            "127.0.0.1:",
            "127.0.0.1:80a",
            "localhost:123456",
            "localhost.evil",
            "evil.example",
            "127.0.0.1.evil",
            "[::1]x",
            "[::2]",
            "127.0.0.2",
            "localhost:80:80",
            "",
        ] {
            assert!(!is_plain_loopback(host), "{host}");
        }
        let policy = OriginPolicy {
            loopback_bind: true,
            ..Default::default()
        };
        // Left to the parse, which still knows other loopback spellings.
        assert!(policy.check(&headers(&[("host", "127.0.0.2:80")])).is_ok());
        assert!(
            policy
                .check(&headers(&[("host", "127.0.0.1:65536")]))
                .is_err()
        );
        assert!(
            policy
                .check(&headers(&[("origin", "http://localhost:3000")]))
                .is_ok()
        );
        assert!(
            policy
                .check(&headers(&[("origin", "http://localhost.evil")]))
                .is_err()
        );
    }

    #[test]
    fn the_public_origin_and_its_host_are_allowed() {
        let policy = OriginPolicy::new(
            vec!["https://app.example".into()],
            vec!["mcp.example".into()],
            false,
            Some("https://Public.Example".into()),
        );
        assert!(
            policy
                .check(&headers(&[("host", "public.example:443")]))
                .is_ok()
        );
        assert!(
            policy
                .check(&headers(&[("origin", "https://Public.Example")]))
                .is_ok()
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
