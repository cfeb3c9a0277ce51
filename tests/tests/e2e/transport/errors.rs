//! JSON-RPC error codes: parse errors, invalid requests, unknown methods,
//! invalid params, and tool errors.

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::{
    INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, post, request,
};
use malgomo_tests::{spawn_app, text};
use serde_json::{Value, json};

use super::session;

#[tokio::test]
async fn malformed_json_is_400_parse_error() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    for body in ["{not json", "", "{\"jsonrpc\":\"2.0\",\"id\":1,"] {
        let answer = exchange(mcp.post().body(body)).await;
        assert_eq!(answer.status, 400, "{body:?}");
        assert_eq!(answer.error_code(), PARSE_ERROR, "{body:?}");
        assert_eq!(answer.json()["id"], Value::Null);
    }
}

#[tokio::test]
async fn malformed_json_without_a_session_is_400_parse_error() {
    let app = spawn_app().await;
    let answer = exchange(app.client().post().body("{oops")).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error_code(), PARSE_ERROR);
}

#[tokio::test]
async fn jsonrpc_version_other_than_2_0_is_400_invalid_request() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(
        &mcp,
        &json!({ "jsonrpc": "1.0", "id": 7, "method": "ping" }),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
    assert_eq!(answer.json()["id"], 7, "the readable id is kept");
}

#[tokio::test]
async fn null_id_is_400_invalid_request() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(
        &mcp,
        &json!({ "jsonrpc": "2.0", "id": null, "method": "ping" }),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
}

#[tokio::test]
async fn array_params_is_400_invalid_request() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(
        &mcp,
        &json!({ "jsonrpc": "2.0", "id": 1, "method": "ping", "params": [1] }),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
}

#[tokio::test]
async fn other_structural_mistakes_are_400_invalid_request() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    for body in [
        json!(42),
        json!("ping"),
        json!([]),
        json!({ "id": 1, "method": "ping" }),
        json!({ "jsonrpc": "2.0", "id": {}, "method": "ping" }),
        json!({ "jsonrpc": "2.0", "id": 1, "method": 7 }),
        json!({ "jsonrpc": "2.0", "id": 1 }),
    ] {
        let answer = post(&mcp, &body).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        assert_eq!(answer.error_code(), INVALID_REQUEST, "{body}");
    }
}

#[tokio::test]
async fn unknown_method_with_a_session_is_method_not_found() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(&mcp, &request(5, "prompts/list", json!({}))).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.error_code(), METHOD_NOT_FOUND);
    assert_eq!(answer.json()["id"], 5);
}

/// The Python SDK 2.x probe: `server/discover` without a session, header
/// 2026-07-28. It is answered (the 2026-07-28 era, see `stateless.rs`);
/// a client that prefers the 2025 handshake can still initialize.
#[tokio::test]
async fn server_discover_without_session_is_answered_and_initialize_still_works() {
    let app = spawn_app().await;
    let answer = exchange(
        app.client()
            .post()
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", "server/discover")
            .json(&request(
                1,
                "server/discover",
                json!({ "_meta": {
                    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                    "io.modelcontextprotocol/clientCapabilities": {}
                } }),
            )),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["id"], 1);
    assert!(answer.json()["result"]["supportedVersions"].is_array());
    let mut mcp = app.client();
    mcp.initialize("2025-11-25").await;
    assert!(mcp.session.is_some());
}

#[tokio::test]
async fn unknown_method_without_session_or_header_is_method_not_found() {
    let app = spawn_app().await;
    let answer = post(&app.client(), &request(2, "completion/complete", json!({}))).await;
    assert_eq!(answer.error_code(), METHOD_NOT_FOUND, "{}", answer.body);
}

#[tokio::test]
async fn tools_call_with_unknown_tool_is_invalid_params() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(
        &mcp,
        &request(
            1,
            "tools/call",
            json!({ "name": "malgomo_delete_everything", "arguments": {} }),
        ),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.error_code(), INVALID_PARAMS, "{}", answer.body);
}

#[tokio::test]
async fn tools_call_without_a_name_is_invalid_params() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    for params in [json!({}), json!({ "name": 5 })] {
        let answer = post(&mcp, &request(1, "tools/call", params.clone())).await;
        assert_eq!(answer.status, 200, "{params}");
        assert_eq!(answer.error_code(), INVALID_PARAMS, "{params}");
    }
}

#[tokio::test]
async fn non_string_period_is_invalid_params() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    for tool in [
        "malgomo_get_kpis",
        "malgomo_get_fans",
        "malgomo_get_earnings",
    ] {
        let answer = post(
            &mcp,
            &request(
                1,
                "tools/call",
                json!({ "name": tool, "arguments": { "period": 5 } }),
            ),
        )
        .await;
        assert_eq!(answer.status, 200, "{tool}");
        assert_eq!(
            answer.error_code(),
            INVALID_PARAMS,
            "{tool}: {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn login_without_password_is_invalid_params() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(
        &mcp,
        &request(
            1,
            "tools/call",
            json!({ "name": "malgomo_login", "arguments": { "email": "owner@agency-a.test" } }),
        ),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.error_code(), INVALID_PARAMS, "{}", answer.body);
}

#[tokio::test]
async fn non_object_arguments_are_invalid_params() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(
        &mcp,
        &request(
            1,
            "tools/call",
            json!({ "name": "malgomo_status", "arguments": ["x"] }),
        ),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.error_code(), INVALID_PARAMS, "{}", answer.body);
}

#[tokio::test]
async fn unknown_period_value_is_a_tool_error_naming_the_allowed_values() {
    let app = spawn_app().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    for tool in [
        "malgomo_get_kpis",
        "malgomo_get_fans",
        "malgomo_get_earnings",
    ] {
        let result = mcp.call_tool(tool, json!({ "period": "week" })).await;
        assert_eq!(result["isError"], true, "{tool}: {result}");
        let message = text(&result);
        assert!(message.contains("week"), "{tool}: {message}");
        for allowed in ["today", "yesterday", "7d", "30d"] {
            assert!(
                message.contains(allowed),
                "{tool} names {allowed}: {message}"
            );
        }
    }
}
