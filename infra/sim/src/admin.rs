//! `/_sim/*`: the knobs, faults and counters over HTTP, for tests that drive the binary
//! from another language. These routes are never delayed, faulted or counted.

use crate::endpoint::Target;
use crate::faults::Fault;
use crate::knobs::KnobsPatch;
use crate::state::{SimState, lock};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// The `/_sim` routes.
pub(crate) fn routes() -> Router<Arc<SimState>> {
    Router::new()
        .route("/_sim/counters", get(counters))
        .route("/_sim/reset", post(reset))
        .route("/_sim/knobs", get(knobs).post(set_knobs))
        .route("/_sim/faults", post(inject))
}

/// `POST /_sim/faults` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Injection {
    target: Target,
    fault: Fault,
    #[serde(default = "one")]
    times: u32,
}

fn one() -> u32 {
    1
}

/// 400 with the parse error, so a test author sees what was wrong with the body.
fn bad_request(error: serde_json::Error) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": "bad_request", "message": error.to_string()})),
    )
        .into_response()
}

async fn counters(State(state): State<Arc<SimState>>) -> Response {
    axum::Json(lock(&state.counters).clone()).into_response()
}

async fn reset(State(state): State<Arc<SimState>>) -> StatusCode {
    state.reset();
    StatusCode::NO_CONTENT
}

async fn knobs(State(state): State<Arc<SimState>>) -> Response {
    axum::Json(state.knobs().view()).into_response()
}

/// Applies the given knobs and answers with all of them.
async fn set_knobs(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    match serde_json::from_slice::<KnobsPatch>(&body) {
        Ok(patch) => {
            let mut knobs = lock(&state.knobs);
            knobs.apply(&patch);
            axum::Json(knobs.view()).into_response()
        }
        Err(e) => bad_request(e),
    }
}

async fn inject(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Injection>(&body) {
        Ok(i) => {
            lock(&state.faults).inject(i.target, i.fault, i.times);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => bad_request(e),
    }
}
