//! Raw HTTP tests of MCP 2026-07-28 on `POST /mcp`: no initialize, no
//! session, every request self-contained. `server/discover`; the required
//! `_meta`; the `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` headers
//! against the body; unsupported versions; removed and unknown methods;
//! `resultType`, server info and cache hints on results; and who can
//! authenticate without a session (a bearer, OAuth in mode A — not the
//! login tool).

use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::rpc::{INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND};
use malgomo_tests::{Options, TestApp, accounts, simulator_jwt, spawn_app, spawn_app_with, text};
use serde_json::{Value, json};

const V2026: &str = "2026-07-28";
const HEADER_MISMATCH: i64 = -32020;
const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;
const SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";

/// The `_meta` every 2026-07-28 request carries.
fn meta(version: &str) -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": version,
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": { "name": "stateless-tests", "version": "0" }
    })
}

/// `params` with the standard `_meta` added.
fn with_meta(params: Value) -> Value {
    let mut params = params;
    params["_meta"] = meta(V2026);
    params
}

/// What `Mcp-Name` mirrors for `method`, if anything.
fn name_of(method: &str, params: &Value) -> Option<String> {
    match method {
        "tools/call" => params["name"].as_str().map(str::to_owned),
        "resources/read" => params["uri"].as_str().map(str::to_owned),
        _ => None,
    }
}

/// A conformant stateless request: body `id` 9, the three mirrored headers.
fn conformant(app: &TestApp, method: &str, params: &Value) -> reqwest::RequestBuilder {
    let mut builder = bare(app)
        .header("mcp-protocol-version", V2026)
        .header("mcp-method", method);
    if let Some(name) = name_of(method, params) {
        builder = builder.header("mcp-name", name);
    }
    builder.json(&body(method, params.clone()))
}

/// A POST with only the media headers: the test adds the rest.
fn bare(app: &TestApp) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(app.mcp_url())
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
}

fn body(method: &str, params: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": 9, "method": method, "params": params })
}

async fn send(app: &TestApp, method: &str, params: Value) -> Answer {
    exchange(conformant(app, method, &params)).await
}

/// Asserts a refusal: HTTP status, JSON-RPC code, and the request's id.
fn assert_refused(answer: &Answer, status: u16, code: i64) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.error_code(), code, "{}", answer.body);
    assert_eq!(
        answer.json()["id"],
        9,
        "the error echoes the id: {}",
        answer.body
    );
}

fn result(answer: &Answer) -> Value {
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert!(body.get("error").is_none(), "{body}");
    body["result"].clone()
}

// --- server/discover ------------------------------------------------------------

#[tokio::test]
async fn discover_names_versions_capabilities_instructions_and_the_server() {
    let app = spawn_app().await;
    let answer = send(&app, "server/discover", with_meta(json!({}))).await;
    assert!(answer.header("mcp-session-id").is_none(), "no session");
    let discover = result(&answer);
    assert_eq!(discover["supportedVersions"], json!([V2026]));
    assert_eq!(
        discover["capabilities"]["tools"],
        json!({ "listChanged": false })
    );
    assert_eq!(discover["resultType"], "complete");
    assert_eq!(discover["cacheScope"], "public");
    assert!(discover["ttlMs"].as_u64().is_some(), "{discover}");
    assert_eq!(discover["_meta"][SERVER_INFO]["name"], "malgomo-mcp");
    assert!(discover["_meta"][SERVER_INFO]["version"].is_string());
}

#[tokio::test]
async fn discover_in_mode_b_says_how_to_connect_without_the_login_tool() {
    let app = spawn_app().await;
    let discover = result(&send(&app, "server/discover", with_meta(json!({}))).await);
    let instructions = discover["instructions"].as_str().unwrap();
    for needle in [
        "OAuth",
        "PUBLIC_URL",
        "Authorization: Bearer",
        "no sessions",
    ] {
        assert!(instructions.contains(needle), "{needle}: {instructions}");
    }
}

