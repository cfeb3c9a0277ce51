//! Redirect URIs: what a client may register, and how a requested one
//! matches a registered one.

use url::{Host, Url};

use super::OAuthError;

/// A redirect URI that passed the rules, whether registered, listed in a
/// metadata document or requested at `/authorize`: https to a web host;
/// plain http only to loopback; a private-use scheme (RFC 8252 §7.1) only
/// in reverse-DNS form (`com.example.app:/cb`) and without an authority
/// that looks like a web host, or one of the few `NATIVE_APP_SCHEMES`;
/// never a scheme that runs code, reads files or opens a socket; never a
/// fragment or userinfo (`http://evil@127.0.0.1/` reads as "evil" to a
/// user and is nobody's callback).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectUri(Url);

/// Schemes refused whatever else the URI says.
const REFUSED_SCHEMES: [&str; 11] = [
    "javascript",
    "data",
    "vbscript",
    "file",
    "about",
    "blob",
    "ftp",
    "view-source",
    "jar",
    "ws",
    "wss",
];

/// Single-label private-use schemes of real MCP hosts, each with the one
/// authority it uses: Cursor registers
/// `cursor://anysphere.cursor-mcp/oauth/callback`.
pub const NATIVE_APP_SCHEMES: [(&str, &str); 1] = [("cursor", "anysphere.cursor-mcp")];

impl RedirectUri {
    pub fn parse(raw: &str) -> Result<Self, OAuthError> {
        let refuse = |why: String| Err(OAuthError::invalid_redirect_uri(why));
        let Ok(url) = Url::parse(raw) else {
            return refuse("a redirect URI must be an absolute URI".into());
        };
        if url.fragment().is_some() {
            return refuse("a redirect URI must not have a fragment".into());
        }
        if !url.username().is_empty() || url.password().is_some() {
            return refuse("a redirect URI must not carry a user name or password".into());
        }
        let scheme = url.scheme();
        if REFUSED_SCHEMES.contains(&scheme) {
            return refuse(format!("the {scheme}: scheme is not allowed"));
        }
        match scheme {
            "https" if url.host().is_some() => {}
            "https" => return refuse("an https redirect URI needs a host".into()),
            "http" if is_loopback(&url) => {}
            "http" => {
                return refuse(
                    "plain http is allowed only for loopback (127.0.0.1, [::1], localhost)".into(),
                );
            }
            _ => private_use(&url).map_err(OAuthError::invalid_redirect_uri)?,
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

/// The rules of a private-use scheme: reverse-DNS (`com.example.app`),
/// whose authority, if any, is a single label (`com.example.app://callback`)
/// — `com.evil://claude.ai/cb` would read as claude.ai — or a named native
/// app's own scheme and authority.
fn private_use(url: &Url) -> Result<(), String> {
    let scheme = url.scheme();
    let authority = url.host_str().unwrap_or_default();
    if let Some((_, expected)) = NATIVE_APP_SCHEMES.iter().find(|(s, _)| *s == scheme) {
        return if authority == *expected && url.port().is_none() {
            Ok(())
        } else {
            Err(format!(
                "{scheme}: redirect URIs must be {scheme}://{expected}/…"
            ))
        };
    }
    let reverse_dns = scheme.split('.').count() >= 2 && scheme.split('.').all(|l| !l.is_empty());
    if !reverse_dns {
        return Err(format!(
            "the {scheme}: scheme is not allowed: a private-use scheme must be in reverse-DNS form (com.example.app:/callback)"
        ));
    }
    let looks_like_a_host = match url.host() {
        None => false,
        Some(Host::Domain(domain)) => domain.contains('.') || url.port().is_some(),
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => true,
    };
    if looks_like_a_host {
        return Err(format!(
            "a {scheme}: redirect URI must not name a web host ({authority}); use {scheme}:/path"
        ));
    }
    Ok(())
}

fn is_loopback(url: &Url) -> bool {
    url.scheme() == "http" && crate::domain::is_loopback_host(url)
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
            "com.example.app:/oauth2redirect",
            "com.example.app://callback",
            "com.example.app:///callback",
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
            "http://evil@127.0.0.1/loop",
            "http://127.0.0.1/loop#f",
            "http://evil@127.0.0.1/loop#f",
            "https://user:pw@claude.ai/cb",
            "https://claude.ai/cb#",
            "com.evil://claude.ai/cb",
            "com.evil://127.0.0.1/cb",
            "com.evil://callback:443/cb",
            "myapp://callback",
            "myapp:/callback",
            "cursor://claude.ai/cb",
            "cursor://anysphere.cursor-mcp:80/cb",
            "view-source:https://claude.ai/",
            "jar:https://claude.ai/x.jar!/",
            "ws://127.0.0.1/cb",
            "wss://claude.ai/cb",
            "about:blank",
            "blob:https://claude.ai/x",
            "ftp://127.0.0.1/cb",
            "com..evil:/cb",
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
