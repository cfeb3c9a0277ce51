//! Refresh grant: a refresh token → a new token pair, with rotation and reuse detection
//! (the rules live in `sessions`).

use super::error::{AuthError, missing_apikey};
use super::grant::token_answer;
use super::has_apikey;
use crate::accounts;
use crate::sessions::RefreshOutcome;
use crate::state::{SimState, lock};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct RefreshBody {
    refresh_token: Option<String>,
}

pub(super) fn handle(state: &SimState, headers: &HeaderMap, body: &[u8]) -> Response {
    if !has_apikey(headers) {
        return missing_apikey();
    }
    let Ok(body) = serde_json::from_slice::<RefreshBody>(body) else {
        return AuthError::BAD_JSON.into_response();
    };
    let token = body.refresh_token.unwrap_or_default();
    if token.is_empty() {
        return AuthError::MISSING_REFRESH_TOKEN.into_response();
    }
    let window = state.knobs().reuse_window;
    let outcome = lock(&state.sessions).refresh(&token, tokio::time::Instant::now(), window);
    let (session_id, email, refresh_token) = match outcome {
        RefreshOutcome::Rotated {
            session_id,
            email,
            refresh_token,
        } => {
            state.count(|c| c.refreshes += 1);
            (session_id, email, refresh_token)
        }
        RefreshOutcome::Reused {
            session_id,
            email,
            refresh_token,
        } => {
            state.count(|c| c.refresh_reuses += 1);
            (session_id, email, refresh_token)
        }
        RefreshOutcome::AlreadyUsed => return AuthError::ALREADY_USED.into_response(),
        RefreshOutcome::NotFound => return AuthError::REFRESH_NOT_FOUND.into_response(),
    };
    match accounts::find(&email) {
        Some(account) => token_answer(state, account, session_id, &refresh_token),
        None => AuthError::REFRESH_NOT_FOUND.into_response(),
    }
}
