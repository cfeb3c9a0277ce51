//! Raw HTTP tests of the Streamable HTTP transport (2025 era): initialize and
//! version negotiation, JSON-RPC error codes, media types, the
//! `MCP-Protocol-Version` header, batches, `GET` and `DELETE` on `/mcp`, and
//! the plain routes. Every answer is also checked never to be a bare 500.
//! Session lifetime and bearer rules are in `sessions.rs`, CORS and the
//! origin guard in `origins.rs`. One module a subject.

mod batches;
mod delete;
mod errors;
mod get_stream;
mod initialize;
mod media;
mod messages;
mod no_bare_500;
mod routes;
mod version_header;

use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::{Mcp, TestApp, request};
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
