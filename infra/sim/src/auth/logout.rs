//! `POST /auth/v1/logout` (Bearer) → 204; the session and its refresh tokens die.

use super::error::missing_apikey;
use super::has_apikey;
use super::user::refusal;
use crate::access::authenticate;
use crate::endpoint::Endpoint;
use crate::preflight::preflight;
use crate::state::{SimState, lock};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub(super) async fn logout(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    if let Some(answer) = preflight(&state, Endpoint::Logout).await {
        return answer;
    }
    if !has_apikey(&headers) {
        return missing_apikey();
    }
    // Like GoTrue, logging out needs a live session: a second logout is 403 session_not_found.
    match authenticate(&state, &headers) {
        Ok(caller) => {
            lock(&state.sessions).logout(caller.session_id);
            state.count(|c| c.logouts += 1);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(r) => refusal(r).into_response(),
    }
}
