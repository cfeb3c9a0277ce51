//! The bearer token on a request and the identity it names.

use http::HeaderMap;
use sha2::{Digest, Sha256};

use crate::domain::Secret;
use crate::upstream::jwt;

/// `Authorization: Bearer <token>`: the user's token, carried to the backend
/// (which validates it), and the identity a session binds to.
#[derive(Clone, Debug)]
pub struct Bearer {
    pub token: Secret,
    /// A hash naming the user: the JWT `sub` when the token is a JWT (stable
    /// across the client's own refreshes), else the token itself.
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
        let subject = jwt::claims(token).and_then(|claims| claims.sub);
        let identity = match subject {
            Some(sub) => hash(&format!("sub:{sub}")),
            None => hash(&format!("token:{token}")),
        };
        Some(Self {
            token: Secret::new(token),
            identity,
        })
    }
}

/// Who is calling: mode B may carry a user's Supabase token; mode A always
/// carries our access token, validated into the grant behind it.
#[derive(Clone, Debug, Default)]
pub struct Auth {
    pub bearer: Option<Bearer>,
    pub grant: Option<crate::oauth::GrantAccess>,
}

impl Auth {
    /// Mode B: an `Authorization: Bearer` is the user's upstream token.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self {
            bearer: Bearer::from_headers(headers),
            grant: None,
        }
    }

    /// Mode A: a validated access token of ours.
    pub fn granted(token: &str, grant: crate::oauth::GrantAccess) -> Self {
        Self {
            bearer: Some(Bearer {
                token: Secret::new(token),
                identity: grant.identity.clone(),
            }),
            grant: Some(grant),
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
    fn identity_follows_the_jwt_subject_not_the_token() {
        use base64::Engine;
        let jwt = |exp: u32| {
            let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(format!(r#"{{"sub":"user-1","exp":{exp}}}"#));
            format!("Bearer h.{payload}.s")
        };
        let a = bearer(&jwt(1)).unwrap();
        let b = bearer(&jwt(2)).unwrap();
        assert_eq!(a.identity, b.identity);
        assert_ne!(a.identity, bearer("Bearer opaque").unwrap().identity);
        assert!(!a.identity.contains("user-1"));
    }
}
