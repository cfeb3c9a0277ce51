//! With a bearer the identity is in the token: served without a session,
//! and a session is bound to the exact bearer it was opened with.

use std::time::Duration;

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::{call_tool, ping, post};
use malgomo_tests::{request, simulator_jwt, spawn_app, text};
use serde_json::json;

use super::*;

#[tokio::test]
async fn bearer_without_session_is_served_statelessly() {
    let app = spawn_app().await;
    let mcp = with_bearer(&app, "opaque-token-a");
    let tools = post(&mcp, &request(1, "tools/list", json!({})))
        .await
        .result();
    assert_eq!(tools["tools"].as_array().map(Vec::len), Some(6));
    assert_eq!(ping(&mcp).await.result(), json!({}));
    // The backend does not know the token: status does not vouch for it.
    let status = call_tool(&mcp, "malgomo_status", json!({})).await.result();
    assert_eq!(status["structuredContent"]["via"], "bearer", "{status}");
    assert_eq!(status["structuredContent"]["logged_in"], false, "{status}");
}

#[tokio::test]
async fn bearer_with_unknown_session_id_is_served() {
    let app = spawn_app().await;
    let mut mcp = with_bearer(&app, "opaque-token-a");
    for id in ["6f1c1d2e-8a43-4c55-9d7e-2b0a4f1e9c33", "not-a-uuid"] {
        mcp.session = Some(id.to_owned());
        let status = call_tool(&mcp, "malgomo_status", json!({})).await.result();
        assert_eq!(
            status["structuredContent"]["via"], "bearer",
            "{id}: {status}"
        );
    }
}

#[tokio::test]
async fn bearer_with_expired_session_is_served() {
    let app = app_with_ttl().await;
    let mut mcp = with_bearer(&app, "opaque-token-a");
    initialize(&mut mcp).await;
    app.clock.advance(TTL + Duration::from_secs(1));
    assert_eq!(ping(&mcp).await.result(), json!({}));
}

#[tokio::test]
async fn bearer_session_keeps_working_with_the_same_bearer() {
    let app = spawn_app().await;
    let mut mcp = with_bearer(&app, "opaque-token-a");
    assert_eq!(initialize(&mut mcp).await.status, 200);
    assert_eq!(ping(&mcp).await.result(), json!({}));
    let answer = exchange(
        mcp.http
            .delete(app.mcp_url())
            .bearer_auth("opaque-token-a")
            .header("mcp-session-id", mcp.session.as_deref().unwrap()),
    )
    .await;
    assert_eq!(answer.status, 204, "{}", answer.body);
}

#[tokio::test]
async fn session_of_bearer_a_used_with_bearer_b_is_404() {
    let app = spawn_app().await;
    let mut owner = with_bearer(&app, "opaque-token-a");
    initialize(&mut owner).await;
    let mut intruder = with_bearer(&app, "opaque-token-b");
    intruder.session = owner.session.clone();
    assert_session_gone(&ping(&intruder).await);
    // Nor can B end it.
    let answer = exchange(
        intruder
            .http
            .delete(app.mcp_url())
            .bearer_auth("opaque-token-b")
            .header("mcp-session-id", owner.session.as_deref().unwrap()),
    )
    .await;
    assert_eq!(answer.status, 404, "{}", answer.body);
    assert_eq!(ping(&owner).await.status, 200, "A's session is intact");
}

#[tokio::test]
async fn anonymous_session_used_with_a_bearer_is_404() {
    let app = spawn_app().await;
    let anonymous = app.logged_in("owner@agency-a.test").await;
    let mut intruder = with_bearer(&app, "opaque-token-b");
    intruder.session = anonymous.session.clone();
    assert_session_gone(&ping(&intruder).await);
    assert_session_gone(&call_tool(&intruder, "malgomo_status", json!({})).await);
    assert_eq!(
        ping(&anonymous).await.status,
        200,
        "the owner's session is intact"
    );
}

#[tokio::test]
async fn bearer_session_used_without_the_bearer_is_404() {
    let app = spawn_app().await;
    let mut owner = with_bearer(&app, "opaque-token-a");
    initialize(&mut owner).await;
    let anonymous = with_session(&app, owner.session.as_deref().unwrap());
    assert_session_gone(&ping(&anonymous).await);
}

#[tokio::test]
async fn simulator_jwt_as_bearer_reads_kpis_without_login() {
    let app = spawn_app().await;
    let token = simulator_jwt(&app.sim, "owner@agency-a.test").await;
    // Stateless: no session at all.
    let mcp = with_bearer(&app, &token);
    let result = call_tool(&mcp, "malgomo_get_kpis", json!({}))
        .await
        .result();
    assert_eq!(result["isError"], false, "{result}");
    assert!(result["structuredContent"].is_object(), "{result}");
    let status = call_tool(&mcp, "malgomo_status", json!({})).await.result();
    assert_eq!(status["structuredContent"]["via"], "bearer");
    assert_eq!(
        status["structuredContent"]["email"], "owner@agency-a.test",
        "{status}"
    );
    // And inside a session created with that bearer.
    let mut mcp = with_bearer(&app, &token);
    initialize(&mut mcp).await;
    let result = call_tool(&mcp, "malgomo_get_fans", json!({ "period": "7d" }))
        .await
        .result();
    assert_eq!(result["isError"], false, "{result}");
}

#[tokio::test]
async fn bearer_session_is_bound_to_the_exact_token_not_its_sub() {
    // The `sub` of a JWT is unverified here (only the backend checks the
    // signature), so a session follows the whole token: a new token, even
    // of the same user, starts a new session.
    let app = spawn_app().await;
    let first = simulator_jwt(&app.sim, "owner@agency-a.test").await;
    let mut mcp = with_bearer(&app, &first);
    initialize(&mut mcp).await;
    assert_eq!(ping(&mcp).await.status, 200);
    let second = simulator_jwt(&app.sim, "owner@agency-a.test").await;
    assert_ne!(first, second);
    mcp.bearer = Some(second);
    assert_session_gone(&ping(&mcp).await);
    mcp.bearer = Some(simulator_jwt(&app.sim, "owner@agency-b.test").await);
    assert_session_gone(&ping(&mcp).await);
}

#[tokio::test]
async fn refused_bearer_is_a_tool_error_not_a_transport_error() {
    let app = spawn_app().await;
    let mcp = with_bearer(&app, "not-a-valid-token");
    let result = call_tool(&mcp, "malgomo_get_kpis", json!({}))
        .await
        .result();
    assert_eq!(result["isError"], true, "{result}");
    assert!(text(&result).contains("bearer"), "{}", text(&result));
}
