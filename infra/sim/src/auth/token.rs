//! `POST /auth/v1/token?grant_type=…` — dispatches to the password or refresh grant.

use super::error::{AuthError, missing_apikey};
use super::{has_apikey, password, refresh};
use crate::endpoint::Endpoint;
use crate::preflight::preflight;
use crate::state::SimState;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
pub(super) struct TokenQuery {
    grant_type: Option<String>,
}

pub(super) async fn token(
    State(state): State<Arc<SimState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    query: Result<Query<TokenQuery>, QueryRejection>,
    body: Bytes,
) -> Response {
    let grant_type = query.ok().and_then(|Query(q)| q.grant_type);
    match grant_type.as_deref() {
        Some("password") => {
            if let Some(answer) = preflight(&state, Endpoint::Password).await {
                return answer;
            }
            password::handle(&state, &headers, peer.ip(), &body)
        }
        Some("refresh_token") => {
            if let Some(answer) = preflight(&state, Endpoint::Refresh).await {
                return answer;
            }
            refresh::handle(&state, &headers, &body)
        }
        // Not one of the simulated endpoints: not counted, never faulted.
        _ if !has_apikey(&headers) => missing_apikey(),
        _ => AuthError::UNSUPPORTED_GRANT.into_response(),
    }
}
