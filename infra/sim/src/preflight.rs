//! What happens to every upstream request before its handler runs: it is counted, delayed
//! by the latency knob, and possibly answered by an injected fault instead.

use crate::endpoint::{Endpoint, Surface};
use crate::faults::Fault;
use crate::state::SimState;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::time::Duration;

/// How long a hanging request waits before the simulator gives up on it (an hour: longer
/// than any client timeout worth testing).
const HANG: Duration = Duration::from_secs(3600);

/// Counts, delays and maybe faults the request; `Some` is the answer to send instead of
/// the normal one.
pub(crate) async fn preflight(state: &SimState, endpoint: Endpoint) -> Option<Response> {
    state.count(|c| c.count_request(endpoint));
    let latency = state.knobs().latency;
    if !latency.is_zero() {
        state.sleep(latency).await;
    }
    let fault = state.take_fault(endpoint)?;
    tracing::debug!(endpoint = endpoint.key(), ?fault, "injecting fault");
    Some(fault_response(state, endpoint.surface(), fault).await)
}

/// The answer a fault produces on a service.
async fn fault_response(state: &SimState, surface: Surface, fault: Fault) -> Response {
    match fault {
        Fault::Status(code) => {
            let status = StatusCode::from_u16(code)
                .ok()
                .filter(|s| !s.is_informational())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = match surface {
                Surface::Auth => json!({
                    "code": status.as_u16(),
                    "error_code": "unexpected_failure",
                    "msg": "Unexpected failure, please check server logs for more information",
                }),
                Surface::Api => json!({
                    "error": "upstream_error",
                    "message": format!("injected HTTP {}", status.as_u16()),
                }),
            };
            (status, axum::Json(body)).into_response()
        }
        Fault::RateLimited { retry_after_secs } => {
            let body = match surface {
                Surface::Auth => json!({
                    "code": 429,
                    "error_code": "over_request_rate_limit",
                    "msg": "Request rate limit reached",
                }),
                Surface::Api => json!({
                    "error": "rate_limited",
                    "message": "too many requests",
                }),
            };
            let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        Fault::Hang => {
            state.sleep(HANG).await;
            (StatusCode::GATEWAY_TIMEOUT, "simulated hang ended").into_response()
        }
        Fault::MalformedJson => {
            let body = match surface {
                Surface::Auth => r#"{"access_token":"eyJhbGciOiJIUzI1NiIsInR5c"#,
                Surface::Api => r#"{"hero_net_eur": 1234.5, "currency": "EU"#,
            };
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response()
        }
    }
}
