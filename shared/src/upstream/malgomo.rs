//! The MalGomo backend REST API: who am I, and the dashboard reads.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::UpstreamError;
use super::dashboard::Endpoint;
use super::http::send;
use crate::domain::{InvalidPeriod, Period, Role, Secret};

/// Client of `MALGOMO_API_BASE`. Every call carries the user's access token;
/// agency scoping and the owner/admin gate live in the backend.
#[derive(Clone, Debug)]
pub struct ApiClient {
    http: reqwest::Client,
    base: Url,
}

/// `GET /api/me`: the access probe after login and the source of `status`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema)]
pub struct Me {
    pub user_id: String,
    pub email: String,
    pub agency_id: String,
    pub agency_name: String,
    pub role: Role,
}

#[derive(Deserialize, Default)]
struct ErrorAnswer {
    error: Option<String>,
    message: Option<String>,
}

impl ApiClient {
    pub fn new(http: reqwest::Client, base: Url) -> Self {
        Self { http, base }
    }

    pub async fn me(&self, token: &Secret) -> Result<Me, UpstreamError> {
        self.get("api/me", None, token).await
    }

    /// The dashboard answer `T` for `period`, from the path `T` names.
    pub async fn dashboard<T: Endpoint>(
        &self,
        token: &Secret,
        period: Period,
    ) -> Result<T, UpstreamError> {
        self.get(T::PATH, Some(period), token).await
    }

    /// A GET is idempotent, so a 5xx or a failed connection earns exactly one
    /// more try; anything else is final.
    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        period: Option<Period>,
        token: &Secret,
    ) -> Result<T, UpstreamError> {
        match self.get_once(path, period, token).await {
            Err(err) if err.is_transient() => self.get_once(path, period, token).await,
            other => other,
        }
    }

    async fn get_once<T: DeserializeOwned>(
        &self,
        path: &str,
        period: Option<Period>,
        token: &Secret,
    ) -> Result<T, UpstreamError> {
        let url = self
            .base
            .join(path)
            .map_err(|_| UpstreamError::Malformed("MALGOMO_API_BASE cannot take a path".into()))?;
        let mut request = self.http.get(url).bearer_auth(token.expose());
        if let Some(period) = period {
            request = request.query(&[("period", period.as_str())]);
        }
        let answer = send(request).await?;
        if answer.status.is_success() {
            return answer.json();
        }
        if let Some(err) = answer.common_error() {
            return Err(err);
        }
        let parsed: ErrorAnswer = serde_json::from_slice(&answer.body).unwrap_or_default();
        let message = parsed.message.unwrap_or_default();
        Err(match answer.status.as_u16() {
            401 => UpstreamError::Unauthorized(or(message, "the token was refused")),
            403 => UpstreamError::Forbidden(or(message, "owner or admin role required")),
            400 if parsed.error.as_deref() == Some("invalid_period") => {
                UpstreamError::InvalidPeriod(InvalidPeriod {
                    given: format!(
                        "{} (refused by the backend)",
                        period.map(Period::as_str).unwrap_or_default()
                    ),
                })
            }
            _ => answer.unexpected(),
        })
    }
}

fn or(message: String, fallback: &str) -> String {
    if message.is_empty() {
        fallback.to_owned()
    } else {
        message
    }
}
