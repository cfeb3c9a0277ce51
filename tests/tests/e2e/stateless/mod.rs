//! Raw HTTP tests of MCP 2026-07-28 on `POST /mcp`: no initialize, no
//! session, every request self-contained. `server/discover`; the required
//! `_meta`; the `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` headers
//! against the body; unsupported versions; removed and unknown methods;
//! `resultType`, server info and cache hints on results; and who is served
//! the era: in mode B a caller with a bearer (most tests here are one),
//! while one without a credential is steered to a 2025 session, where the
//! login tool works; in mode A every caller, with its access token.
//!
//! One file a rule: `server/discover` (`discover.rs`), the steer of an
//! anonymous caller to a session (`anonymous_steer.rs`), `_meta` and the
//! headers against the body (`meta_and_headers.rs`), methods and HTTP verbs
//! (`methods.rs`), what results carry (`results.rs`), and who is served
//! without a session (`authentication.rs`); the requests they share are here.

mod anonymous_steer;
mod authentication;
mod discover;
mod meta_and_headers;
mod methods;
mod results;

use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::{Options, TestApp, simulator_jwt, spawn_app, spawn_app_with};
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
