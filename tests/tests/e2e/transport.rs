//! Raw HTTP tests of the Streamable HTTP transport (2025 era): initialize and
//! version negotiation, JSON-RPC error codes, media types, the
//! `MCP-Protocol-Version` header, batches, `GET` and `DELETE` on `/mcp`, and
//! the plain routes. Every answer is also checked never to be a bare 500.
//! Session lifetime and bearer rules are in `sessions.rs`, CORS and the
//! origin guard in `origins.rs`.

use std::time::Duration;

use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::{Mcp, Options, TestApp, request, spawn_app, spawn_app_with, text};
use serde_json::{Value, json};

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
/// The implementation-defined code this server puts on transport refusals
/// (missing or unknown session, 406, 415).
const SERVER_ERROR: i64 = -32000;

/// POSTs `body` as JSON with the client's standard headers (session, bearer).
async fn post(mcp: &Mcp, body: &Value) -> Answer {
    exchange(mcp.post().json(body)).await
}

/// POSTs `body` with the standard headers plus `MCP-Protocol-Version`.
async fn post_with_version(mcp: &Mcp, version: &str, body: &Value) -> Answer {
    exchange(
        mcp.post()
            .header("mcp-protocol-version", version)
            .json(body),
    )
    .await
}

/// A POST with no header at all except the ones given.
fn bare_post(app: &TestApp) -> reqwest::RequestBuilder {
    reqwest::Client::new().post(app.mcp_url())
}

fn initialize_params(version: &str) -> Value {
    json!({
        "protocolVersion": version,
        "capabilities": {},
        "clientInfo": { "name": "transport-tests", "version": "0" }
    })
}

fn ping(id: i64) -> Value {
    request(id, "ping", json!({}))
}

fn notification(method: &str) -> Value {
    json!({ "jsonrpc": "2.0", "method": method })
}

/// A client that has initialized with `version`.
async fn session(app: &TestApp, version: &str) -> Mcp {
    let mut mcp = app.client();
    mcp.initialize(version).await;
    assert!(mcp.session.is_some(), "initialize gave a session id");
    mcp
}

/// The spec's rule for session ids: visible ASCII only (0x21 to 0x7E).
fn is_visible_ascii(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// Every key named `key` anywhere in `value`.
fn contains_key(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(map) => map.contains_key(key) || map.values().any(|v| contains_key(v, key)),
        Value::Array(items) => items.iter().any(|v| contains_key(v, key)),
        _ => false,
    }
}

// --- initialize ------------------------------------------------------------

#[tokio::test]
async fn initialize_with_id_zero_is_answered_with_id_zero() {
    let app = spawn_app().await;
    let answer = post(
        &app.client(),
        &request(0, "initialize", initialize_params("2025-06-18")),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.content_type().starts_with("application/json"));
    let body = answer.json();
    assert_eq!(body["jsonrpc"], "2.0");
    assert_eq!(body["id"], json!(0), "{body}");
    assert!(body.get("error").is_none(), "{body}");
    assert_eq!(body["result"]["protocolVersion"], "2025-06-18");
    assert_eq!(body["result"]["serverInfo"]["name"], "malgomo-mcp");
}

#[tokio::test]
async fn initialize_echoes_every_supported_version() {
    let app = spawn_app().await;
    for version in ["2025-03-26", "2025-06-18", "2025-11-25"] {
        let answer = post(
            &app.client(),
            &request(1, "initialize", initialize_params(version)),
        )
        .await;
        assert_eq!(answer.status, 200, "{version}: {}", answer.body);
        assert_eq!(
            answer.json()["result"]["protocolVersion"],
            version,
            "{version} is echoed"
        );
    }
}

#[tokio::test]
async fn initialize_offers_latest_for_older_or_unknown_versions() {
    let app = spawn_app().await;
    for version in ["2024-11-05", "2099-01-01", "not-a-version"] {
        let answer = post(
            &app.client(),
            &request(1, "initialize", initialize_params(version)),
        )
        .await;
        assert_eq!(answer.status, 200, "{version}: {}", answer.body);
        assert_eq!(
            answer.json()["result"]["protocolVersion"],
            "2025-11-25",
            "{version} gets our latest"
        );
        assert!(answer.header("mcp-session-id").is_some(), "{version}");
    }
}

#[tokio::test]
async fn initialize_returns_a_self_authenticating_session_id_in_the_header() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let answer = post(
            &app.client(),
            &request(0, "initialize", initialize_params("2025-06-18")),
        )
        .await;
        assert_eq!(answer.status, 200);
        let id = answer
            .header("mcp-session-id")
            .expect("Mcp-Session-Id on initialize")
            .to_owned();
        assert!(is_visible_ascii(&id), "session id {id:?} is visible ASCII");
        let issued = app.app.sessions.verify(&id).expect("the id verifies");
        assert_eq!(
            issued.issued_at_ms,
            malgomo::clock::Clock::now_ms(app.clock.as_ref()),
            "it carries its issue time"
        );
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1], "every session gets its own id");
}

