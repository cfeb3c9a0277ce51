//! Idle expiry: a session lives one TTL from its last use, and activity
//! slides the deadline.

use std::time::Duration;

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::{call_tool, ping};
use serde_json::json;

use super::*;

#[tokio::test]
async fn expired_session_is_404() {
    let app = app_with_ttl().await;
    let mcp = app.session().await;
    assert_eq!(ping(&mcp).await.status, 200);
    app.clock.advance(TTL + Duration::from_secs(1));
    assert_session_gone(&ping(&mcp).await);
    let delete = exchange(
        mcp.http
            .delete(app.mcp_url())
            .header("mcp-session-id", mcp.session.as_deref().unwrap()),
    )
    .await;
    assert_eq!(delete.status, 404, "DELETE of an expired session");
}

#[tokio::test]
async fn session_is_alive_just_before_its_ttl() {
    let app = app_with_ttl().await;
    let mcp = app.session().await;
    app.clock.advance(TTL - Duration::from_secs(1));
    assert_eq!(ping(&mcp).await.status, 200);
}

/// A session that stores nothing cannot slide: it lives one TTL from its
/// initialize, used or not.
#[tokio::test]
async fn a_session_without_login_lives_one_ttl_from_initialize() {
    let app = app_with_ttl().await;
    let mcp = app.session().await;
    app.clock.advance(Duration::from_secs(45));
    assert_eq!(ping(&mcp).await.status, 200);
    app.clock.advance(Duration::from_secs(16));
    assert_session_gone(&ping(&mcp).await);
}

#[tokio::test]
async fn activity_slides_the_session_expiry_past_the_original_deadline() {
    let app = app_with_ttl().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    // 45 s in: used, so the idle deadline moves to 45 + 60 s.
    app.clock.advance(Duration::from_secs(45));
    assert_eq!(ping(&mcp).await.status, 200);
    // 90 s in: past the original 60 s deadline, still alive.
    app.clock.advance(Duration::from_secs(45));
    assert_eq!(
        ping(&mcp).await.status,
        200,
        "alive past its first deadline"
    );
    // …and keeps sliding while used.
    app.clock.advance(Duration::from_secs(45));
    assert_eq!(ping(&mcp).await.status, 200);
    // Idle for longer than the TTL: gone.
    app.clock.advance(TTL + Duration::from_secs(1));
    assert_session_gone(&ping(&mcp).await);
}

#[tokio::test]
async fn login_survives_as_long_as_the_session_is_used() {
    let app = app_with_ttl().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    for _ in 0..3 {
        app.clock.advance(Duration::from_secs(50));
        let answer = call_tool(&mcp, "malgomo_status", json!({})).await;
        let result = answer.result();
        assert_eq!(result["structuredContent"]["logged_in"], true, "{result}");
        assert_eq!(result["structuredContent"]["via"], "login");
    }
}
