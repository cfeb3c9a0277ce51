//! Supabase's error answers: `{"code": <status>, "error_code": "...", "msg": "..."}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::time::Duration;

/// A GoTrue error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthError {
    pub status: StatusCode,
    pub error_code: &'static str,
    pub msg: &'static str,
    /// Sent as `Retry-After` (whole seconds) when set.
    pub retry_after: Option<Duration>,
}

impl AuthError {
    pub const fn new(status: StatusCode, error_code: &'static str, msg: &'static str) -> Self {
        AuthError {
            status,
            error_code,
            msg,
            retry_after: None,
        }
    }

    pub const INVALID_CREDENTIALS: AuthError = AuthError::new(
        StatusCode::BAD_REQUEST,
        "invalid_credentials",
        "Invalid login credentials",
    );
    pub const EMAIL_NOT_CONFIRMED: AuthError = AuthError::new(
        StatusCode::BAD_REQUEST,
        "email_not_confirmed",
        "Email not confirmed",
    );
    pub const MISSING_EMAIL: AuthError = AuthError::new(
        StatusCode::BAD_REQUEST,
        "validation_failed",
        "missing email or phone",
    );
    pub const MISSING_REFRESH_TOKEN: AuthError = AuthError::new(
        StatusCode::BAD_REQUEST,
        "validation_failed",
        "refresh_token required",
    );
    pub const UNSUPPORTED_GRANT: AuthError = AuthError::new(
        StatusCode::BAD_REQUEST,
        "validation_failed",
        "unsupported_grant_type",
    );
    pub const BAD_JSON: AuthError = AuthError::new(
        StatusCode::BAD_REQUEST,
        "bad_json",
        "Could not parse request body as JSON",
    );
    pub const ALREADY_USED: AuthError = AuthError::new(
        StatusCode::BAD_REQUEST,
        "refresh_token_already_used",
        "Invalid Refresh Token: Already Used",
    );
    pub const REFRESH_NOT_FOUND: AuthError = AuthError::new(
        StatusCode::BAD_REQUEST,
        "refresh_token_not_found",
        "Invalid Refresh Token: Refresh Token Not Found",
    );
    pub const NO_AUTHORIZATION: AuthError = AuthError::new(
        StatusCode::UNAUTHORIZED,
        "no_authorization",
        "This endpoint requires a Bearer token",
    );
    pub const BAD_JWT: AuthError = AuthError::new(
        StatusCode::FORBIDDEN,
        "bad_jwt",
        "invalid JWT: unable to parse or verify signature",
    );
    pub const BAD_JWT_EXPIRED: AuthError = AuthError::new(
        StatusCode::FORBIDDEN,
        "bad_jwt",
        "invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired",
    );
    pub const SESSION_NOT_FOUND: AuthError = AuthError::new(
        StatusCode::FORBIDDEN,
        "session_not_found",
        "Session from session_id claim in JWT does not exist",
    );

    /// 429 `over_request_rate_limit` with `Retry-After`.
    pub fn rate_limited(retry_after: Duration) -> Self {
        AuthError {
            retry_after: Some(retry_after),
            ..AuthError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "over_request_rate_limit",
                "Request rate limit reached",
            )
        }
    }
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let body = json!({
            "code": self.status.as_u16(),
            "error_code": self.error_code,
            "msg": self.msg,
        });
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(wait) = self.retry_after {
            // Round up: a client that waits exactly this long must find a free slot.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// The hosted gateway's answer to a request without `apikey` (a different shape from
/// GoTrue's own errors, as in production).
pub(crate) fn missing_apikey() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        axum::Json(json!({"message": "No API key found in request"})),
    )
        .into_response()
}
