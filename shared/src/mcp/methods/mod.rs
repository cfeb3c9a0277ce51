//! The JSON-RPC methods: one file each; this module is the dispatch table.

pub mod initialize;
mod ping;
mod resources_list;
mod resources_read;
mod resources_templates_list;
mod tools_call;
mod tools_list;

use serde_json::Value;

use super::Call;
use super::jsonrpc::{Request, RpcError};

pub const INITIALIZE: &str = "initialize";
pub const TOOLS_CALL: &str = "tools/call";

/// Methods this server answers (besides `initialize`).
const METHODS: [&str; 6] = [
    "ping",
    "tools/list",
    TOOLS_CALL,
    "resources/list",
    "resources/templates/list",
    "resources/read",
];

/// True for methods we implement; anything else is -32601 before any
/// session or version check (clients probe with unknown methods).
pub fn is_known(method: &str) -> bool {
    method == INITIALIZE || METHODS.contains(&method)
}

/// Runs a request on an established connection (not `initialize`).
pub async fn dispatch(call: &mut Call<'_>, request: &Request) -> Result<Value, RpcError> {
    match request.method.as_str() {
        "ping" => Ok(ping::result()),
        "tools/list" => Ok(tools_list::result(call.app.config.oauth_enabled())),
        TOOLS_CALL => tools_call::result(call, request.params.clone()).await,
        "resources/list" => Ok(resources_list::result()),
        "resources/templates/list" => Ok(resources_templates_list::result()),
        "resources/read" => resources_read::result(request.params.clone()),
        INITIALIZE => Err(RpcError::invalid_request(
            "initialize must be the only message of its POST",
        )),
        other => Err(RpcError::method_not_found(other)),
    }
}
