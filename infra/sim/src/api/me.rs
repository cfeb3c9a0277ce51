//! `GET /api/me` — who am I (any role).

use super::error::ApiError;
use crate::access::authenticate;
use crate::endpoint::Endpoint;
use crate::preflight::preflight;
use crate::state::SimState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

pub(super) async fn me(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    if let Some(answer) = preflight(&state, Endpoint::Me).await {
        return answer;
    }
    match authenticate(&state, &headers) {
        Ok(caller) => {
            let a = caller.account;
            axum::Json(json!({
                "user_id": a.user_id().to_string(),
                "email": a.email,
                "agency_id": a.agency_id,
                "agency_name": a.agency_name,
                "role": a.role.as_str(),
            }))
            .into_response()
        }
        Err(refusal) => ApiError::unauthorized(refusal).into_response(),
    }
}
