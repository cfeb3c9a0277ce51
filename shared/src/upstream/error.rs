//! The one error type of the upstream boundary (Supabase auth + MalGomo REST).

use std::time::Duration;

use crate::domain::InvalidPeriod;

/// What went wrong talking to an upstream, in the classes a caller acts on.
/// Messages never contain credentials or tokens.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UpstreamError {
    /// Unknown email or wrong password.
    #[error("invalid email or password")]
    InvalidCredentials,
    /// The account exists but its email address was never confirmed.
    #[error("the email address of this account is not confirmed")]
    EmailNotConfirmed,
    /// The upstream asked us to slow down.
    #[error("rate limited by the upstream service{}", retry_hint(*retry_after))]
    RateLimited { retry_after: Option<Duration> },
    /// Missing, invalid, expired or revoked token, and no way to refresh it.
    /// From a refresh grant: the refresh token itself was refused, which
    /// is the only failure that ends a stored login.
    #[error("not authorized: {0}")]
    Unauthorized(String),
    /// The backend refused an access token renewed a moment ago. The login
    /// behind it still holds a refresh token that worked, so this is not
    /// the end of the login (the token may have expired while the request
    /// queued); a later call renews again, or learns that the login ended.
    #[error("the backend refused a token renewed a moment ago")]
    RenewedTokenRefused,
    /// The user's role may not read this (dashboard data is owner/admin only).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The backend refused the period.
    #[error(transparent)]
    InvalidPeriod(#[from] InvalidPeriod),
    /// 5xx, timeout, connection refused: try again later.
    #[error("MalGomo is unavailable: {0}")]
    Unavailable(String),
    /// The upstream answered something that does not match the contract.
    #[error("MalGomo sent an unexpected answer: {0}")]
    Malformed(String),
    /// Login needs `SUPABASE_ANON_KEY`, and it is not set.
    #[error("login is not configured on this server: SUPABASE_ANON_KEY is not set")]
    NotConfigured,
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(", retry after {} s", wait.as_secs().max(1)),
        None => String::new(),
    }
}

impl UpstreamError {
    /// Worth one more try of an idempotent request: a 5xx or a failed
    /// connection. A timeout is not — a second one would double the wait.
    pub(crate) fn is_transient(&self) -> bool {
        matches!(self, Self::Unavailable(detail) if detail != super::http::TIMED_OUT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_message_carries_the_wait() {
        let err = UpstreamError::RateLimited {
            retry_after: Some(Duration::from_secs(7)),
        };
        assert_eq!(
            err.to_string(),
            "rate limited by the upstream service, retry after 7 s"
        );
        let err = UpstreamError::RateLimited { retry_after: None };
        assert_eq!(err.to_string(), "rate limited by the upstream service");
    }
}