#[tokio::test]
async fn initialize_advertises_the_tools_capability() {
    let app = spawn_app().await;
    let answer = post(
        &app.client(),
        &request(0, "initialize", initialize_params("2025-11-25")),
    )
    .await;
    let result = &answer.json()["result"];
    assert!(result["capabilities"]["tools"].is_object(), "{result}");
    assert!(result["serverInfo"]["version"].is_string(), "{result}");
}

#[tokio::test]
async fn initialize_without_protocol_version_is_invalid_params() {
    let app = spawn_app().await;
    let answer = post(&app.client(), &request(3, "initialize", json!({}))).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.error_code(), INVALID_PARAMS);
    assert_eq!(answer.json()["id"], 3);
    assert!(answer.header("mcp-session-id").is_none(), "no session");
}

// --- notifications, responses, ping, tools/list -----------------------------

#[tokio::test]
async fn initialized_notification_is_202_with_empty_body() {
    let app = spawn_app().await;
    let mut mcp = app.client();
    let answer = post(
        &mcp,
        &request(0, "initialize", initialize_params("2025-06-18")),
    )
    .await;
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
async fn tools_list_has_six_tools_with_title_input_schema_and_annotations() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post(&mcp, &request(1, "tools/list", json!({}))).await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    let tools = body["result"]["tools"].as_array().expect("a tools array");
    let names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "malgomo_login",
            "malgomo_status",
            "malgomo_logout",
            "malgomo_get_kpis",
            "malgomo_get_fans",
            "malgomo_get_earnings"
        ]
    );
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
}

#[tokio::test]
async fn data_tools_are_read_only_with_flat_object_output_schemas() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let body = post(&mcp, &request(1, "tools/list", json!({})))
        .await
        .json();
    let tools = body["result"]["tools"].as_array().expect("a tools array");
    for name in [
        "malgomo_get_kpis",
        "malgomo_get_fans",
        "malgomo_get_earnings",
    ] {
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

// --- JSON-RPC errors --------------------------------------------------------

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

// --- media types and size ----------------------------------------------------

/// Pings on a fresh session with the given `Content-Type` (none when
/// `None`) and `Accept`.
async fn ping_with_media(content_type: Option<&str>, accept: &str) -> Answer {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let mut builder = bare_post(&app)
        .header("accept", accept)
        .header("mcp-session-id", mcp.session.as_deref().unwrap())
        .body(ping(1).to_string());
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
            .body(request(0, "initialize", initialize_params("2025-06-18")).to_string()),
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
    assert_eq!(post(&mcp, &ping(2)).await.status, 200);
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

// --- MCP-Protocol-Version header --------------------------------------------

#[tokio::test]
async fn unsupported_protocol_version_header_is_400() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    // (A 2026-07-28 header makes the request a stateless one: stateless.rs.)
    for version in ["1999-01-01", "2024-11-05", "garbage"] {
        let answer = post_with_version(&mcp, version, &ping(1)).await;
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
    let answer = post(&mcp, &ping(1)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["result"], json!({}));
}

#[tokio::test]
async fn matching_protocol_version_header_is_accepted() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = post_with_version(&mcp, "2025-06-18", &ping(1)).await;
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
        &request(0, "initialize", initialize_params("2025-06-18")),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["result"]["protocolVersion"], "2025-06-18");
}

// --- batches -----------------------------------------------------------------

#[tokio::test]
async fn batch_in_a_2025_03_26_session_gets_an_array_of_replies() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-03-26").await;
    let answer = post(&mcp, &json!([ping(1), request(2, "tools/list", json!({}))])).await;
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
            ping(1),
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
        &json!([ping(1), request(2, "tools/list", json!({}))]),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
}

#[tokio::test]
async fn batch_in_a_2025_11_25_session_without_header_is_400_invalid_request() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-11-25").await;
    let answer = post(&mcp, &json!([ping(1)])).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), INVALID_REQUEST);
}

#[tokio::test]
async fn batch_with_a_bearer_and_no_session_is_served_as_2025_03_26() {
    let app = spawn_app().await;
    let mut mcp = app.client();
    mcp.bearer = Some("opaque-token-a".into());
    let answer = post(&mcp, &json!([ping(1), ping(2)])).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json().as_array().map(Vec::len), Some(2));
    let answer = post_with_version(&mcp, "2025-06-18", &json!([ping(1)])).await;
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
            ping(2)
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

