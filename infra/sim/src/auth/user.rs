//! `GET /auth/v1/user` (Bearer) → the user object; also the user object's shape.

use super::error::{AuthError, missing_apikey};
use super::has_apikey;
use crate::access::{Refusal, authenticate};
use crate::accounts::Account;
use crate::endpoint::Endpoint;
use crate::preflight::preflight;
use crate::state::SimState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

pub(super) async fn user(State(state): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    if let Some(answer) = preflight(&state, Endpoint::User).await {
        return answer;
    }
    if !has_apikey(&headers) {
        return missing_apikey();
    }
    match authenticate(&state, &headers) {
        Ok(caller) => axum::Json(user_object(caller.account)).into_response(),
        Err(r) => refusal(r).into_response(),
    }
}

/// GoTrue's answers to a bad bearer token.
pub(super) fn refusal(refusal: Refusal) -> AuthError {
    match refusal {
        Refusal::Missing => AuthError::NO_AUTHORIZATION,
        Refusal::Invalid => AuthError::BAD_JWT,
        Refusal::Expired => AuthError::BAD_JWT_EXPIRED,
        Refusal::SessionGone => AuthError::SESSION_NOT_FOUND,
    }
}

/// The Supabase user object (contract §1), as embedded in token answers and `/user`.
pub(super) fn user_object(account: &Account) -> Value {
    json!({
        "id": account.user_id().to_string(),
        "aud": "authenticated",
        "role": "authenticated",
        "email": account.email,
        "app_metadata": {"provider": "email", "providers": ["email"]},
        "user_metadata": {},
        "created_at": account.created_at,
        "updated_at": account.created_at,
        "is_anonymous": false,
    })
}
