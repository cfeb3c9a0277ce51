//! The MalGomo backend client: roles, the error classes of a GET, and the
//! one-retry rule for idempotent reads.

use std::time::{Duration, Instant};

use malgomo::domain::{Period, Role, Secret};
use malgomo::upstream::dashboard::{Earnings, Fans, Kpis};
use malgomo::upstream::{ApiClient, UpstreamError, build_client};
use malgomo_sim::accounts::{self, AGENCY_A, AGENCY_B};
use malgomo_sim::{Fault, Target};

use crate::helpers::{
    ADMIN_A, Canned, MEMBER_A, OWNER_A, OWNER_B, TestUpstream, refused_url, settings,
};

/// Calls one of the four GET endpoints, discarding the typed answer.
async fn get(api: &ApiClient, endpoint: &str, token: &Secret) -> Result<(), UpstreamError> {
    let period = Period::Week;
    match endpoint {
        "me" => api.me(token).await.map(drop),
        "kpis" => api.dashboard::<Kpis>(token, period).await.map(drop),
        "fans" => api.dashboard::<Fans>(token, period).await.map(drop),
        "earnings" => api.dashboard::<Earnings>(token, period).await.map(drop),
        other => panic!("no endpoint {other}"),
    }
}

const DASHBOARD: [(&str, Target); 3] = [
    ("kpis", Target::Kpis),
    ("fans", Target::Fans),
    ("earnings", Target::Earnings),
];

const ALL_GETS: [(&str, Target); 4] = [
    ("me", Target::Me),
    ("kpis", Target::Kpis),
    ("fans", Target::Fans),
    ("earnings", Target::Earnings),
];

#[tokio::test]
async fn me_reports_who_the_token_belongs_to() {
    let t = TestUpstream::spawn().await;
    for (email, role, agency, agency_name) in [
        (OWNER_A, Role::Owner, AGENCY_A, "Agency A"),
        (ADMIN_A, Role::Admin, AGENCY_A, "Agency A"),
        (MEMBER_A, Role::Member, AGENCY_A, "Agency A"),
        (OWNER_B, Role::Owner, AGENCY_B, "Agency B"),
    ] {
        let grant = t.login(email).await;
        let me = t.upstream.api.me(&grant.tokens.access_token).await;
        let me = me.unwrap_or_else(|err| panic!("{email}: {err}"));
        assert_eq!(me.email, email);
        assert_eq!(me.role, role);
        assert_eq!(me.agency_id, agency);
        assert_eq!(me.agency_name, agency_name);
        assert_eq!(me.user_id, accounts::user_id(email).to_string());
    }
}

#[tokio::test]
async fn member_is_forbidden_on_every_dashboard_endpoint_but_me_works() {
    let t = TestUpstream::spawn().await;
    let token = t.login(MEMBER_A).await.tokens.access_token;
    let me = t
        .upstream
        .api
        .me(&token)
        .await
        .expect("me works for a member");
    assert_eq!(me.role, Role::Member);
    for (endpoint, _) in DASHBOARD {
        let err = get(&t.upstream.api, endpoint, &token).await.unwrap_err();
        let UpstreamError::Forbidden(message) = &err else {
            panic!("{endpoint}: expected Forbidden, got {err:?}");
        };
        assert!(message.contains("owner or admin"), "{endpoint}: {message}");
        assert_eq!(t.requests(endpoint), 1, "{endpoint}: a 403 is final");
    }
}

#[tokio::test]
async fn owner_and_admin_read_every_dashboard_endpoint_for_every_period() {
    let t = TestUpstream::spawn().await;
    for email in [OWNER_A, ADMIN_A] {
        let token = t.login(email).await.tokens.access_token;
        for period in Period::ALL {
            let api = &t.upstream.api;
            let kpis = api.dashboard::<Kpis>(&token, period).await;
            assert!(kpis.is_ok(), "{email} kpis {period}: {kpis:?}");
            let fans = api.dashboard::<Fans>(&token, period).await.expect("fans");
            assert_eq!(fans.period, period.as_str());
            let earnings = api
                .dashboard::<Earnings>(&token, period)
                .await
                .expect("earnings");
            assert_eq!(earnings.period, period.as_str());
        }
    }
}

