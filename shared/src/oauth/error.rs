//! The OAuth boundary's error: RFC 6749 §5.2 bodies with the right status,
//! never cached.

use http::{HeaderValue, StatusCode, header};
use serde_json::json;

use crate::store::StoreError;
use crate::web::{Response, reply};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {description}")]
pub struct OAuthError {
    pub status: StatusCode,
    pub code: &'static str,
    pub description: String,
    /// Seconds to wait, for refusals by a limit (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl OAuthError {
    fn new(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            code,
            description: description.into(),
            retry_after: None,
        }
    }

    /// Over a per-address limit: 429 with when to come back.
    pub fn rate_limited(what: &str, wait: crate::limits::RetryAfter) -> Self {
        Self {
            retry_after: Some(wait.secs()),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "temporarily_unavailable",
                format!("too many {what} from your network; try again in {wait}"),
            )
        }
    }

    /// Counts one `what` for `from` under `limit`: a refusal, or a store
    /// failure, comes back as the error to answer.
    pub async fn limit(
        server: &super::AuthServer<'_>,
        limit: &crate::limits::Limit,
        from: crate::limits::AddressKey,
        what: &str,
    ) -> Result<(), Self> {
        let now = server.stores.clock.now_ms();
        match limit
            .count(server.stores.records, &from.to_string(), now)
            .await
        {
            Ok(()) => Ok(()),
            Err(crate::limits::Refused::Over(wait)) => Err(Self::rate_limited(what, wait)),
            Err(crate::limits::Refused::Store(err)) => Err(err.into()),
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }

    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    pub fn unsupported_grant_type(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            description,
        )
    }

    pub fn invalid_target(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_target", description)
    }

    pub fn invalid_redirect_uri(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_redirect_uri", description)
    }

    pub fn invalid_client_metadata(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_client_metadata",
            description,
        )
    }

    pub fn too_large(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            description,
        )
    }

    pub fn temporarily_unavailable(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            description,
        )
    }

    pub fn into_response(self) -> Response {
        let mut response = reply::json(
            self.status,
            &json!({ "error": self.code, "error_description": self.description }),
        );
        no_store(&mut response);
        if let Some(wait) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"malgomo\""),
            );
        }
        response
    }
}

impl From<StoreError> for OAuthError {
    fn from(err: StoreError) -> Self {
        tracing::error!(error = %err, "OAuth storage failed");
        Self::temporarily_unavailable("storage is unavailable; try again shortly")
    }
}

/// `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1).
pub fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}
