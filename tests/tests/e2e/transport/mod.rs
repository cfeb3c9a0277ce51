//! Raw HTTP tests of the Streamable HTTP transport (2025 era): initialize and
//! version negotiation, JSON-RPC error codes, media types, the
//! `MCP-Protocol-Version` header, batches, `GET` and `DELETE` on `/mcp`, and
//! the plain routes. Every answer is also checked never to be a bare 500.
//! Session lifetime and bearer rules are in `sessions/`, CORS and the
//! origin guard in `origins.rs`. One module a subject.

/// One `#[tokio::test]` a row, so each case reports by its own name: the
/// era of a fresh session (`None`: no session), the `MCP-Protocol-Version`
/// header sent, the bodies posted, and the status and JSON-RPC error code
/// every one of them must get (see [`assert_refused`]).
macro_rules! refusals {
    ($($name:ident: $session:expr, $header:expr, $bodies:expr => $status:expr, $code:expr;)*) => {$(
        #[tokio::test]
        async fn $name() {
            super::assert_refused($session, $header, &$bodies, $status, $code).await;
        }
    )*};
}

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

// The dashboard tools (same arguments, same kind of answer), from the
// registry.
use malgomo::tools::data_tool_names;
use malgomo_tests::rpc::{post, post_with_version};
use malgomo_tests::{Mcp, TestApp, spawn_app};
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

/// Posts each of `bodies` as a client of a fresh app: on a session of the
/// era `session_of` (none when `None`), with `header` as
/// `MCP-Protocol-Version` (none when `None`). Each must get `status` and
/// the JSON-RPC error `code`, naming the request's id where the body has a
/// readable one (a number or a string) and `null` where it has none.
async fn assert_refused(
    session_of: Option<&str>,
    header: Option<&str>,
    bodies: &[Value],
    status: u16,
    code: i64,
) {
    let app = spawn_app().await;
    let mcp = match session_of {
        Some(version) => session(&app, version).await,
        None => app.client(),
    };
    for body in bodies {
        let answer = match header {
            Some(version) => post_with_version(&mcp, version, body).await,
            None => post(&mcp, body).await,
        };
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert_eq!(answer.error_code(), code, "{body}: {}", answer.body);
        let id = match &body["id"] {
            id @ (Value::Number(_) | Value::String(_)) => id.clone(),
            _ => Value::Null,
        };
        assert_eq!(answer.json()["id"], id, "{body}: the id named");
    }
}
