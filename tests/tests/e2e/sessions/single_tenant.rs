//! The single-tenant token: it serves anonymous sessions only with the
//! flag, and still needs a session without a bearer.

use std::sync::Arc;

use malgomo_sim::Simulator;
use malgomo_tests::rpc::{SERVER_ERROR, call_tool};
use malgomo_tests::{Options, TestApp, simulator_jwt, spawn_app_with, text};
use serde_json::json;

async fn app_with_api_token(single_tenant: Option<&str>) -> TestApp {
    let sim = Arc::new(Simulator::start(0).await.expect("simulator starts"));
    let token = simulator_jwt(&sim, "owner@agency-a.test").await;
    let mut env = vec![("MALGOMO_API_TOKEN", token)];
    if let Some(flag) = single_tenant {
        env.push(("MALGOMO_SINGLE_TENANT", flag.to_owned()));
    }
    spawn_app_with(Options {
        env,
        sim: Some(sim),
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn single_tenant_token_serves_anonymous_sessions_without_login() {
    let app = app_with_api_token(Some("true")).await;
    let mcp = app.session().await;
    let result = call_tool(&mcp, "malgomo_get_kpis", json!({ "period": "30d" }))
        .await
        .result();
    assert_eq!(result["isError"], false, "{result}");
    assert!(result["structuredContent"].is_object());
    let status = call_tool(&mcp, "malgomo_status", json!({})).await.result();
    assert_eq!(
        status["structuredContent"]["via"], "single_tenant",
        "{status}"
    );
}

#[tokio::test]
async fn api_token_without_single_tenant_flag_is_not_logged_in() {
    for flag in [None, Some("false")] {
        let app = app_with_api_token(flag).await;
        let mcp = app.session().await;
        let result = call_tool(&mcp, "malgomo_get_kpis", json!({}))
            .await
            .result();
        assert_eq!(result["isError"], true, "{flag:?}: {result}");
        assert!(
            text(&result).starts_with("not logged in"),
            "{flag:?}: {}",
            text(&result)
        );
        let status = call_tool(&mcp, "malgomo_status", json!({})).await.result();
        assert_eq!(status["structuredContent"]["logged_in"], false, "{status}");
    }
}

#[tokio::test]
async fn single_tenant_still_needs_a_session_without_bearer() {
    let app = app_with_api_token(Some("true")).await;
    let answer = call_tool(&app.client(), "malgomo_get_kpis", json!({})).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
}
