//! Injected faults, latency, counters and the order count → latency → fault → handling.

use crate::common::{gotrue_error, spawn_sim, status_json};
use malgomo_sim::{Fault, Target};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

#[tokio::test]
async fn status_fault_on_api_then_normal_again() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    t.sim.inject(Target::Kpis, Fault::Status(503), 2);
    for _ in 0..2 {
        let (status, body) = status_json(t.api(&token, "/api/dashboard/kpis").await).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"], "upstream_error");
    }
    // Other endpoints were never affected; the third kpis request is normal.
    t.api_json(&token, "/api/dashboard/fans").await;
    t.api_json(&token, "/api/dashboard/kpis").await;
    assert_eq!(t.sim.counters().request_count("kpis"), 3);
}

#[tokio::test]
async fn status_fault_on_auth_has_the_gotrue_shape() {
    let t = spawn_sim().await;
    t.sim.inject(Target::Password, Fault::Status(500), 1);
    let (status, body) = status_json(
        t.password_grant("owner@agency-a.test", "owner-a-pass")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["code"], 500);
    assert_eq!(body["error_code"], "unexpected_failure");
    assert!(body["msg"].is_string());
    let c = t.sim.counters();
    // Faulted requests are counted as requests, not as logins or failed logins.
    assert_eq!(
        (c.request_count("password"), c.logins, c.failed_logins),
        (1, 0, 0)
    );
    t.login("owner@agency-a.test", "owner-a-pass").await;
}

#[tokio::test]
async fn rate_limited_fault_sends_retry_after() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    t.sim.inject(
        Target::AnyApi,
        Fault::RateLimited {
            retry_after_secs: 7,
        },
        1,
    );
    let r = t.api(&token, "/api/me").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "7");
    t.sim.inject(
        Target::Refresh,
        Fault::RateLimited {
            retry_after_secs: 3,
        },
        1,
    );
    let r = t.refresh("whatever").await;
    assert_eq!(r.headers()["retry-after"], "3");
    gotrue_error(r, 429, "over_request_rate_limit").await;
}

#[tokio::test]
async fn malformed_json_is_200_json_that_does_not_parse() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    for (target, path) in [
        (Target::Earnings, "/api/dashboard/earnings"),
        (Target::Me, "/api/me"),
    ] {
        t.sim.inject(target, Fault::MalformedJson, 1);
        let r = t.api(&token, path).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/json");
        let text = r.text().await.unwrap();
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_err(),
            "{text}"
        );
    }
    t.sim.inject(Target::Password, Fault::MalformedJson, 1);
    let r = t
        .password_grant("owner@agency-a.test", "owner-a-pass")
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.json::<serde_json::Value>().await.is_err());
}

#[tokio::test]
async fn hang_makes_the_client_time_out() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    t.sim.inject(Target::Fans, Fault::Hang, 1);
    let started = Instant::now();
    let err = t
        .http
        .get(t.url("/api/dashboard/fans"))
        .bearer_auth(&token)
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .expect_err("the request hangs");
    assert!(err.is_timeout(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // Only one request hangs; the next one is normal.
    t.api_json(&token, "/api/dashboard/fans").await;
}

#[tokio::test]
async fn dropping_the_simulator_ends_hanging_requests() {
    let t = spawn_sim().await;
    t.sim.inject(Target::User, Fault::Hang, 1);
    let request = t.http.get(t.url("/auth/v1/user")).send();
    let pending = tokio::spawn(request);
    // Wait (bounded) until the request has reached the endpoint, then drop the simulator.
    for _ in 0..200 {
        if t.sim.counters().request_count("user") == 1 {
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(t.sim.counters().request_count("user"), 1);
    drop(t.sim);
    let answered = tokio::time::timeout(Duration::from_secs(5), pending).await;
    assert!(answered.is_ok(), "hanging request still pending after drop");
}

#[tokio::test]
async fn any_target_hits_auth_too_and_faults_are_fifo() {
    let t = spawn_sim().await;
    t.sim.inject(Target::Any, Fault::Status(502), 1);
    t.sim.inject(Target::Password, Fault::Status(503), 1);
    let r = t
        .password_grant("owner@agency-a.test", "owner-a-pass")
        .await;
    assert_eq!(r.status(), StatusCode::BAD_GATEWAY);
    let r = t
        .password_grant("owner@agency-a.test", "owner-a-pass")
        .await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let r = t
        .password_grant("owner@agency-a.test", "owner-a-pass")
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn faults_come_before_auth_checks() {
    let t = spawn_sim().await;
    // No token at all: the fault still answers (count → latency → fault → handling).
    t.sim.inject(Target::Me, Fault::Status(503), 1);
    let r = t.http.get(t.url("/api/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let r = t.http.get(t.url("/api/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(t.sim.counters().request_count("me"), 2);
}

#[tokio::test]
async fn latency_delays_upstream_but_not_admin() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    t.sim.set_latency(Duration::from_millis(200));
    let started = Instant::now();
    t.api_json(&token, "/api/me").await;
    assert!(started.elapsed() >= Duration::from_millis(200));

    t.sim.set_latency(Duration::from_secs(30));
    let slow = t
        .http
        .get(t.url("/api/me"))
        .bearer_auth(&token)
        .timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(slow.is_err_and(|e| e.is_timeout()));
    let admin = t
        .http
        .get(t.url("/_sim/counters"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(admin.status(), StatusCode::OK);
}

#[tokio::test]
async fn counters_track_every_endpoint_and_reset() {
    let t = spawn_sim().await;
    let login = t.login("owner@agency-a.test", "owner-a-pass").await;
    let access = login["access_token"].as_str().unwrap().to_string();
    let _ = t.password_grant("owner@agency-a.test", "nope").await;
    let _ = t.refresh(login["refresh_token"].as_str().unwrap()).await;
    let _ = t.user(&access).await;
    for path in [
        "/api/me",
        "/api/dashboard/kpis",
        "/api/dashboard/fans",
        "/api/dashboard/earnings",
    ] {
        let _ = t.api(&access, path).await;
    }
    let _ = t.logout(&access).await;
    let c = t.sim.counters();
    assert_eq!(
        (c.logins, c.failed_logins, c.refreshes, c.logouts),
        (1, 1, 1, 1)
    );
    for (key, n) in [
        ("password", 2),
        ("refresh", 1),
        ("logout", 1),
        ("user", 1),
        ("me", 1),
        ("kpis", 1),
        ("fans", 1),
        ("earnings", 1),
    ] {
        assert_eq!(c.requests.get(key), Some(&n), "{key}");
    }
    t.sim.reset_counters();
    let c = t.sim.counters();
    assert_eq!(c.logins, 0);
    assert_eq!(c.requests.len(), 8);
    assert!(c.requests.values().all(|n| *n == 0));
}
