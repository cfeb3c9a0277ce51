//! The Supabase auth subset (GoTrue) under `/auth/v1` — contract §1.

mod error;
mod grant;
mod logout;
mod password;
mod refresh;
mod token;
mod user;

use crate::state::SimState;
use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use std::sync::Arc;

/// The `/auth/v1` routes.
pub(crate) fn routes() -> Router<Arc<SimState>> {
    Router::new()
        .route("/auth/v1/token", post(token::token))
        .route("/auth/v1/logout", post(logout::logout))
        .route("/auth/v1/user", get(user::user))
}

/// The gateway in front of GoTrue refuses requests without a non-empty `apikey` header
/// (its value is not checked: any anon key is accepted).
fn has_apikey(headers: &HeaderMap) -> bool {
    headers
        .get("apikey")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.trim().is_empty())
}
