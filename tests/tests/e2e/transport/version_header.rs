//! The `MCP-Protocol-Version` header on requests after initialize.

use malgomo_tests::rpc::{
    INVALID_REQUEST, initialize_request, ping_request, post, post_with_version, request,
};
use malgomo_tests::spawn_app;
use serde_json::json;

use super::session;

#[tokio::test]
async fn unsupported_protocol_version_header_is_400() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    // (A 2026-07-28 header makes the request a stateless one: stateless/.)
    for version in ["1999-01-01", "2024-11-05", "garbage"] {
        let answer = post_with_version(&mcp, version, &ping_request(1)).await;
        assert_eq!(answer.status, 400, "{version}: {}", answer.body);
        assert_eq!(answer.error_code(), INVALID_REQUEST, "{version}");
        assert!(
            answer.body.contains("2025-06-18"),
            "names the supported ones"
        );
    }
}

#[tokio::test]
async fn absent_protocol_version_header_is_accepted() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-11-25").await;
    let answer = post(&mcp, &ping_request(1)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["result"], json!({}));
}

#[tokio::test]
async fn matching_protocol_version_header_is_accepted() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post_with_version(&mcp, "2025-06-18", &ping_request(1)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn supported_protocol_version_header_other_than_negotiated_is_tolerated() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    for version in ["2025-03-26", "2025-11-25"] {
        let answer = post_with_version(&mcp, version, &request(1, "tools/list", json!({}))).await;
        assert_eq!(answer.status, 200, "{version}: {}", answer.body);
        assert!(answer.json()["result"]["tools"].is_array());
    }
}

#[tokio::test]
async fn initialize_ignores_the_protocol_version_header() {
    let app = spawn_app().await;
    let answer = post_with_version(
        &app.client(),
        "2026-07-28",
        &initialize_request("2025-06-18"),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["result"]["protocolVersion"], "2025-06-18");
}