#[tokio::test]
async fn discover_without_client_info_is_served() {
    let app = spawn_app().await;
    let params = json!({ "_meta": {
        "io.modelcontextprotocol/protocolVersion": V2026,
        "io.modelcontextprotocol/clientCapabilities": {}
    } });
    result(&send(&app, "server/discover", params).await);
}

// --- _meta --------------------------------------------------------------------------

#[tokio::test]
async fn missing_meta_or_its_required_keys_is_400_invalid_params() {
    let app = spawn_app().await;
    for params in [
        json!({}),
        json!({ "_meta": { "io.modelcontextprotocol/clientCapabilities": {} } }),
        json!({ "_meta": { "io.modelcontextprotocol/protocolVersion": V2026 } }),
        json!({ "_meta": { "io.modelcontextprotocol/protocolVersion": V2026, "io.modelcontextprotocol/clientCapabilities": "none" } }),
    ] {
        for method in ["server/discover", "tools/list"] {
            let answer = send(&app, method, params.clone()).await;
            assert_refused(&answer, 400, INVALID_PARAMS);
            assert!(
                answer.body.contains("_meta"),
                "names what is missing: {}",
                answer.body
            );
        }
    }
}

// --- versions --------------------------------------------------------------------

#[tokio::test]
async fn unsupported_version_is_400_listing_what_is_supported() {
    let app = spawn_app().await;
    // Unknown, and sessionful (served only after initialize).
    for version in ["v999.0.0", "2025-11-25"] {
        let mut params = json!({});
        params["_meta"] = meta(version);
        let answer = exchange(
            bare(&app)
                .header("mcp-protocol-version", version)
                .header("mcp-method", "server/discover")
                .json(&body("server/discover", params)),
        )
        .await;
        assert_refused(&answer, 400, UNSUPPORTED_PROTOCOL_VERSION);
        let data = &answer.json()["error"]["data"];
        assert_eq!(data["supported"], json!([V2026]), "{version}");
        assert_eq!(data["requested"], version);
    }
}

#[tokio::test]
async fn version_header_missing_or_unlike_the_body_is_400_header_mismatch() {
    let app = spawn_app().await;
    let mut params = json!({});
    params["_meta"] = meta("v999.0.0");
    let mismatched = exchange(
        bare(&app)
            .header("mcp-protocol-version", V2026)
            .header("mcp-method", "server/discover")
            .json(&body("server/discover", params)),
    )
    .await;
    assert_refused(&mismatched, 400, HEADER_MISMATCH);
    let missing = exchange(
        bare(&app)
            .header("mcp-method", "tools/list")
            .json(&body("tools/list", with_meta(json!({})))),
    )
    .await;
    assert_refused(&missing, 400, HEADER_MISMATCH);
}

// --- Mcp-Method and Mcp-Name ------------------------------------------------------------

#[tokio::test]
async fn method_header_missing_wrong_or_of_another_case_is_400_header_mismatch() {
    let app = spawn_app().await;
    for header in [None, Some("prompts/list"), Some("TOOLS/LIST")] {
        let mut builder = bare(&app).header("mcp-protocol-version", V2026);
        if let Some(value) = header {
            builder = builder.header("mcp-method", value);
        }
        let answer = exchange(builder.json(&body("tools/list", with_meta(json!({}))))).await;
        assert_refused(&answer, 400, HEADER_MISMATCH);
    }
}

#[tokio::test]
async fn name_header_must_mirror_the_tool_name() {
    let app = spawn_app().await;
    let params = with_meta(json!({ "name": "malgomo_status", "arguments": {} }));
    let call = |name: Option<&str>| {
        let mut builder = bare(&app)
            .header("mcp-protocol-version", V2026)
            .header("mcp-method", "tools/call");
        if let Some(name) = name {
            builder = builder.header("mcp-name", name);
        }
        exchange(builder.json(&body("tools/call", params.clone())))
    };
    for refused in [
        None,
        Some("malgomo_login"),
        Some("=?base64?bWFsZ29tb19zdGF0dXM?="),
    ] {
        assert_refused(&call(refused).await, 400, HEADER_MISMATCH);
    }
    // Optional whitespace is trimmed; the base64 form is decoded.
    for accepted in ["  malgomo_status\t", "=?base64?bWFsZ29tb19zdGF0dXM=?="] {
        let outcome = result(&call(Some(accepted)).await);
        assert_eq!(outcome["isError"], false, "{accepted}: {outcome}");
    }
}

