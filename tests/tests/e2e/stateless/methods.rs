//! Removed and unknown methods, batches and notifications, and the HTTP
//! verbs 2026 does not serve.

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::{INVALID_REQUEST, METHOD_NOT_FOUND};
use serde_json::json;

use super::*;

#[tokio::test]
async fn removed_and_unknown_methods_are_404_method_not_found() {
    let app = signed_in().await;
    for method in [
        "initialize",
        "ping",
        "logging/setLevel",
        "resources/subscribe",
        "unknown/method",
    ] {
        let answer = send(&app, method, with_meta(json!({}))).await;
        assert_refused(&answer, 404, METHOD_NOT_FOUND);
    }
}

#[tokio::test]
async fn batches_are_400_and_notifications_202() {
    let app = signed_in().await;
    let batch = exchange(
        bare(&app)
            .header("mcp-protocol-version", V2026)
            .json(&json!([body("tools/list", with_meta(json!({})))])),
    )
    .await;
    assert_eq!(batch.status, 400, "{}", batch.body);
    assert_eq!(batch.error_code(), INVALID_REQUEST);
    let note = exchange(
        bare(&app)
            .header("mcp-protocol-version", V2026)
            .json(&json!({ "jsonrpc": "2.0", "method": "notifications/cancelled", "params": { "requestId": 1 } })),
    )
    .await;
    assert_eq!(note.status, 202, "{}", note.body);
    assert!(note.body.is_empty());
}

#[tokio::test]
async fn get_and_delete_are_405_in_2026() {
    let app = signed_in().await;
    let client = reqwest::Client::new();
    for request in [
        client.get(app.app.mcp_url()),
        client.delete(app.app.mcp_url()),
    ] {
        let answer = exchange(
            request
                .header("accept", "text/event-stream")
                .header("mcp-protocol-version", V2026)
                .header("mcp-session-id", "00000000-0000-4000-8000-000000000000"),
        )
        .await;
        assert_eq!(answer.status, 405, "{}", answer.body);
        assert_eq!(answer.header("allow"), Some("POST, OPTIONS"));
    }
}
