//! Supabase auth (GoTrue subset): password grant, refresh grant, logout.

use std::net::IpAddr;

use serde::Deserialize;
use serde_json::json;
use url::Url;

use super::http::{Answer, send};
use super::{TokenSet, UpstreamError};
use crate::domain::{Email, Secret};

/// How Supabase's secret API keys begin: the only keys it takes
/// `Sb-Forwarded-For` from.
const SECRET_KEY_PREFIX: &str = "sb_secret_";

/// Client of `SUPABASE_URL/auth/v1`. Holds the anon key; without one every
/// call answers [`UpstreamError::NotConfigured`].
#[derive(Clone, Debug)]
pub struct AuthClient {
    http: reqwest::Client,
    base: Url,
    anon_key: Option<Secret>,
}

/// What a successful grant yields: the token set and who it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub tokens: TokenSet,
    pub email: Option<String>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Secret,
    refresh_token: Secret,
    expires_at: Option<i64>,
    expires_in: Option<i64>,
    user: Option<UserAnswer>,
}

#[derive(Deserialize)]
struct UserAnswer {
    email: Option<String>,
}

#[derive(Deserialize, Default)]
struct ErrorAnswer {
    error_code: Option<String>,
    /// Older GoTrue releases answer in the OAuth shape (`error`,
    /// `error_description`) instead of `error_code` and `msg`.
    error: Option<String>,
    msg: Option<String>,
}

/// Which grant an error answer is for: `invalid_grant` is a wrong password
/// on the password grant and a dead refresh token on the refresh grant.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GrantType {
    Password,
    Refresh,
}

impl GrantType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Refresh => "refresh_token",
        }
    }
}

impl AuthClient {
    pub fn new(http: reqwest::Client, base: Url, anon_key: Option<Secret>) -> Self {
        Self {
            http,
            base,
            anon_key,
        }
    }

    /// Password grant. Never retried: a retry would spend another attempt of
    /// the user's rate-limit bucket and may double-log a failure.
    pub async fn password_grant(
        &self,
        email: &Email,
        password: &Secret,
    ) -> Result<Grant, UpstreamError> {
        self.password_grant_for(email, password, None).await
    }

    /// Password grant for an end user at `end_user`. With a secret API key
    /// (`sb_secret_…`) the address is sent in `Sb-Forwarded-For`: a
    /// project with IP address forwarding on then rate-limits the end
    /// user's address instead of ours. Supabase ignores the header with
    /// anon and publishable keys, so it is not sent with them.
    pub async fn password_grant_for(
        &self,
        email: &Email,
        password: &Secret,
        end_user: Option<IpAddr>,
    ) -> Result<Grant, UpstreamError> {
        let body = json!({ "email": email.as_str(), "password": password.expose() });
        let forwarded = end_user.filter(|_| forwards_end_user(self.anon_key.as_ref()));
        self.grant(GrantType::Password, body, forwarded).await
    }

    /// Refresh grant: the answer carries a new refresh token (rotation), so the
    /// caller must persist the returned set. Never retried: a refresh token is
    /// single use. [`UpstreamError::Unauthorized`] means the auth service
    /// refused the refresh token itself (the upstream login is over); every
    /// other failure leaves the refresh token as it was.
    pub async fn refresh(&self, tokens: &TokenSet) -> Result<Grant, UpstreamError> {
        let Some(refresh_token) = &tokens.refresh_token else {
            return Err(UpstreamError::Unauthorized(
                "the token expired and cannot be refreshed".into(),
            ));
        };
        self.grant(
            GrantType::Refresh,
            json!({ "refresh_token": refresh_token.expose() }),
            None,
        )
        .await
    }

    /// Ends the upstream session: its refresh tokens die.
    pub async fn logout(&self, access_token: &Secret) -> Result<(), UpstreamError> {
        let request = self
            .request(reqwest::Method::POST, "logout")?
            .bearer_auth(access_token.expose());
        let answer = send(request).await?;
        if answer.status.is_success() {
            return Ok(());
        }
        Err(answer.common_error().unwrap_or_else(|| {
            if answer.status == http::StatusCode::UNAUTHORIZED
                || answer.status == http::StatusCode::FORBIDDEN
            {
                UpstreamError::Unauthorized("the session had already ended".into())
            } else {
                answer.unexpected()
            }
        }))
    }

