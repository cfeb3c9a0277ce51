//! The user's upstream token set: what a login or refresh yields and what a
//! session keeps (never the credentials).

use serde::{Deserialize, Serialize};

use crate::domain::Secret;

/// A Supabase access token plus, when we obtained it ourselves, the refresh
/// token that renews it. A bearer token handed to us by the client has no
/// refresh token: when it expires the client must bring a new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSet {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// Expiry of the access token, Unix seconds (from `expires_at`, or the JWT `exp`).
    pub expires_at: Option<i64>,
}

/// Seconds before `expires_at` at which we refresh proactively: a token that
/// expires mid-request costs a 401 round trip.
const EXPIRY_SKEW_SECS: i64 = 10;

impl TokenSet {
    /// A bare bearer token (a client's `Authorization` header or the
    /// single-tenant fallback); its expiry is read from the JWT when present.
    pub fn bearer(token: Secret) -> Self {
        let expires_at = crate::upstream::jwt::claims(token.expose()).and_then(|c| c.exp);
        Self {
            access_token: token,
            refresh_token: None,
            expires_at,
        }
    }

    /// True when the access token is known to be expired (or about to be) at `now`.
    pub fn is_expired_at(&self, now: i64) -> bool {
        self.expires_at
            .is_some_and(|exp| exp <= now.saturating_add(EXPIRY_SKEW_SECS))
    }

    pub fn can_refresh(&self) -> bool {
        self.refresh_token.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(expires_at: Option<i64>) -> TokenSet {
        TokenSet {
            access_token: Secret::new("a"),
            refresh_token: Some(Secret::new("r")),
            expires_at,
        }
    }

    #[test]
    fn expiry_includes_the_skew() {
        assert!(set(Some(100)).is_expired_at(100));
        assert!(set(Some(105)).is_expired_at(100));
        assert!(!set(Some(200)).is_expired_at(100));
        assert!(!set(None).is_expired_at(i64::MAX));
    }

    #[test]
    fn debug_hides_tokens() {
        let printed = format!("{:?}", set(Some(1)));
        assert!(
            !printed.contains("\"a\"") && !printed.contains("\"r\""),
            "{printed}"
        );
    }
}
