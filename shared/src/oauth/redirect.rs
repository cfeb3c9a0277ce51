//! Redirect URIs: what a client may register, and how a requested one
//! matches a registered one.

use url::{Host, Url};

use super::OAuthError;

/// A redirect URI that passed registration rules: https anywhere, plain
/// http only on loopback, or a private-use scheme (`cursor://…`); never a
/// scheme that runs code or reads files, never a fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectUri(Url);

const REFUSED_SCHEMES: [&str; 7] = [
    "javascript",
    "data",
    "vbscript",
    "file",
    "about",
    "blob",
    "ftp",
];

impl RedirectUri {
    pub fn parse(raw: &str) -> Result<Self, OAuthError> {
        let url = Url::parse(raw)
            .map_err(|_| OAuthError::invalid_redirect_uri(format!("not an absolute URI: {raw}")))?;
        if url.fragment().is_some() {
            return Err(OAuthError::invalid_redirect_uri(
                "a redirect URI must not have a fragment",
            ));
        }
        let scheme = url.scheme();
        if REFUSED_SCHEMES.contains(&scheme) {
            return Err(OAuthError::invalid_redirect_uri(format!(
                "the {scheme}: scheme is not allowed"
            )));
        }
        match scheme {
            "https" if url.host().is_some() => {}
            "https" => return Err(OAuthError::invalid_redirect_uri("https URI without a host")),
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(OAuthError::invalid_redirect_uri(
                    "plain http is allowed only for loopback (127.0.0.1, [::1], localhost)",
                ));
            }
            // Private-use schemes (RFC 8252 §7.1) of native apps.
            _ => {}
        }
        Ok(Self(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn url(&self) -> &Url {
        &self.0
    }

    /// Whether a requested URI matches this registered one: exactly, except
    /// that on loopback any port matches (RFC 8252 §7.3) and `localhost`
    /// equals `127.0.0.1`.
    pub fn matches(&self, requested: &Url) -> bool {
        if self.0 == *requested {
            return true;
        }
        if !(is_loopback(&self.0) && is_loopback(requested)) {
            return false;
        }
        self.0.scheme() == requested.scheme()
            && self.0.path() == requested.path()
            && self.0.query() == requested.query()
            && loopback_family(&self.0) == loopback_family(requested)
    }
}

fn is_loopback(url: &Url) -> bool {
    url.scheme() == "http" && crate::config::is_loopback_host(url)
}

/// `localhost` and 127.0.0.0/8 are one family; `[::1]` another.
fn loopback_family(url: &Url) -> u8 {
    match url.host() {
        Some(Host::Ipv6(_)) => 6,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_rules() {
        for ok in [
            "https://claude.ai/api/mcp/auth_callback",
            "http://127.0.0.1:33418/callback",
            "http://localhost:3334/oauth/callback",
            "http://[::1]/cb",
            "cursor://anysphere.cursor-mcp/oauth/callback",
            "https://vscode.dev/redirect",
        ] {
            assert!(RedirectUri::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "vbscript:x",
            "file:///etc/passwd",
            "http://example.com/cb",
            "https://example.com/cb#frag",
            "relative/path",
            "",
        ] {
            assert!(RedirectUri::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_matches_any_port_and_localhost_is_127() {
        let registered = RedirectUri::parse("http://127.0.0.1/callback").unwrap();
        let requested = |s: &str| Url::parse(s).unwrap();
        assert!(registered.matches(&requested("http://127.0.0.1:51234/callback")));
        assert!(registered.matches(&requested("http://localhost:8080/callback")));
        assert!(!registered.matches(&requested("http://127.0.0.1:51234/other")));
        assert!(!registered.matches(&requested("http://[::1]:5000/callback")));
        let exact = RedirectUri::parse("https://claude.ai/api/mcp/auth_callback").unwrap();
        assert!(exact.matches(&requested("https://claude.ai/api/mcp/auth_callback")));
        assert!(!exact.matches(&requested("https://claude.ai/api/mcp/auth_callback/x")));
        assert!(!exact.matches(&requested("https://claude.ai:444/api/mcp/auth_callback")));
    }
}
