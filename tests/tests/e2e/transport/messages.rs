//! Notifications and posted responses (202, empty body), `ping`, and
//! `tools/list`.

use malgomo_tests::rpc::{initialize_request, notification, post, request};
use malgomo_tests::spawn_app;
use serde_json::json;

use super::{contains_key, data_tool_names, session};

#[tokio::test]
async fn initialized_notification_is_202_with_empty_body() {
    let app = spawn_app().await;
    let mut mcp = app.client();
    let answer = post(&mcp, &initialize_request("2025-06-18")).await;
    mcp.session = answer.header("mcp-session-id").map(str::to_owned);
    let answer = post(&mcp, &notification("notifications/initialized")).await;
    assert_eq!(answer.status, 202);
    assert!(answer.body.is_empty(), "{:?}", answer.body);
}

#[tokio::test]
async fn posted_jsonrpc_response_is_202_with_empty_body() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    for response in [
        json!({ "jsonrpc": "2.0", "id": "srv-1", "result": {} }),
        json!({ "jsonrpc": "2.0", "id": 9, "error": { "code": -1, "message": "no" } }),
    ] {
        let answer = post(&mcp, &response).await;
        assert_eq!(answer.status, 202, "{response}");
        assert!(answer.body.is_empty(), "{:?}", answer.body);
    }
}

#[tokio::test]
async fn ping_returns_an_empty_object() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(&mcp, &request(42, "ping", json!({}))).await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(body["id"], 42);
    assert_eq!(body["result"], json!({}), "{body}");
}

#[tokio::test]
async fn ping_without_params_returns_an_empty_object() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(
        &mcp,
        &json!({ "jsonrpc": "2.0", "id": "p", "method": "ping" }),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["result"], json!({}));
    assert_eq!(answer.json()["id"], "p");
}

#[tokio::test]
async fn tools_list_has_every_tool_with_title_input_schema_and_annotations() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(&mcp, &request(1, "tools/list", json!({}))).await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    let tools = body["result"]["tools"].as_array().expect("a tools array");
    let names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
    // The sign-in tools first, then the registry's data tools.
    let mut expected = vec!["malgomo_login", "malgomo_status", "malgomo_logout"];
    expected.extend(data_tool_names());
    assert_eq!(names, expected);
    for tool in tools {
        let name = &tool["name"];
        assert!(
            tool["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{name} title"
        );
        assert!(
            tool["description"].as_str().is_some_and(|d| d.len() > 20),
            "{name} description"
        );
        assert_eq!(tool["inputSchema"]["type"], "object", "{name} inputSchema");
        assert!(tool["annotations"].is_object(), "{name} annotations");
        assert!(!contains_key(&tool["inputSchema"], "$ref"), "{name}");
    }
    // The hosts' directories want every hint stated, not left to defaults:
    // (read-only, destructive, idempotent, open world) per tool.
    let hints: Vec<(&str, [bool; 4])> = tools
        .iter()
        .map(|tool| {
            let hint = |key: &str| {
                tool["annotations"][key]
                    .as_bool()
                    .unwrap_or_else(|| panic!("{} states {key}", tool["name"]))
            };
            (
                tool["name"].as_str().unwrap_or_default(),
                [
                    hint("readOnlyHint"),
                    hint("destructiveHint"),
                    hint("idempotentHint"),
                    hint("openWorldHint"),
                ],
            )
        })
        .collect();
    assert_eq!(
        hints,
        [
            ("malgomo_login", [false, false, true, true]),
            ("malgomo_status", [true, false, true, false]),
            ("malgomo_logout", [false, false, true, true]),
            ("malgomo_get_kpis", [true, false, true, true]),
            ("malgomo_get_fans", [true, false, true, true]),
            ("malgomo_get_earnings", [true, false, true, true]),
        ]
    );
}

#[tokio::test]
async fn data_tools_are_read_only_with_flat_object_output_schemas() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let body = post(&mcp, &request(1, "tools/list", json!({})))
        .await
        .json();
    let tools = body["result"]["tools"].as_array().expect("a tools array");
    for name in data_tool_names() {
        let tool = tools
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("{name} listed"));
        assert_eq!(tool["annotations"]["readOnlyHint"], true, "{name}");
        let schema = &tool["outputSchema"];
        assert_eq!(schema["type"], "object", "{name} outputSchema: {schema}");
        for key in ["$ref", "$defs", "definitions"] {
            assert!(!contains_key(schema, key), "{name}: {key} in {schema}");
        }
        assert_eq!(
            tool["inputSchema"]["properties"]["period"]["enum"],
            json!(["today", "yesterday", "7d", "30d"]),
            "{name}"
        );
    }
}