    async fn grant(
        &self,
        grant_type: GrantType,
        body: serde_json::Value,
        forwarded_for: Option<IpAddr>,
    ) -> Result<Grant, UpstreamError> {
        let mut request = self
            .request(reqwest::Method::POST, "token")?
            .query(&[("grant_type", grant_type.as_str())])
            .json(&body);
        if let Some(ip) = forwarded_for {
            request = request.header("sb-forwarded-for", ip.to_string());
        }
        let answer = send(request).await?;
        if answer.status.is_success() {
            let parsed: TokenAnswer = answer.json()?;
            return Ok(into_grant(parsed));
        }
        Err(grant_error(&answer, grant_type))
    }

    fn request(
        &self,
        method: reqwest::Method,
        endpoint: &str,
    ) -> Result<reqwest::RequestBuilder, UpstreamError> {
        let anon_key = self
            .anon_key
            .as_ref()
            .filter(|key| !key.is_empty())
            .ok_or(UpstreamError::NotConfigured)?;
        let url = self
            .base
            .join(&format!("auth/v1/{endpoint}"))
            .map_err(|_| UpstreamError::Malformed("SUPABASE_URL cannot take a path".into()))?;
        Ok(self
            .http
            .request(method, url)
            .header("apikey", anon_key.expose()))
    }
}

/// Whether `key` is one Supabase accepts `Sb-Forwarded-For` from.
fn forwards_end_user(key: Option<&Secret>) -> bool {
    key.is_some_and(|key| key.expose().starts_with(SECRET_KEY_PREFIX))
}

fn into_grant(answer: TokenAnswer) -> Grant {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let expires_at = answer
        .expires_at
        .or_else(|| answer.expires_in.map(|secs| now.saturating_add(secs)))
        .or_else(|| super::jwt::claims(answer.access_token.expose()).and_then(|c| c.exp));
    Grant {
        tokens: TokenSet {
            access_token: answer.access_token,
            refresh_token: Some(answer.refresh_token),
            expires_at,
        },
        email: answer.user.and_then(|user| user.email),
    }
}

fn grant_error(answer: &Answer, grant_type: GrantType) -> UpstreamError {
    if let Some(err) = answer.common_error() {
        return err;
    }
    let parsed: ErrorAnswer = serde_json::from_slice(&answer.body).unwrap_or_default();
    let code = parsed.error_code.as_deref().or(parsed.error.as_deref());
    match code {
        // The refresh token itself is dead: only this ends a stored login.
        Some(
            "invalid_grant"
            | "refresh_token_already_used"
            | "refresh_token_not_found"
            | "session_not_found"
            | "session_expired",
        ) if grant_type == GrantType::Refresh => {
            UpstreamError::Unauthorized("the login session ended; log in again".into())
        }
        Some("invalid_credentials" | "validation_failed" | "invalid_grant") => {
            UpstreamError::InvalidCredentials
        }
        Some("email_not_confirmed") => UpstreamError::EmailNotConfirmed,
        Some("over_request_rate_limit" | "over_email_send_rate_limit") => {
            UpstreamError::RateLimited {
                retry_after: answer.retry_after(),
            }
        }
        Some("refresh_token_already_used" | "refresh_token_not_found" | "session_not_found") => {
            UpstreamError::Unauthorized("the login session ended; log in again".into())
        }
        // A refusal of this server's key, not of the user's refresh token:
        // the login stays (the operator's fix makes it work again).
        _ if answer.status == http::StatusCode::UNAUTHORIZED
            && grant_type == GrantType::Refresh =>
        {
            UpstreamError::Unavailable("the auth service refused this server's key".into())
        }
        _ if answer.status == http::StatusCode::UNAUTHORIZED => UpstreamError::Unauthorized(
            "the auth service refused the server's SUPABASE_ANON_KEY".into(),
        ),
        _ => UpstreamError::Malformed(format!(
            "auth answered {}: {}",
            answer.status.as_u16(),
            parsed.msg.as_deref().unwrap_or("no message")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_user_is_named_only_with_a_secret_key() {
        assert!(forwards_end_user(Some(&Secret::new("sb_secret_abc"))));
        for key in ["sb_publishable_abc", "eyJhbGciOi.legacy.anon"] {
            assert!(!forwards_end_user(Some(&Secret::new(key))), "{key}");
        }
        assert!(!forwards_end_user(None));
    }
}
