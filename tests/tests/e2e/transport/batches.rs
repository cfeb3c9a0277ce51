//! JSON-RPC batches: served in the 2025-03-26 era only.

use malgomo_tests::rpc::{
    INVALID_REQUEST, METHOD_NOT_FOUND, initialize_params, notification, ping_request, post,
    post_with_version, request,
};
use malgomo_tests::spawn_app;
use serde_json::json;

use super::session;

#[tokio::test]
async fn batch_in_a_2025_03_26_session_gets_an_array_of_replies() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-03-26").await;
    let answer = post(
        &mcp,
        &json!([ping_request(1), request(2, "tools/list", json!({}))]),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let replies = answer.json();
    let replies = replies.as_array().expect("an array of replies");
    assert_eq!(replies.len(), 2, "{replies:?}");
    let by_id = |id: i64| {
        replies
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("reply {id}"))
    };
    assert_eq!(by_id(1)["result"], json!({}));
    assert_eq!(
        by_id(2)["result"]["tools"].as_array().map(Vec::len),
        Some(6)
    );
}

#[tokio::test]
async fn batch_mixing_requests_and_notifications_answers_only_the_requests() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-03-26").await;
    let answer = post(
        &mcp,
        &json!([
            notification("notifications/initialized"),
            ping_request(1),
            request(2, "no/such", json!({})),
            json!({ "jsonrpc": "1.0", "id": 3, "method": "ping" })
        ]),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let replies = answer.json();
    let replies = replies.as_array().expect("an array");
    assert_eq!(replies.len(), 3, "{replies:?}");
    let code =
        |id: i64| replies.iter().find(|r| r["id"] == id).expect("reply")["error"]["code"].as_i64();
    assert_eq!(code(1), None);
    assert_eq!(code(2), Some(METHOD_NOT_FOUND));
    assert_eq!(code(3), Some(INVALID_REQUEST));
}

#[tokio::test]
async fn batch_of_only_notifications_is_202() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-03-26").await;
    let answer = post(
        &mcp,
        &json!([
            notification("notifications/initialized"),
            notification("notifications/cancelled")
        ]),
    )
    .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert!(answer.body.is_empty());
}

#[tokio::test]
async fn batch_in_a_2025_06_18_session_is_400_invalid_request() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post_with_version(
        &mcp,
        "2025-06-18",
        &json!([ping_request(1), request(2, "tools/list", json!({}))]),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
}

#[tokio::test]
async fn batch_in_a_2025_11_25_session_without_header_is_400_invalid_request() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-11-25").await;
    let answer = post(&mcp, &json!([ping_request(1)])).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
}

#[tokio::test]
async fn batch_with_a_bearer_and_no_session_is_served_as_2025_03_26() {
    let app = spawn_app().await;
    let mut mcp = app.client();
    mcp.bearer = Some("opaque-token-a".into());
    let answer = post(&mcp, &json!([ping_request(1), ping_request(2)])).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json().as_array().map(Vec::len), Some(2));
    let answer = post_with_version(&mcp, "2025-06-18", &json!([ping_request(1)])).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
}

#[tokio::test]
async fn initialize_inside_a_batch_is_invalid_request_for_that_element() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-03-26").await;
    let answer = post(
        &mcp,
        &json!([
            request(1, "initialize", initialize_params("2025-03-26")),
            ping_request(2)
        ]),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.header("mcp-session-id").is_none(), "no new session");
    let replies = answer.json();
    let replies = replies.as_array().expect("an array");
    assert_eq!(replies.len(), 2, "{replies:?}");
    let first = replies.iter().find(|r| r["id"] == 1).expect("reply 1");
    assert_eq!(first["error"]["code"], INVALID_REQUEST, "{first}");
    let second = replies.iter().find(|r| r["id"] == 2).expect("reply 2");
    assert_eq!(second["result"], json!({}));
}

#[tokio::test]
async fn empty_batch_is_400_invalid_request() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-03-26").await;
    let answer = post(&mcp, &json!([])).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
}