#[tokio::test]
async fn expired_token_is_unauthorized() {
    let t = TestUpstream::spawn().await;
    t.sim.set_token_lifetime(Duration::ZERO);
    let token = t.login(OWNER_A).await.tokens.access_token;
    for (endpoint, _) in ALL_GETS {
        let err = get(&t.upstream.api, endpoint, &token).await.unwrap_err();
        let UpstreamError::Unauthorized(message) = &err else {
            panic!("{endpoint}: expected Unauthorized, got {err:?}");
        };
        assert!(message.contains("expired"), "{endpoint}: {message}");
        assert_eq!(t.requests(endpoint), 1, "{endpoint}: a 401 is not retried");
    }
}

#[tokio::test]
async fn forged_or_empty_token_is_unauthorized() {
    let t = TestUpstream::spawn().await;
    let real = t.login(OWNER_A).await.tokens.access_token;
    let forged = format!("{}x", real.expose());
    for token in [forged.as_str(), "not-a-jwt", ""] {
        let err = t.upstream.api.me(&Secret::new(token)).await.unwrap_err();
        assert!(
            matches!(err, UpstreamError::Unauthorized(_)),
            "{token:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn one_5xx_is_retried_once_and_succeeds() {
    let t = TestUpstream::spawn().await;
    let token = t.login(OWNER_A).await.tokens.access_token;
    for (endpoint, target) in ALL_GETS {
        t.sim.inject(target, Fault::Status(503), 1);
        let answer = get(&t.upstream.api, endpoint, &token).await;
        assert!(answer.is_ok(), "{endpoint}: {answer:?}");
        assert_eq!(t.requests(endpoint), 2, "{endpoint}");
    }
}

#[tokio::test]
async fn two_5xx_are_unavailable_after_exactly_one_retry() {
    let t = TestUpstream::spawn().await;
    let token = t.login(OWNER_A).await.tokens.access_token;
    t.sim.inject(Target::Kpis, Fault::Status(503), 2);
    let err = t
        .upstream
        .api
        .dashboard::<Kpis>(&token, Period::Today)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        UpstreamError::Unavailable("upstream answered 503".into())
    );
    assert_eq!(t.requests("kpis"), 2);
}

#[tokio::test]
async fn every_5xx_status_counts_as_unavailable() {
    let t = TestUpstream::spawn().await;
    let token = t.login(OWNER_A).await.tokens.access_token;
    for status in [500, 502, 504] {
        t.sim.reset_counters();
        t.sim.inject(Target::Me, Fault::Status(status), 2);
        let err = t.upstream.api.me(&token).await.unwrap_err();
        assert_eq!(
            err,
            UpstreamError::Unavailable(format!("upstream answered {status}"))
        );
        assert_eq!(t.requests("me"), 2, "{status}");
    }
}

#[tokio::test]
async fn hung_backend_times_out_as_unavailable_without_a_retry() {
    let t = TestUpstream::spawn().await;
    let token = t.login(OWNER_A).await.tokens.access_token;
    t.sim.inject(Target::Kpis, Fault::Hang, 2);
    let started = Instant::now();
    let err = t
        .upstream
        .api
        .dashboard::<Kpis>(&token, Period::Today)
        .await
        .unwrap_err();
    assert_eq!(err, UpstreamError::Unavailable("timed out".into()));
    // A timeout is final: a retry would double the wait.
    assert_eq!(t.requests("kpis"), 1);
    // One attempt of one second, not the simulator's hour.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_hang_is_not_retried() {
    let t = TestUpstream::spawn().await;
    let token = t.login(OWNER_A).await.tokens.access_token;
    t.sim.inject(Target::Me, Fault::Hang, 1);
    let err = t.upstream.api.me(&token).await.unwrap_err();
    assert_eq!(err, UpstreamError::Unavailable("timed out".into()));
    assert_eq!(t.requests("me"), 1);
    // The next call is answered normally.
    let me = t
        .upstream
        .api
        .me(&token)
        .await
        .expect("the next call succeeds");
    assert_eq!(me.email, OWNER_A);
}

#[tokio::test]
async fn refused_connection_is_unavailable() {
    let api = ApiClient::new(
        build_client(settings()).expect("CA certificates load"),
        refused_url(),
    );
    let started = Instant::now();
    let err = api.me(&Secret::new("token")).await.unwrap_err();
    assert_eq!(err, UpstreamError::Unavailable("connection failed".into()));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn malformed_json_is_malformed_not_retried() {
    let t = TestUpstream::spawn().await;
    let token = t.login(OWNER_A).await.tokens.access_token;
    for (endpoint, target) in ALL_GETS {
        t.sim.inject(target, Fault::MalformedJson, 1);
        let err = get(&t.upstream.api, endpoint, &token).await.unwrap_err();
        assert!(
            matches!(err, UpstreamError::Malformed(_)),
            "{endpoint}: {err:?}"
        );
        assert_eq!(t.requests(endpoint), 1, "{endpoint}: malformed is final");
    }
}

#[tokio::test]
async fn backend_429_is_rate_limited_with_retry_after_not_retried() {
    let t = TestUpstream::spawn().await;
    let token = t.login(OWNER_A).await.tokens.access_token;
    t.sim.inject(
        Target::AnyApi,
        Fault::RateLimited {
            retry_after_secs: 3,
        },
        1,
    );
    let err = t
        .upstream
        .api
        .dashboard::<Fans>(&token, Period::Today)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        UpstreamError::RateLimited {
            retry_after: Some(Duration::from_secs(3))
        }
    );
    assert_eq!(t.requests("fans"), 1);
}

#[test]
fn bad_period_names_the_allowed_values() {
    let err = Period::parse("week").unwrap_err();
    let message = err.to_string();
    assert!(message.contains("\"week\""), "{message}");
    for allowed in Period::VALUES {
        assert!(message.contains(allowed), "{message}");
    }
    // The same words reach a caller through the upstream error.
    assert_eq!(UpstreamError::from(err).to_string(), message);
}

/// The typed client can only send one of the four periods, so the simulator
/// never answers it `invalid_period`; a canned backend gives that answer.
#[tokio::test]
async fn backend_invalid_period_answer_is_invalid_period() {
    let backend = Canned::start(
        400,
        r#"{"error":"invalid_period","message":"period must be one of today, yesterday, 7d, 30d"}"#,
    )
    .await;
    let api = ApiClient::new(
        build_client(settings()).expect("CA certificates load"),
        backend.base.clone(),
    );
    let err = api
        .dashboard::<Earnings>(&Secret::new("token"), Period::Month)
        .await
        .unwrap_err();
    let UpstreamError::InvalidPeriod(invalid) = &err else {
        panic!("expected InvalidPeriod, got {err:?}");
    };
    assert_eq!(invalid.given, "30d (refused by the backend)");
    for allowed in Period::VALUES {
        assert!(err.to_string().contains(allowed), "{err}");
    }
    assert_eq!(
        backend.request_lines(),
        ["GET /api/dashboard/earnings?period=30d HTTP/1.1"],
        "sent once, with the period on the query"
    );
}

#[tokio::test]
async fn unexpected_4xx_is_malformed_not_a_panic() {
    let backend = Canned::start(418, r#"{"error":"teapot"}"#).await;
    let api = ApiClient::new(
        build_client(settings()).expect("CA certificates load"),
        backend.base.clone(),
    );
    let err = api.me(&Secret::new("token")).await.unwrap_err();
    assert_eq!(
        err,
        UpstreamError::Malformed("unexpected status 418".into())
    );
}
