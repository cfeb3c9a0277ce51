//! JSON-RPC as the raw-HTTP tests write and read it: the error codes they
//! expect (the spec's numbers, typed in here rather than taken from the
//! server, so a changed code fails a test), the request bodies they send,
//! and posting one to get an [`Answer`] (which is never a bare 500).

use serde_json::{Value, json};

use crate::Mcp;
use crate::answer::{Answer, exchange};

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
/// The implementation-defined code this server puts on transport refusals
/// (missing or unknown session, session limit, 406, 415).
pub const SERVER_ERROR: i64 = -32000;

/// A request with `id`.
pub fn request(id: i64, method: &str, params: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })
}

/// A notification (no id, so no reply).
pub fn notification(method: &str) -> Value {
    json!({ "jsonrpc": "2.0", "method": method })
}

/// `ping` with `id`.
pub fn ping_request(id: i64) -> Value {
    request(id, "ping", json!({}))
}

/// `tools/call` of `name` with `arguments`.
pub fn tool_call(id: i64, name: &str, arguments: Value) -> Value {
    request(
        id,
        "tools/call",
        json!({ "name": name, "arguments": arguments }),
    )
}

/// The `initialize` params of a client asking for `version`.
pub fn initialize_params(version: &str) -> Value {
    json!({
        "protocolVersion": version,
        "capabilities": {},
        "clientInfo": { "name": "malgomo-tests", "version": "0" }
    })
}

/// `initialize` (id 0) asking for `version`.
pub fn initialize_request(version: &str) -> Value {
    request(0, "initialize", initialize_params(version))
}

/// POSTs `body` as JSON with the client's standard headers (session, bearer).
pub async fn post(mcp: &Mcp, body: &Value) -> Answer {
    exchange(mcp.post().json(body)).await
}

/// POSTs `body` with the standard headers plus `MCP-Protocol-Version`.
pub async fn post_with_version(mcp: &Mcp, version: &str, body: &Value) -> Answer {
    exchange(
        mcp.post()
            .header("mcp-protocol-version", version)
            .json(body),
    )
    .await
}

/// `ping` (id 1), the raw answer.
pub async fn ping(mcp: &Mcp) -> Answer {
    post(mcp, &ping_request(1)).await
}

/// `tools/call` (id 2), the raw answer ([`Mcp::call_tool`] returns the
/// result of one that must succeed).
pub async fn call_tool(mcp: &Mcp, name: &str, arguments: Value) -> Answer {
    post(mcp, &tool_call(2, name, arguments)).await
}
