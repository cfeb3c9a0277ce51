//! Without a bearer the session is the login: a missing id is 400; an
//! unknown, malformed, foreign or deleted one is 404.

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::{SERVER_ERROR, call_tool, ping, post};
use malgomo_tests::{Options, request, spawn_app, spawn_app_with};
use serde_json::json;

use super::*;

#[tokio::test]
async fn missing_session_id_without_bearer_is_400() {
    let app = spawn_app().await;
    for body in [
        request(7, "ping", json!({})),
        request(7, "tools/list", json!({})),
        json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }),
    ] {
        let answer = post(&app.client(), &body).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        assert_eq!(answer.error_code(), SERVER_ERROR, "{body}");
    }
    let answer = post(&app.client(), &request(7, "ping", json!({}))).await;
    assert_eq!(answer.json()["id"], 7, "the refusal names the request");
}

#[tokio::test]
async fn unknown_session_is_404() {
    let app = spawn_app().await;
    let mcp = with_session(&app, "6f1c1d2e-8a43-4c55-9d7e-2b0a4f1e9c33");
    assert_session_gone(&ping(&mcp).await);
}

#[tokio::test]
async fn malformed_session_id_is_404() {
    let app = spawn_app().await;
    for id in [
        "abc",
        "../../etc/passwd",
        "",
        "00000000-0000-0000-0000-00000000000g",
    ] {
        let answer = ping(&with_session(&app, id)).await;
        assert_eq!(answer.status, 404, "{id:?}: {}", answer.body);
        assert_eq!(answer.error_code(), SERVER_ERROR, "{id:?}");
    }
}

#[tokio::test]
async fn session_ids_are_not_interchangeable_between_deployments() {
    let app = spawn_app().await;
    let other = spawn_app_with(Options {
        env: vec![(
            "SESSION_KEY",
            "another-deployment-key-0123456789abcdef".into(),
        )],
        ..Options::default()
    })
    .await;
    let mut mcp = other.client();
    initialize(&mut mcp).await;
    let stolen = with_session(&app, mcp.session.as_deref().unwrap());
    assert_session_gone(&ping(&stolen).await);
}

#[tokio::test]
async fn deleted_session_is_404() {
    let app = spawn_app().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    let id = mcp.session.clone().unwrap();
    let answer = exchange(mcp.http.delete(app.mcp_url()).header("mcp-session-id", &id)).await;
    assert_eq!(answer.status, 204);
    assert_session_gone(&ping(&mcp).await);
    assert_session_gone(&call_tool(&mcp, "malgomo_get_kpis", json!({})).await);
}

#[tokio::test]
async fn deleted_anonymous_session_is_404() {
    let app = spawn_app().await;
    let mcp = app.session().await;
    let id = mcp.session.clone().unwrap();
    let answer = exchange(mcp.http.delete(app.mcp_url()).header("mcp-session-id", &id)).await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert_session_gone(&ping(&mcp).await);
    let again = exchange(mcp.http.delete(app.mcp_url()).header("mcp-session-id", &id)).await;
    assert_eq!(again.status, 404, "a second DELETE");
}
