//! The MalGomo backend under `/api` — contract §2. The agency always comes from the
//! token's account, never from the request.

mod dashboard;
mod error;
mod me;

use crate::state::SimState;
use axum::Router;
use axum::routing::get;
use std::sync::Arc;

/// The `/api` routes.
pub(crate) fn routes() -> Router<Arc<SimState>> {
    Router::new()
        .route("/api/me", get(me::me))
        .merge(dashboard::routes())
}
