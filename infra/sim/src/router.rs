//! The one place the HTTP surface is assembled.

use crate::state::SimState;
use crate::{admin, api, auth};
use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::json;
use std::sync::Arc;

/// Supabase auth, the MalGomo API and the admin routes on one router.
pub(crate) fn build(state: Arc<SimState>) -> Router {
    Router::new()
        .merge(auth::routes())
        .merge(api::routes())
        .merge(admin::routes())
        .fallback(not_found)
        .with_state(state)
}

async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        axum::Json(json!({"error": "not_found", "message": "no such endpoint"})),
    )
}
