//! Who is calling: the bearer access token checked against the signer, the clock and the
//! session store. Both services use it; each maps the refusal to its own error body.

use crate::accounts::{self, Account};
use crate::jwt::{JwtError, now_unix};
use crate::state::{SimState, lock};
use axum::http::{HeaderMap, header};
use uuid::Uuid;

/// An authenticated caller.
#[derive(Debug)]
pub(crate) struct Caller {
    pub account: &'static Account,
    pub session_id: Uuid,
}

/// Why a bearer token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No `Authorization: Bearer …` header.
    Missing,
    /// Not a token this simulator signed.
    Invalid,
    /// Signed by us but past `exp`.
    Expired,
    /// The session was logged out or its refresh family revoked.
    SessionGone,
}

/// The token in `Authorization: Bearer <token>` (scheme case-insensitive), if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Checks the bearer token of a request.
pub(crate) fn authenticate(state: &SimState, headers: &HeaderMap) -> Result<Caller, Refusal> {
    let token = bearer(headers).ok_or(Refusal::Missing)?;
    let claims = state
        .signer
        .verify(token, now_unix())
        .map_err(|e| match e {
            JwtError::Expired => Refusal::Expired,
            JwtError::Malformed | JwtError::BadSignature => Refusal::Invalid,
        })?;
    let session_id = Uuid::parse_str(&claims.session_id).map_err(|_| Refusal::Invalid)?;
    if !lock(&state.sessions).is_active(session_id) {
        return Err(Refusal::SessionGone);
    }
    let account = accounts::find(&claims.email).ok_or(Refusal::Invalid)?;
    Ok(Caller {
        account,
        session_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(header::AUTHORIZATION, v);
        }
        h
    }

    #[test]
    fn bearer_parsing() {
        assert_eq!(bearer(&headers("Bearer abc")), Some("abc"));
        assert_eq!(bearer(&headers("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(&headers("Basic abc")), None);
        assert_eq!(bearer(&headers("Bearer ")), None);
        assert_eq!(bearer(&headers("Bearer")), None);
        assert_eq!(bearer(&HeaderMap::new()), None);
    }
}
