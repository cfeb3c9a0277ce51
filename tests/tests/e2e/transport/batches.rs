//! JSON-RPC batches: served in the 2025-03-26 era only.

use std::collections::BTreeMap;

use malgomo_tests::answer::Answer;
use malgomo_tests::rpc::{
    INVALID_REQUEST, METHOD_NOT_FOUND, initialize_params, notification, ping_request, post,
    post_with_version, request,
};
use malgomo_tests::spawn_app;
use serde_json::{Value, json};

use super::session;

/// Posts `items` as one batch on a fresh 2025-03-26 session.
async fn batch(items: Vec<Value>) -> Answer {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-03-26").await;
    post(&mcp, &Value::Array(items)).await
}

/// The replies of a served batch (200, a JSON array of `count`), by id.
fn replies(answer: &Answer, count: usize) -> BTreeMap<i64, Value> {
    assert_eq!(answer.status, 200, "{}", answer.body);
    let replies = answer.json();
    let replies = replies.as_array().expect("an array of replies");
    assert_eq!(replies.len(), count, "{replies:?}");
    replies
        .iter()
        .map(|reply| (reply["id"].as_i64().expect("a numeric id"), reply.clone()))
        .collect()
}

#[tokio::test]
async fn batch_in_a_2025_03_26_session_gets_an_array_of_replies() {
    let answer = batch(vec![ping_request(1), request(2, "tools/list", json!({}))]).await;
    let replies = replies(&answer, 2);
    assert_eq!(replies[&1]["result"], json!({}));
    assert_eq!(
        replies[&2]["result"]["tools"].as_array().map(Vec::len),
        Some(6)
    );
}

#[tokio::test]
async fn batch_mixing_requests_and_notifications_answers_only_the_requests() {
    let answer = batch(vec![
        notification("notifications/initialized"),
        ping_request(1),
        request(2, "no/such", json!({})),
        json!({ "jsonrpc": "1.0", "id": 3, "method": "ping" }),
    ])
    .await;
    let replies = replies(&answer, 3);
    let code = |id: i64| replies[&id]["error"]["code"].as_i64();
    assert_eq!(code(1), None);
    assert_eq!(code(2), Some(METHOD_NOT_FOUND));
    assert_eq!(code(3), Some(INVALID_REQUEST));
}

#[tokio::test]
async fn batch_of_only_notifications_is_202() {
    let answer = batch(vec![
        notification("notifications/initialized"),
        notification("notifications/cancelled"),
    ])
    .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert!(answer.body.is_empty());
}

#[tokio::test]
async fn initialize_inside_a_batch_is_invalid_request_for_that_element() {
    let answer = batch(vec![
        request(1, "initialize", initialize_params("2025-03-26")),
        ping_request(2),
    ])
    .await;
    assert!(answer.header("mcp-session-id").is_none(), "no new session");
    let replies = replies(&answer, 2);
    assert_eq!(
        replies[&1]["error"]["code"], INVALID_REQUEST,
        "{}",
        answer.body
    );
    assert_eq!(replies[&2]["result"], json!({}));
}

// Only the 2025-03-26 era has batches.
refusals! {
    batch_in_a_2025_06_18_session_is_400_invalid_request: Some("2025-06-18"), Some("2025-06-18"),
        [json!([ping_request(1), request(2, "tools/list", json!({}))])] => 400, INVALID_REQUEST;
    batch_in_a_2025_11_25_session_without_header_is_400_invalid_request: Some("2025-11-25"), None,
        [json!([ping_request(1)])] => 400, INVALID_REQUEST;
    empty_batch_is_400_invalid_request: Some("2025-03-26"), None, [json!([])] => 400, INVALID_REQUEST;
}

#[tokio::test]
async fn batch_with_a_bearer_and_no_session_is_served_as_2025_03_26() {
    let app = spawn_app().await;
    let mut mcp = app.client();
    mcp.bearer = Some("opaque-token-a".into());
    let answer = post(&mcp, &json!([ping_request(1), ping_request(2)])).await;
    replies(&answer, 2);
    let answer = post_with_version(&mcp, "2025-06-18", &json!([ping_request(1)])).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
}
