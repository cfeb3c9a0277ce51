//! `/_sim/*` over HTTP, as tests in other languages use it against the binary.

use crate::common::{spawn_sim, status_json};
use malgomo_sim::Counters;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn counters_endpoint_matches_the_snapshot() {
    let t = spawn_sim().await;
    t.login("owner@agency-a.test", "owner-a-pass").await;
    let r = t.http.get(t.url("/_sim/counters")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let over_http: Counters = r.json().await.unwrap();
    assert_eq!(over_http, t.sim.counters());
    assert_eq!(over_http.logins, 1);
    // Admin calls are not counted.
    assert_eq!(t.sim.counters().requests.values().sum::<u64>(), 1);
}

#[tokio::test]
async fn knobs_endpoint_sets_and_reports() {
    let t = spawn_sim().await;
    let r = t
        .http
        .post(t.url("/_sim/knobs"))
        .json(&json!({"token_lifetime_secs": 0, "latency_ms": 0, "rate_limit_per_minute": 5}))
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(r).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_lifetime_secs"], 0);
    assert_eq!(body["rate_limit_per_minute"], 5);
    assert_eq!(body["refresh_reuse_window_ms"], 10_000);
    let login = t.login("owner@agency-a.test", "owner-a-pass").await;
    assert_eq!(login["expires_in"], 0);
    let (_, current) = status_json(t.http.get(t.url("/_sim/knobs")).send().await.unwrap()).await;
    assert_eq!(current, body);
}

#[tokio::test]
async fn faults_endpoint_accepts_the_serde_forms() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    for (fault, expected) in [
        (json!({"status": 503}), 503),
        (json!({"rate_limited": {"retry_after_secs": 7}}), 429),
        (json!("malformed_json"), 200),
    ] {
        let r = t
            .http
            .post(t.url("/_sim/faults"))
            .json(&json!({"target": "kpis", "fault": fault, "times": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        let answer = t.api(&token, "/api/dashboard/kpis").await;
        assert_eq!(answer.status().as_u16(), expected);
        if expected == 200 {
            assert!(answer.json::<serde_json::Value>().await.is_err());
        }
    }
    // `times` defaults to 1, "hang" parses.
    let r = t
        .http
        .post(t.url("/_sim/faults"))
        .json(&json!({"target": "any_api", "fault": "hang"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn bad_admin_bodies_are_400() {
    let t = spawn_sim().await;
    for (path, body) in [
        (
            "/_sim/faults",
            json!({"target": "nowhere", "fault": "hang"}),
        ),
        (
            "/_sim/faults",
            json!({"target": "kpis", "fault": {"status": "x"}}),
        ),
        ("/_sim/knobs", json!({"latency": 5})),
    ] {
        let (status, answer) =
            status_json(t.http.post(t.url(path)).json(&body).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path} {body}");
        assert_eq!(answer["error"], "bad_request");
    }
    let r = t
        .http
        .post(t.url("/_sim/knobs"))
        .body("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn reset_clears_counters_faults_knobs_but_keeps_sessions() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    t.sim.set_token_lifetime(std::time::Duration::ZERO);
    t.sim.set_rate_limit(0);
    t.sim
        .inject(malgomo_sim::Target::Me, malgomo_sim::Fault::Status(500), 5);
    let r = t.http.post(t.url("/_sim/reset")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let c = t.sim.counters();
    assert_eq!(c.logins, 0);
    assert!(c.requests.values().all(|n| *n == 0));
    // Fault gone, session kept.
    t.api_json(&token, "/api/me").await;
    // Knobs back to default: logins allowed again with 3600 s tokens.
    let login = t.login("owner@agency-a.test", "owner-a-pass").await;
    assert_eq!(login["expires_in"], 3600);
}

#[tokio::test]
async fn unknown_paths_are_json_404() {
    let t = spawn_sim().await;
    let (status, body) = status_json(t.http.get(t.url("/nope")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"], "not_found");
}