// --- methods --------------------------------------------------------------------------

#[tokio::test]
async fn removed_and_unknown_methods_are_404_method_not_found() {
    let app = spawn_app().await;
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
    let app = spawn_app().await;
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
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    for request in [client.get(app.mcp_url()), client.delete(app.mcp_url())] {
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

// --- results ------------------------------------------------------------------------------

#[tokio::test]
async fn tools_list_is_cacheable_publicly_and_the_same_for_every_caller() {
    let app = spawn_app().await;
    let anonymous = result(&send(&app, "tools/list", with_meta(json!({}))).await);
    assert_eq!(anonymous["resultType"], "complete");
    assert_eq!(anonymous["cacheScope"], "public");
    assert!(
        anonymous["ttlMs"].as_u64().is_some_and(|ttl| ttl > 0),
        "{anonymous}"
    );
    assert_eq!(anonymous["_meta"][SERVER_INFO]["name"], "malgomo-mcp");
    let jwt = simulator_jwt(&app.sim, "owner@agency-a.test").await;
    let with_bearer = result(
        &exchange(conformant(&app, "tools/list", &with_meta(json!({}))).bearer_auth(jwt)).await,
    );
    assert_eq!(anonymous, with_bearer, "one list for every caller");
    // The same tools, in the same order, as the 2025 era lists.
    let session = app.session().await;
    let (_, sessionful) = session.rpc("tools/list", json!({})).await;
    assert_eq!(anonymous["tools"], sessionful["result"]["tools"]);
    assert!(
        sessionful["result"].get("resultType").is_none(),
        "2025 results unchanged"
    );
}

#[tokio::test]
async fn resources_are_cacheable_and_an_unknown_one_is_invalid_params() {
    let app = spawn_app().await;
    let list = result(&send(&app, "resources/list", with_meta(json!({}))).await);
    assert_eq!(list["cacheScope"], "public", "{list}");
    let uri = list["resources"][0]["uri"].as_str().unwrap().to_owned();
    let read = result(&send(&app, "resources/read", with_meta(json!({ "uri": uri }))).await);
    assert!(read["ttlMs"].as_u64().is_some(), "{read}");
    let unknown = send(
        &app,
        "resources/read",
        with_meta(json!({ "uri": "ui://nope" })),
    )
    .await;
    assert_eq!(
        unknown.error_code(),
        INVALID_PARAMS,
        "-32602, not 2025's -32002: {}",
        unknown.body
    );
}

#[tokio::test]
async fn tool_results_carry_result_type_and_server_info() {
    let app = spawn_app().await;
    let status = result(
        &send(
            &app,
            "tools/call",
            with_meta(json!({ "name": "malgomo_status", "arguments": {} })),
        )
        .await,
    );
    assert_eq!(status["resultType"], "complete");
    assert_eq!(status["_meta"][SERVER_INFO]["name"], "malgomo-mcp");
    assert_eq!(status["structuredContent"]["logged_in"], false);
}

#[tokio::test]
async fn session_id_is_ignored_and_nothing_is_stored() {
    // One session slot: were a stateless request to store anything, the
    // initialize at the end would find the server full.
    let app = spawn_app_with(Options {
        env: vec![("MAX_SESSIONS", "1".to_owned())],
        ..Options::default()
    })
    .await;
    for _ in 0..3 {
        let answer = exchange(
            conformant(&app, "tools/list", &with_meta(json!({})))
                .header("mcp-session-id", "00000000-0000-4000-8000-000000000000"),
        )
        .await;
        assert!(result(&answer)["tools"].is_array());
        assert!(answer.header("mcp-session-id").is_none());
    }
    let mut mcp = app.client();
    mcp.initialize("2025-11-25").await;
    assert!(mcp.session.is_some(), "the one slot is still free");
}

// --- authentication without a session ----------------------------------------------------

#[tokio::test]
async fn login_tool_in_mode_b_is_a_tool_error_saying_how_to_connect() {
    let app = spawn_app().await;
    let account = accounts::find("owner@agency-a.test").unwrap();
    for arguments in [
        json!({}),
        json!({ "email": account.email, "password": account.password }),
    ] {
        let login = result(
            &send(
                &app,
                "tools/call",
                with_meta(json!({ "name": "malgomo_login", "arguments": arguments })),
            )
            .await,
        );
        assert_eq!(login["isError"], true, "{login}");
        let message = text(&login);
        for needle in ["2026-07-28", "OAuth", "PUBLIC_URL", "Authorization: Bearer"] {
            assert!(message.contains(needle), "{needle}: {message}");
        }
    }
    // The data tools say the same instead of "call malgomo_login".
    let kpis = result(
        &send(
            &app,
            "tools/call",
            with_meta(json!({ "name": "malgomo_get_kpis", "arguments": {} })),
        )
        .await,
    );
    assert_eq!(kpis["isError"], true);
    assert!(text(&kpis).contains("PUBLIC_URL"), "{kpis}");
}

#[tokio::test]
async fn a_bearer_reads_the_dashboard_in_2026() {
    let app = spawn_app().await;
    let jwt = simulator_jwt(&app.sim, "owner@agency-a.test").await;
    let params = with_meta(json!({ "name": "malgomo_get_kpis", "arguments": { "period": "7d" } }));
    let kpis = result(&exchange(conformant(&app, "tools/call", &params).bearer_auth(jwt)).await);
    assert_eq!(kpis["isError"], false, "{kpis}");
    assert!(
        kpis["structuredContent"]["hero_net_eur"].is_number(),
        "{kpis}"
    );
    assert_eq!(kpis["resultType"], "complete");
}

#[tokio::test]
async fn initialize_without_meta_still_opens_a_2025_session() {
    // A 2025 client that sends the newest version header on initialize is
    // still negotiated by its body.
    let app = spawn_app().await;
    let answer = exchange(
        bare(&app).header("mcp-protocol-version", V2026).json(&json!({
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": { "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": { "name": "t", "version": "0" } }
        })),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["result"]["protocolVersion"], "2025-11-25");
    assert!(answer.header("mcp-session-id").is_some());
}

#[tokio::test]
async fn mode_a_serves_2026_with_its_access_token() {
    let server = malgomo_tests::oauth::spawn().await;
    let (_, tokens) = server.connect().await;
    let post = |bearer: Option<&str>, method: &str, params: Value| {
        let mut builder = reqwest::Client::new()
            .post(server.url("/mcp"))
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", V2026)
            .header("mcp-method", method);
        if let Some(name) = name_of(method, &params) {
            builder = builder.header("mcp-name", name);
        }
        if let Some(bearer) = bearer {
            builder = builder.bearer_auth(bearer);
        }
        exchange(builder.json(&body(method, with_meta(params))))
    };
    let anonymous = post(None, "server/discover", json!({})).await;
    assert_eq!(
        anonymous.status, 401,
        "mode A needs a token: {}",
        anonymous.body
    );
    let access = Some(tokens.access.as_str());
    let discover = result(&post(access, "server/discover", json!({})).await);
    assert!(
        discover["instructions"].as_str().unwrap().contains("OAuth"),
        "{discover}"
    );
    let kpis = result(
        &post(
            access,
            "tools/call",
            json!({ "name": "malgomo_get_kpis", "arguments": {} }),
        )
        .await,
    );
    assert_eq!(kpis["isError"], false, "{kpis}");
    let login = result(
        &post(
            access,
            "tools/call",
            json!({ "name": "malgomo_login", "arguments": {} }),
        )
        .await,
    );
    assert_eq!(login["isError"], false, "{login}");
    assert!(text(&login).contains("already signed in"), "{login}");
}
