//! `GET /mcp`: the held SSE stream, and its refusals.

use std::time::Duration;

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::{INVALID_REQUEST, SERVER_ERROR, ping_request, post};
use malgomo_tests::{Options, spawn_app, spawn_app_with};

use super::session;

#[tokio::test]
async fn get_with_a_session_opens_a_held_sse_stream() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let mut response = mcp
        .http
        .get(app.mcp_url())
        .header("accept", "text/event-stream")
        .header("mcp-session-id", mcp.session.as_deref().unwrap())
        .send()
        .await
        .expect("server answers");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("text/event-stream"),
        "{content_type}"
    );
    let first = tokio::time::timeout(Duration::from_secs(5), response.chunk())
        .await
        .expect("the first bytes arrive at once")
        .expect("the stream reads")
        .expect("a first chunk");
    assert!(
        first.starts_with(b": stream open"),
        "{:?}",
        String::from_utf8_lossy(&first)
    );
    // Still open: no end of stream (keep-alives come every 15 s).
    let next = tokio::time::timeout(Duration::from_millis(300), response.chunk()).await;
    match next {
        Err(_elapsed) => {}
        Ok(Ok(Some(chunk))) => assert!(chunk.starts_with(b":"), "only comments"),
        Ok(other) => panic!("the stream ended: {other:?}"),
    }
    drop(response);
    // The session is unaffected by the client leaving.
    assert_eq!(post(&mcp, &ping_request(1)).await.status, 200);
}

#[tokio::test]
async fn two_get_streams_for_one_session_are_both_held() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let open = || {
        mcp.http
            .get(app.mcp_url())
            .header("accept", "text/event-stream")
            .header("mcp-session-id", mcp.session.as_deref().unwrap())
            .send()
    };
    let mut first = open().await.expect("server answers");
    let mut second = open().await.expect("server answers");
    for response in [&mut first, &mut second] {
        assert_eq!(response.status(), 200);
        let chunk = tokio::time::timeout(Duration::from_secs(5), response.chunk())
            .await
            .expect("the first bytes arrive at once")
            .expect("the stream reads")
            .expect("a first chunk");
        assert!(chunk.starts_with(b": stream open"));
    }
}

#[tokio::test]
async fn get_with_a_bearer_and_no_session_is_405_not_a_stream() {
    let app = spawn_app().await;
    let answer = exchange(
        reqwest::Client::new()
            .get(app.mcp_url())
            .header("accept", "text/event-stream")
            .bearer_auth("opaque-token-a"),
    )
    .await;
    assert_eq!(answer.status, 405, "{}", answer.body);
    assert_eq!(answer.header("allow"), Some("POST, DELETE, OPTIONS"));
    assert_eq!(app.app.streams.open(), 0);
}

#[tokio::test]
async fn get_without_sse_in_accept_is_406() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = exchange(
        mcp.http
            .get(app.mcp_url())
            .header("accept", "application/json")
            .header("mcp-session-id", mcp.session.as_deref().unwrap()),
    )
    .await;
    assert_eq!(answer.status, 406, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
}

#[tokio::test]
async fn get_with_unknown_session_is_404() {
    let app = spawn_app().await;
    let answer = exchange(
        reqwest::Client::new()
            .get(app.mcp_url())
            .header("accept", "text/event-stream")
            .header("mcp-session-id", "6f1c1d2e-8a43-4c55-9d7e-2b0a4f1e9c33"),
    )
    .await;
    assert_eq!(answer.status, 404, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
}

#[tokio::test]
async fn get_without_session_or_bearer_is_400() {
    let app = spawn_app().await;
    let answer = exchange(
        reqwest::Client::new()
            .get(app.mcp_url())
            .header("accept", "text/event-stream"),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
}

#[tokio::test]
async fn get_with_unsupported_protocol_version_header_is_400() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = exchange(
        mcp.http
            .get(app.mcp_url())
            .header("accept", "text/event-stream")
            .header("mcp-protocol-version", "1999-01-01")
            .header("mcp-session-id", mcp.session.as_deref().unwrap()),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
}

#[tokio::test]
async fn get_is_405_with_allow_where_the_host_cannot_stream() {
    let app = spawn_app_with(Options {
        can_stream: false,
        ..Options::default()
    })
    .await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = exchange(
        mcp.http
            .get(app.mcp_url())
            .header("accept", "text/event-stream")
            .header("mcp-session-id", mcp.session.as_deref().unwrap()),
    )
    .await;
    assert_eq!(answer.status, 405, "{}", answer.body);
    let allow = answer.header("allow").expect("an Allow header");
    assert!(allow.contains("POST"), "{allow}");
    assert!(!allow.contains("GET"), "{allow}");
    // POST still works on such a host.
    assert_eq!(post(&mcp, &ping_request(1)).await.status, 200);
}
