//! The backend's error answers: `{"error": "...", "message": "..."}`.

use crate::access::Refusal;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ApiError {
    status: StatusCode,
    error: &'static str,
    message: &'static str,
}

impl ApiError {
    pub const FORBIDDEN: ApiError = ApiError {
        status: StatusCode::FORBIDDEN,
        error: "forbidden",
        message: "owner or admin role required",
    };
    pub const INVALID_PERIOD: ApiError = ApiError {
        status: StatusCode::BAD_REQUEST,
        error: "invalid_period",
        message: "period must be one of today, yesterday, 7d, 30d",
    };

    /// 401 `unauthorized`; the message says why, and says "token expired" for an expired
    /// token (the client refreshes once and retries on any 401).
    pub fn unauthorized(refusal: Refusal) -> Self {
        let message = match refusal {
            Refusal::Missing => "missing bearer token",
            Refusal::Invalid => "invalid token",
            Refusal::Expired => "token expired",
            Refusal::SessionGone => "session revoked",
        };
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            error: "unauthorized",
            message,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(json!({"error": self.error, "message": self.message})),
        )
            .into_response()
    }
}
