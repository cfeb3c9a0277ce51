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

use malgomo_tests::{Mcp, TestApp};
use serde_json::Value;

/// A POST with no header at all except the ones given.
fn bare_post(app: &TestApp) -> reqwest::RequestBuilder {
    reqwest::Client::new().post(app.mcp_url())
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
