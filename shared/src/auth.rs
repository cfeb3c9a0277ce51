//! Who is calling: the bearer token on a request, the identity it names,
//! and (mode A) the grant behind it. Not a transport concept: the MCP
//! transport reads it from the headers, sessions bind to its identity, and
//! tools act with it.

use http::HeaderMap;
use sha2::{Digest, Sha256};

use crate::domain::Secret;
use crate::oauth::GrantAccess;

/// `Authorization: Bearer <token>`: the user's token, carried to the backend
/// (which validates it), and the identity a session binds to.
#[derive(Clone, Debug)]
pub struct Bearer {
    pub token: Secret,
    /// What a session binds to: in mode B the hash of the whole token. Its
    /// claims (a JWT `sub`) are not verified here — only the backend can —
    /// so anyone could forge a token with someone's `sub`; only the holder
    /// of the exact token has its hash. (A client that refreshes its token
    /// starts a new session.) In mode A, the grant our own token opened.
    pub identity: String,
}

impl Bearer {
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.trim().split_once(' ')?;
        let token = token.trim();
        if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
            return None;
        }
        Some(Self {
            token: Secret::new(token),
            identity: hash(&format!("token:{token}")),
        })
    }
}

/// Who is calling, decided once per request by the router — the one place
/// that knows the server's mode. Mode B: no token, or the user's own
/// upstream token. Mode A: our access token, validated into the grant
/// behind it (a request without one never gets this far).
#[derive(Clone, Debug, Default)]
pub enum Auth {
    #[default]
    Anonymous,
    /// Mode B: `Authorization: Bearer` carries the user's upstream token.
    Bearer(Bearer),
    /// Mode A: one of our access tokens, and the grant it opens.
    Granted(GrantAccess),
}

impl Auth {
    /// Mode B: an `Authorization: Bearer` is the user's upstream token.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Bearer::from_headers(headers).map_or(Self::Anonymous, Self::Bearer)
    }

    /// What a session binds to: the bearer's hash, or the grant's user.
    pub fn identity(&self) -> Option<&str> {
        match self {
            Self::Anonymous => None,
            Self::Bearer(bearer) => Some(&bearer.identity),
            Self::Granted(grant) => Some(&grant.identity),
        }
    }
}

fn hash(value: &str) -> String {
    hex::encode(Sha256::digest(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(value: &str) -> Option<Bearer> {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::AUTHORIZATION, value.parse().unwrap());
        Bearer::from_headers(&headers)
    }

    #[test]
    fn reads_bearer_tokens_only() {
        assert_eq!(bearer("Bearer abc").unwrap().token.expose(), "abc");
        assert_eq!(bearer("bearer  abc ").unwrap().token.expose(), "abc");
        assert!(bearer("Basic abc").is_none());
        assert!(bearer("Bearer ").is_none());
        assert!(bearer("Bearer").is_none());
    }

    #[test]
    fn identity_is_the_whole_token_not_its_unverified_claims() {
        use base64::Engine;
        let jwt = |signature: &str| {
            let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(r#"{"sub":"user-1","exp":1}"#);
            format!("Bearer h.{payload}.{signature}")
        };
        let real = bearer(&jwt("real-signature")).unwrap();
        let forged = bearer(&jwt("forged")).unwrap();
        assert_ne!(real.identity, forged.identity);
        assert_eq!(
            real.identity,
            bearer(&jwt("real-signature")).unwrap().identity
        );
        assert!(!real.identity.contains("user-1"));
    }
}
