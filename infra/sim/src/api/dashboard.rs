//! `GET /api/dashboard/{kpis,fans,earnings}?period=P` — owner/admin only, agency from the
//! token, data from `crate::data` for today's UTC date, or for the day the `today` knob pins
//! (then the answer's clock stamp is that day at noon, so the whole answer is fixed).

use super::error::ApiError;
use crate::access::authenticate;
use crate::data::{self, Period};
use crate::endpoint::Endpoint;
use crate::preflight::preflight;
use crate::state::SimState;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;
use time::Date;

#[derive(Debug, Deserialize)]
struct PeriodQuery {
    period: Option<String>,
}

type PeriodParam = Result<Query<PeriodQuery>, QueryRejection>;

/// The dashboard endpoints, one row each: the route, its endpoint (for
/// counters and faults) and the dataset it answers. A new data endpoint is
/// a row here and its builder in `crate::data`.
const DASHBOARDS: [(&str, Endpoint, Build); 3] = [
    ("/api/dashboard/kpis", Endpoint::Kpis, data::kpis),
    ("/api/dashboard/fans", Endpoint::Fans, data::fans),
    (
        "/api/dashboard/earnings",
        Endpoint::Earnings,
        data::earnings,
    ),
];

/// Builds an answer for an agency, a period and the day that counts as today.
type Build = fn(&str, Period, Date) -> Value;

/// A `GET` route for each row of [`DASHBOARDS`].
pub(super) fn routes() -> Router<Arc<SimState>> {
    DASHBOARDS
        .into_iter()
        .fold(Router::new(), |router, (path, endpoint, build)| {
            router.route(
                path,
                get(
                    move |state: State<Arc<SimState>>, headers: HeaderMap, query: PeriodParam| {
                        serve(state, headers, query, endpoint, build)
                    },
                ),
            )
        })
}

/// Authenticates (401), authorises (403), parses the period (400; absent = today), then
/// answers with the dataset for the caller's agency.
async fn serve(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    query: PeriodParam,
    endpoint: Endpoint,
    build: Build,
) -> Response {
    if let Some(answer) = preflight(&state, endpoint).await {
        return answer;
    }
    let caller = match authenticate(&state, &headers) {
        Ok(caller) => caller,
        Err(refusal) => return ApiError::unauthorized(refusal).into_response(),
    };
    if !caller.account.role.can_read_dashboard() {
        return ApiError::FORBIDDEN.into_response();
    }
    let period = match query {
        Ok(Query(PeriodQuery { period: None })) => Period::Today,
        Ok(Query(PeriodQuery { period: Some(p) })) => match Period::parse(&p) {
            Ok(period) => period,
            Err(_) => return ApiError::INVALID_PERIOD.into_response(),
        },
        Err(_) => return ApiError::INVALID_PERIOD.into_response(),
    };
    let pinned = state.knobs().today;
    let mut answer = build(
        caller.account.agency_id,
        period,
        pinned.unwrap_or_else(data::today_utc),
    );
    if let Some(day) = pinned {
        data::pin_stamps(&mut answer, day);
    }
    axum::Json(answer).into_response()
}
