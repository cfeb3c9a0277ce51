//! Media types (`Content-Type`, `Accept`, a reply as one SSE event) and
//! the body size limit.

use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::rpc::{
    INVALID_REQUEST, SERVER_ERROR, initialize_request, ping_request, post, request,
};
use malgomo_tests::spawn_app;
use serde_json::{Value, json};

use super::{bare_post, is_visible_ascii, session};

/// Pings on a fresh session with the given `Content-Type` (none when
/// `None`) and `Accept`.
async fn ping_with_media(content_type: Option<&str>, accept: &str) -> Answer {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let mut builder = bare_post(&app)
        .header("accept", accept)
        .header("mcp-session-id", mcp.session.as_deref().unwrap())
        .body(ping_request(1).to_string());
    if let Some(content_type) = content_type {
        builder = builder.header("content-type", content_type);
    }
    exchange(builder).await
}

const JSON_OR_SSE: &str = "application/json, text/event-stream";

#[tokio::test]
async fn text_plain_content_type_is_415() {
    let answer = ping_with_media(Some("text/plain"), JSON_OR_SSE).await;
    assert_eq!(answer.status, 415, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
}

#[tokio::test]
async fn missing_content_type_is_415() {
    let answer = ping_with_media(None, JSON_OR_SSE).await;
    assert_eq!(answer.status, 415, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
}

#[tokio::test]
async fn json_content_type_with_charset_is_accepted() {
    let answer = ping_with_media(Some("application/json; charset=utf-8"), JSON_OR_SSE).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["result"], json!({}));
}

#[tokio::test]
async fn accept_text_html_is_406() {
    let answer = ping_with_media(Some("application/json"), "text/html").await;
    assert_eq!(answer.status, 406, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
}

#[tokio::test]
async fn accept_only_event_stream_gets_the_reply_as_one_sse_event() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = exchange(
        bare_post(&app)
            .header("content-type", "application/json")
            .header("accept", "text/event-stream")
            .header("mcp-session-id", mcp.session.as_deref().unwrap())
            .body(request(8, "tools/list", json!({})).to_string()),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer.content_type().starts_with("text/event-stream"),
        "{:?}",
        answer.content_type()
    );
    let data: Vec<&str> = answer
        .body
        .lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .map(str::trim_start)
        .collect();
    assert_eq!(data.len(), 1, "one data line: {:?}", answer.body);
    assert!(answer.body.ends_with("\n\n"), "event terminated");
    let payload: Value = serde_json::from_str(data[0]).expect("data is JSON");
    assert_eq!(payload["id"], 8);
    assert_eq!(payload["result"]["tools"].as_array().map(Vec::len), Some(6));
}

#[tokio::test]
async fn initialize_with_accept_only_event_stream_is_sse_with_session_id() {
    let app = spawn_app().await;
    let answer = exchange(
        bare_post(&app)
            .header("content-type", "application/json")
            .header("accept", "text/event-stream")
            .body(initialize_request("2025-06-18").to_string()),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.content_type().starts_with("text/event-stream"));
    assert!(answer.body.contains("\"protocolVersion\":\"2025-06-18\""));
    assert!(
        answer
            .header("mcp-session-id")
            .is_some_and(is_visible_ascii)
    );
}

#[tokio::test]
async fn body_over_one_mebibyte_is_413() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let body = json!({
        "jsonrpc": "2.0", "id": 1, "method": "ping",
        "params": { "pad": "x".repeat(1024 * 1024) }
    });
    let answer = exchange(mcp.post().body(body.to_string())).await;
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
    // The server is still fine afterwards.
    assert_eq!(post(&mcp, &ping_request(2)).await.status, 200);
}

#[tokio::test]
async fn body_just_under_one_mebibyte_is_read() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let mut body = json!({
        "jsonrpc": "2.0", "id": 1, "method": "ping",
        "params": { "pad": "" }
    })
    .to_string();
    let pad = 1024 * 1024 - body.len();
    body = body.replace("\"pad\":\"\"", &format!("\"pad\":\"{}\"", "x".repeat(pad)));
    assert_eq!(body.len(), 1024 * 1024);
    let answer = exchange(mcp.post().body(body)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["result"], json!({}));
}
