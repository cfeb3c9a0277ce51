//! The JSON-RPC methods: one file each; this module is the dispatch table
//! of both eras.

mod discover;
mod fixed;
pub mod initialize;
mod ping;
mod resources_list;
mod resources_read;
mod resources_templates_list;
mod server;
mod tools_call;
mod tools_list;

pub use server::INFO as SERVER_INFO;

use serde_json::Value;

use super::Call;
use crate::protocol::Era;
use crate::protocol::jsonrpc::{
    INVALID_PARAMS, RESOURCE_NOT_FOUND, RawResult, Request, RpcError, raw,
};
use crate::protocol::result::{CacheHint, CacheScope, cacheable, complete};

/// How long, and for whom, 2026-07-28 clients may cache what only a deploy
/// changes: tool and resource lists, the dashboard view, discovery.
pub const CACHE_HINT: CacheHint = CacheHint {
    ttl_ms: 10 * 60 * 1000,
    cache_scope: CacheScope::Public,
};

pub const INITIALIZE: &str = "initialize";
pub const DISCOVER: &str = "server/discover";
pub const TOOLS_CALL: &str = "tools/call";
const TOOLS_LIST: &str = "tools/list";

/// Methods served on an established 2025-era connection (besides `initialize`).
const SESSIONFUL: [&str; 6] = [
    "ping",
    TOOLS_LIST,
    TOOLS_CALL,
    "resources/list",
    "resources/templates/list",
    "resources/read",
];
/// Methods of 2026-07-28: no `initialize`, no `ping`.
const STATELESS: [&str; 6] = [
    DISCOVER,
    TOOLS_LIST,
    TOOLS_CALL,
    "resources/list",
    "resources/templates/list",
    "resources/read",
];
/// Results a 2026-07-28 client may cache (besides `server/discover`, whose
/// type carries the hint): the same for every caller of one server.
const CACHEABLE: [&str; 4] = [
    TOOLS_LIST,
    "resources/list",
    "resources/templates/list",
    "resources/read",
];

/// True for methods we implement in `era`; anything else is -32601 before
/// any session or version check (clients probe with unknown methods).
pub fn is_known(era: Era, method: &str) -> bool {
    match era {
        Era::Sessionful => method == INITIALIZE || SESSIONFUL.contains(&method),
        Era::Stateless => STATELESS.contains(&method),
    }
}

/// Runs a request (not `initialize`) in the era of `call`: its result as
/// that era answers it, serialised.
pub async fn dispatch(call: &mut Call<'_>, request: &Request) -> Result<RawResult, RpcError> {
    let method = request.method.as_str();
    if !is_known(call.era, method) || method == INITIALIZE {
        return Err(match method {
            INITIALIZE => {
                RpcError::invalid_request("initialize must be the only message of its POST")
            }
            other => RpcError::method_not_found(other),
        });
    }
    let (era, oauth) = (call.era, call.app.config.oauth_enabled());
    match method {
        "ping" => to_value(ping::result()).and_then(|result| finish(era, method, result)),
        DISCOVER => discover::result(era, oauth),
        TOOLS_LIST => tools_list::result(era, oauth),
        "resources/list" => resources_list::result(era, oauth),
        "resources/templates/list" => resources_templates_list::result(era, oauth),
        "resources/read" => resources_read::result(era, oauth, request.params.clone()),
        TOOLS_CALL => tools_call::result(call, request.params.clone())
            .await
            .and_then(|result| finish(era, method, result)),
        other => Err(RpcError::method_not_found(other)),
    }
    .map_err(|mut error| {
        // 2026-07-28 (SEP-2164) answers an unknown resource with -32602;
        // the 2025 era's -32002 is reserved there.
        if call.era == Era::Stateless && error.code == RESOURCE_NOT_FOUND {
            error.code = INVALID_PARAMS;
        }
        error
    })
}

/// What `era` adds to the result of `method`, then its one serialisation:
/// 2026-07-28 marks every result complete, names the server in `_meta`, and
/// says how long the cacheable ones may be kept.
fn finish(era: Era, method: &str, result: Value) -> Result<RawResult, RpcError> {
    match era {
        Era::Sessionful => raw(&result),
        Era::Stateless => {
            let result = if CACHEABLE.contains(&method) {
                cacheable(result, CACHE_HINT)
            } else {
                result
            };
            raw(&complete(result, &SERVER_INFO))
        }
    }
}

fn to_value(result: impl serde::Serialize) -> Result<Value, RpcError> {
    serde_json::to_value(result).map_err(|err| {
        tracing::error!(error = %err, "a result did not serialise");
        RpcError::new(crate::protocol::jsonrpc::INTERNAL_ERROR, "Internal error")
    })
}
