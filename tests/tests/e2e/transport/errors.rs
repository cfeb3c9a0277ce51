//! JSON-RPC error codes: parse errors, invalid requests, unknown methods,
//! invalid params, and tool errors.

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::{
    INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, request, tool_call,
};
use malgomo_tests::{spawn_app, text};
use serde_json::{Value, json};

use super::{data_tool_names, session};

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

const SESSION: Option<&str> = Some("2025-06-18");

refusals! {
    jsonrpc_version_other_than_2_0_is_400_invalid_request: SESSION, None,
        [json!({ "jsonrpc": "1.0", "id": 7, "method": "ping" })] => 400, INVALID_REQUEST;
    null_id_is_400_invalid_request: SESSION, None,
        [json!({ "jsonrpc": "2.0", "id": null, "method": "ping" })] => 400, INVALID_REQUEST;
    array_params_is_400_invalid_request: SESSION, None,
        [json!({ "jsonrpc": "2.0", "id": 1, "method": "ping", "params": [1] })] => 400, INVALID_REQUEST;
    other_structural_mistakes_are_400_invalid_request: SESSION, None, [
        json!(42),
        json!("ping"),
        json!([]),
        json!({ "id": 1, "method": "ping" }),
        json!({ "jsonrpc": "2.0", "id": {}, "method": "ping" }),
        json!({ "jsonrpc": "2.0", "id": 1, "method": 7 }),
        json!({ "jsonrpc": "2.0", "id": 1 }),
    ] => 400, INVALID_REQUEST;
    unknown_method_with_a_session_is_method_not_found: SESSION, None,
        [request(5, "prompts/list", json!({}))] => 200, METHOD_NOT_FOUND;
    unknown_method_without_session_or_header_is_method_not_found: None, None,
        [request(2, "completion/complete", json!({}))] => 200, METHOD_NOT_FOUND;
    tools_call_with_unknown_tool_is_invalid_params: SESSION, None,
        [tool_call(1, "malgomo_delete_everything", json!({}))] => 200, INVALID_PARAMS;
    tools_call_without_a_name_is_invalid_params: SESSION, None,
        [request(1, "tools/call", json!({})), request(1, "tools/call", json!({ "name": 5 }))]
        => 200, INVALID_PARAMS;
    non_string_period_is_invalid_params: SESSION, None,
        data_tool_names()
            .into_iter()
            .map(|tool| tool_call(1, tool, json!({ "period": 5 })))
            .collect::<Vec<_>>() => 200, INVALID_PARAMS;
    login_without_password_is_invalid_params: SESSION, None,
        [tool_call(1, "malgomo_login", json!({ "email": "owner@agency-a.test" }))]
        => 200, INVALID_PARAMS;
    non_object_arguments_are_invalid_params: SESSION, None,
        [tool_call(1, "malgomo_status", json!(["x"]))] => 200, INVALID_PARAMS;
}

/// The Python SDK 2.x probe: `server/discover` without a session, header
/// 2026-07-28. Without a credential in mode B it is answered with the 2025
/// revisions only (`stateless/`), and the client's fallback, the 2025
/// handshake, works.
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
    let offered = answer.json()["result"]["supportedVersions"].clone();
    assert!(
        offered
            .as_array()
            .is_some_and(|versions| !versions.is_empty()),
        "{offered}"
    );
    assert!(!offered.to_string().contains("2026"), "{offered}");
    let mut mcp = app.client();
    mcp.initialize("2025-11-25").await;
    assert!(mcp.session.is_some());
}

#[tokio::test]
async fn unknown_period_value_is_a_tool_error_naming_the_allowed_values() {
    let app = spawn_app().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    for tool in data_tool_names() {
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