// --- GET /mcp ------------------------------------------------------------------

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
    assert_eq!(post(&mcp, &ping(1)).await.status, 200);
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
    assert_eq!(post(&mcp, &ping(1)).await.status, 200);
}

// --- DELETE /mcp -------------------------------------------------------------

#[tokio::test]
async fn delete_ends_the_session_with_204_then_it_is_404() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let id = mcp.session.clone().unwrap();
    let answer = exchange(mcp.http.delete(app.mcp_url()).header("mcp-session-id", &id)).await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert!(answer.body.is_empty());
    let answer = post(&mcp, &ping(1)).await;
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

// --- plain routes --------------------------------------------------------------

#[tokio::test]
async fn healthz_is_200_status_ok() {
    let app = spawn_app().await;
    let answer = exchange(reqwest::Client::new().get(format!("{}/healthz", app.base))).await;
    assert_eq!(answer.status, 200);
    assert!(answer.content_type().starts_with("application/json"));
    assert_eq!(answer.json(), json!({ "status": "ok" }));
}

#[tokio::test]
async fn root_and_docs_are_html_with_a_content_security_policy() {
    let app = spawn_app().await;
    for path in ["/", "/docs"] {
        let answer = exchange(reqwest::Client::new().get(format!("{}{path}", app.base))).await;
        assert_eq!(answer.status, 200, "{path}");
        assert!(answer.content_type().starts_with("text/html"), "{path}");
        let csp = answer
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path} has a CSP"));
        assert!(csp.contains("default-src"), "{path}: {csp}");
        assert!(
            answer.body.contains(&format!("{}/mcp", app.base)),
            "{path} names this server's /mcp URL"
        );
    }
}

#[tokio::test]
async fn unknown_path_is_404() {
    let app = spawn_app().await;
    for path in ["/nope", "/mcp/extra", "/.env"] {
        let answer = exchange(reqwest::Client::new().get(format!("{}{path}", app.base))).await;
        assert_eq!(answer.status, 404, "{path}");
    }
}

// --- never a bare 500 ------------------------------------------------------------

/// Odd and hostile requests: each gets a deliberate answer, never a 500.
#[tokio::test]
async fn odd_requests_never_get_a_bare_500() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-03-26").await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies: Vec<Vec<u8>> = vec![
        b"null".to_vec(),
        b"[1,2,3]".to_vec(),
        b"\xff\xfe\x00garbage".to_vec(),
        deep.into_bytes(),
        br#"{"jsonrpc":"2.0","id":1e999,"method":"ping"}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"ping"}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":null}}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"malgomo_get_kpis","arguments":null}}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"malgomo_login","arguments":{"email":"","password":""}}}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"malgomo_login","arguments":{"email":"x@y.z","password":"p","extra":1}}}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":5}}"#.to_vec(),
        br#"[{"jsonrpc":"2.0","id":1,"method":"ping"},null,7,{"jsonrpc":"2.0","id":2}]"#.to_vec(),
        br#"{"jsonrpc":"2.0","method":"notifications/unknown","params":[1]}"#.to_vec(),
    ];
    for body in bodies {
        let shown = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
        let answer = exchange(mcp.post().body(body)).await;
        assert!(
            answer.status < 500,
            "{shown}: {} {}",
            answer.status,
            answer.body
        );
    }
    let odd_headers: Vec<(&str, reqwest::header::HeaderValue)> = vec![
        (
            "mcp-session-id",
            reqwest::header::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
        ),
        (
            "mcp-protocol-version",
            reqwest::header::HeaderValue::from_bytes(b"\xe2\x80\x94").unwrap(),
        ),
        (
            "authorization",
            reqwest::header::HeaderValue::from_static("Bearer"),
        ),
        (
            "authorization",
            reqwest::header::HeaderValue::from_static("Bearer a.b.c"),
        ),
        (
            "authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
        ),
        (
            "accept",
            reqwest::header::HeaderValue::from_static(";;;, /, q=abc"),
        ),
        (
            "origin",
            reqwest::header::HeaderValue::from_bytes(b"http://\xc3\xa9.example").unwrap(),
        ),
    ];
    for (name, value) in odd_headers {
        for method in [
            reqwest::Method::POST,
            reqwest::Method::GET,
            reqwest::Method::DELETE,
        ] {
            // Only the status: a GET that is served is a held stream.
            let response = reqwest::Client::new()
                .request(method.clone(), app.mcp_url())
                .header("content-type", "application/json")
                .header(name, value.clone())
                .body(ping(1).to_string())
                .send()
                .await
                .expect("server answers");
            let status = response.status().as_u16();
            assert!(status < 500, "{method} {name}: {status}");
        }
    }
}
