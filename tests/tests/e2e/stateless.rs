//! Raw HTTP tests of MCP 2026-07-28 on `POST /mcp`: no initialize, no
//! session, every request self-contained. `server/discover`; the required
//! `_meta`; the `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` headers
//! against the body; unsupported versions; removed and unknown methods;
//! `resultType`, server info and cache hints on results; and who is served
//! the era: in mode B a caller with a bearer (most tests here are one),
//! while one without a credential is steered to a 2025 session, where the
//! login tool works; in mode A every caller, with its access token.

use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::rpc::{INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND};
use malgomo_tests::{Options, TestApp, simulator_jwt, spawn_app, spawn_app_with, text};
use serde_json::{Value, json};

const V2026: &str = "2026-07-28";
const HEADER_MISMATCH: i64 = -32020;
const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;
const SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";
const OWNER: &str = "owner@agency-a.test";
/// What an anonymous mode-B caller is offered instead of 2026-07-28.
const SESSION_VERSIONS: [&str; 3] = ["2025-11-25", "2025-06-18", "2025-03-26"];

/// A mode-B server, and how a test calls it: with the simulator owner's
/// bearer (a caller the 2026-07-28 era is served to) or without one.
struct Server {
    app: TestApp,
    bearer: Option<String>,
}

async fn signed_in() -> Server {
    signed_in_with(Options::default()).await
}

async fn signed_in_with(options: Options) -> Server {
    let app = spawn_app_with(options).await;
    let jwt = simulator_jwt(&app.sim, OWNER).await;
    Server {
        app,
        bearer: Some(jwt),
    }
}

async fn anonymous() -> Server {
    Server {
        app: spawn_app().await,
        bearer: None,
    }
}

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
fn conformant(app: &Server, method: &str, params: &Value) -> reqwest::RequestBuilder {
    let mut builder = bare(app)
        .header("mcp-protocol-version", V2026)
        .header("mcp-method", method);
    if let Some(name) = name_of(method, params) {
        builder = builder.header("mcp-name", name);
    }
    builder.json(&body(method, params.clone()))
}

/// A POST with only the media headers and the server's caller's bearer,
/// if any: the test adds the rest.
fn bare(server: &Server) -> reqwest::RequestBuilder {
    let builder = reqwest::Client::new()
        .post(server.app.mcp_url())
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream");
    match &server.bearer {
        Some(jwt) => builder.bearer_auth(jwt),
        None => builder,
    }
}

fn body(method: &str, params: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": 9, "method": method, "params": params })
}

async fn send(app: &Server, method: &str, params: Value) -> Answer {
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
    let app = signed_in().await;
    let answer = send(&app, "server/discover", with_meta(json!({}))).await;
    assert!(answer.header("mcp-session-id").is_none(), "no session");
    let discover = result(&answer);
    assert_eq!(discover["supportedVersions"], json!([V2026]));
    assert_eq!(
        discover["capabilities"]["tools"],
        json!({ "listChanged": false })
    );
    assert_eq!(discover["resultType"], "complete");
    // The answer differs with and without a bearer: no shared cache.
    assert_eq!(discover["cacheScope"], "private");
    assert!(discover["ttlMs"].as_u64().is_some(), "{discover}");
    assert_eq!(discover["_meta"][SERVER_INFO]["name"], "malgomo-mcp");
    assert!(discover["_meta"][SERVER_INFO]["version"].is_string());
    // The same identity as initialize's serverInfo, directory fields included.
    let info = &discover["_meta"][SERVER_INFO];
    assert!(info["websiteUrl"].is_string(), "{info}");
    assert!(info["description"].is_string(), "{info}");
    assert_eq!(info["icons"][0]["mimeType"], "image/svg+xml", "{info}");
    let instructions = discover["instructions"].as_str().unwrap();
    assert!(
        instructions.contains("signed in by its Authorization: Bearer token"),
        "{instructions}"
    );
}

// --- mode B without a credential: steered to a session --------------------------------

#[tokio::test]
async fn anonymous_discover_offers_the_2025_revisions_and_says_how_to_log_in() {
    let app = anonymous().await;
    let discover = result(&send(&app, "server/discover", with_meta(json!({}))).await);
    assert_eq!(discover["supportedVersions"], json!(SESSION_VERSIONS));
    assert_eq!(discover["cacheScope"], "private");
    assert_eq!(discover["resultType"], "complete");
    let instructions = discover["instructions"].as_str().unwrap();
    for needle in ["initialize", "malgomo_login", "Authorization: Bearer"] {
        assert!(instructions.contains(needle), "{needle}: {instructions}");
    }
}

#[tokio::test]
async fn anonymous_2026_requests_get_the_version_error_listing_the_2025_revisions() {
    let app = anonymous().await;
    for (method, params) in [
        ("tools/list", json!({})),
        (
            "tools/call",
            json!({ "name": "malgomo_login", "arguments": {} }),
        ),
        (
            "tools/call",
            json!({ "name": "malgomo_get_kpis", "arguments": {} }),
        ),
        ("resources/list", json!({})),
        ("unknown/method", json!({})),
    ] {
        let answer = send(&app, method, with_meta(params)).await;
        assert_refused(&answer, 400, UNSUPPORTED_PROTOCOL_VERSION);
        let data = &answer.json()["error"]["data"];
        assert_eq!(data["supported"], json!(SESSION_VERSIONS), "{method}");
        assert_eq!(data["requested"], V2026, "{method}");
    }
}

