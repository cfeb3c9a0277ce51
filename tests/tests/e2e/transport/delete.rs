//! `DELETE /mcp` ends a session; other methods on `/mcp` are 405.

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::{SERVER_ERROR, ping_request, post};
use malgomo_tests::spawn_app;

use super::session;

#[tokio::test]
async fn delete_ends_the_session_with_204_then_it_is_404() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let id = mcp.session.clone().unwrap();
    let answer = exchange(mcp.http.delete(app.mcp_url()).header("mcp-session-id", &id)).await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert!(answer.body.is_empty());
    let answer = post(&mcp, &ping_request(1)).await;
    assert_eq!(answer.status, 404, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
    assert_eq!(answer.json()["id"], 1);
    let again = exchange(mcp.http.delete(app.mcp_url()).header("mcp-session-id", &id)).await;
    assert_eq!(again.status, 404, "a second DELETE: {}", again.body);
}

#[tokio::test]
async fn delete_without_session_id_is_400() {
    let app = spawn_app().await;
    let answer = exchange(reqwest::Client::new().delete(app.mcp_url())).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
}

#[tokio::test]
async fn delete_with_unknown_session_is_404() {
    let app = spawn_app().await;
    let answer = exchange(
        reqwest::Client::new()
            .delete(app.mcp_url())
            .header("mcp-session-id", "not-a-session"),
    )
    .await;
    assert_eq!(answer.status, 404, "{}", answer.body);
}

#[tokio::test]
async fn other_methods_on_mcp_are_405_with_allow() {
    let app = spawn_app().await;
    for method in [reqwest::Method::PUT, reqwest::Method::PATCH] {
        let answer = exchange(reqwest::Client::new().request(method.clone(), app.mcp_url())).await;
        assert_eq!(answer.status, 405, "{method}");
        let allow = answer.header("allow").expect("an Allow header");
        for verb in ["GET", "POST", "DELETE"] {
            assert!(allow.contains(verb), "{method}: {allow}");
        }
    }
}