#[tokio::test]
async fn after_the_steer_an_anonymous_client_logs_in_and_reads_in_a_session() {
    let app = anonymous().await;
    let discover = result(&send(&app, "server/discover", with_meta(json!({}))).await);
    let version = discover["supportedVersions"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let mut mcp = app.app.client();
    let init = mcp.initialize(&version).await;
    assert_eq!(init["result"]["protocolVersion"], version.as_str());
    let instructions = init["result"]["instructions"].as_str().unwrap();
    assert!(
        instructions.contains("Log in first with malgomo_login"),
        "{instructions}"
    );
    mcp.login(OWNER).await;
    let (_, kpis) = mcp
        .rpc(
            "tools/call",
            json!({ "name": "malgomo_get_kpis", "arguments": {} }),
        )
        .await;
    assert_eq!(kpis["result"]["isError"], false, "{kpis}");
}

#[tokio::test]
async fn discover_without_client_info_is_served() {
    let app = signed_in().await;
    let params = json!({ "_meta": {
        "io.modelcontextprotocol/protocolVersion": V2026,
        "io.modelcontextprotocol/clientCapabilities": {}
    } });
    result(&send(&app, "server/discover", params).await);
}

// --- _meta --------------------------------------------------------------------------

#[tokio::test]
async fn missing_meta_or_its_required_keys_is_400_invalid_params() {
    let app = signed_in().await;
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
    let app = signed_in().await;
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
    let app = signed_in().await;
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
    let app = signed_in().await;
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
    let app = signed_in().await;
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

// --- results ------------------------------------------------------------------------------

#[tokio::test]
async fn tools_list_is_cacheable_publicly_and_the_same_for_every_caller() {
    let owner = signed_in().await;
    let listed = result(&send(&owner, "tools/list", with_meta(json!({}))).await);
    assert_eq!(listed["resultType"], "complete");
    assert_eq!(listed["cacheScope"], "public");
    assert!(
        listed["ttlMs"].as_u64().is_some_and(|ttl| ttl > 0),
        "{listed}"
    );
    assert_eq!(listed["_meta"][SERVER_INFO]["name"], "malgomo-mcp");
    let member = Server {
        bearer: Some(simulator_jwt(&owner.app.sim, "member@agency-a.test").await),
        ..signed_in().await
    };
    let for_member = result(&send(&member, "tools/list", with_meta(json!({}))).await);
    assert_eq!(listed, for_member, "one list for every caller");
    // The same tools, in the same order, as the 2025 era lists.
    let session = owner.app.session().await;
    let (_, sessionful) = session.rpc("tools/list", json!({})).await;
    assert_eq!(listed["tools"], sessionful["result"]["tools"]);
    assert!(
        sessionful["result"].get("resultType").is_none(),
        "2025 results unchanged"
    );
}

#[tokio::test]
async fn resources_are_cacheable_and_an_unknown_one_is_invalid_params() {
    let app = signed_in().await;
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
    let app = signed_in().await;
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
    assert_eq!(status["structuredContent"]["logged_in"], true, "{status}");
}

#[tokio::test]
async fn session_id_is_ignored_and_nothing_is_stored() {
    // One session slot: were a stateless request to store anything, the
    // initialize at the end would find the server full.
    let app = signed_in_with(Options {
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
    let mut mcp = app.app.client();
    mcp.initialize("2025-11-25").await;
    assert!(mcp.session.is_some(), "the one slot is still free");
}

// --- authentication without a session ----------------------------------------------------

#[tokio::test]
async fn a_bearer_reads_the_dashboard_in_2026_and_needs_no_login() {
    let app = signed_in().await;
    let params = with_meta(json!({ "name": "malgomo_get_kpis", "arguments": { "period": "7d" } }));
    let kpis = result(&send(&app, "tools/call", params).await);
    assert_eq!(kpis["isError"], false, "{kpis}");
    assert!(
        kpis["structuredContent"]["hero_net_eur"].is_number(),
        "{kpis}"
    );
    assert_eq!(kpis["resultType"], "complete");
    // Whatever the arguments, even none (the conformance suite calls it so).
    for arguments in [json!({ "email": OWNER, "password": "x" }), json!({})] {
        let params = with_meta(json!({ "name": "malgomo_login", "arguments": arguments }));
        let login = result(&send(&app, "tools/call", params).await);
        assert_eq!(login["isError"], false, "{login}");
        assert!(text(&login).contains("already authenticated"), "{login}");
    }
}

#[tokio::test]
async fn initialize_without_meta_still_opens_a_2025_session() {
    // A 2025 client that sends the newest version header on initialize is
    // still negotiated by its body.
    let app = anonymous().await;
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
