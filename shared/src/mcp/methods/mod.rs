//! The JSON-RPC methods: one file each; this module is the dispatch table
//! of both eras.

mod discover;
mod fixed;
mod icon;
pub mod initialize;
mod ping;
mod resources_list;
mod resources_read;
mod resources_templates_list;
mod server;
mod tools_call;
mod tools_list;

pub use server::INFO as SERVER_INFO;

use std::sync::OnceLock;

use serde_json::Value;
use serde_json::value::RawValue;

use super::{Call, SignIn};
use crate::protocol::Era;
use crate::protocol::jsonrpc::{
    INVALID_PARAMS, RESOURCE_NOT_FOUND, RawResult, Request, RpcError, raw,
};
use crate::protocol::result::{CacheHint, CacheScope, cacheable, complete};
use crate::protocol::tool::CallToolAnswer;
use crate::tools::ToolOutput;

/// How long, and for whom, 2026-07-28 clients may cache what only a deploy
/// changes: tool and resource lists, the dashboard view, discovery.
pub const CACHE_HINT: CacheHint = CacheHint {
    ttl_ms: 10 * 60 * 1000,
    cache_scope: CacheScope::Public,
};

/// Declares [`Method`] from one list, each method's variant and wire name.
/// All else about a method (the eras that serve it, whether its result may
/// be cached, what runs it) is an exhaustive `match` on the variant, so
/// the compiler holds every one of them to this list.
macro_rules! methods {
    ($($variant:ident = $name:literal,)*) => {
        /// A method we implement, besides `initialize` (which opens a
        /// session rather than running in one).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Method {
            $($variant,)*
        }

        impl Method {
            pub const ALL: &[Method] = &[$(Method::$variant,)*];

            pub const fn name(self) -> &'static str {
                match self {
                    $(Method::$variant => $name,)*
                }
            }
        }
    };
}

methods! {
    Ping = "ping",
    Discover = "server/discover",
    ToolsList = "tools/list",
    ToolsCall = "tools/call",
    ResourcesList = "resources/list",
    ResourcesTemplatesList = "resources/templates/list",
    ResourcesRead = "resources/read",
}

impl Method {
    pub fn parse(name: &str) -> Option<Method> {
        Self::ALL
            .iter()
            .copied()
            .find(|method| method.name() == name)
    }

    /// 2026-07-28 has no `ping`; the 2025 era has no `server/discover`.
    pub fn served_in(self, era: Era) -> bool {
        match self {
            Method::Ping => era == Era::Sessionful,
            Method::Discover => era == Era::Stateless,
            Method::ToolsList
            | Method::ToolsCall
            | Method::ResourcesList
            | Method::ResourcesTemplatesList
            | Method::ResourcesRead => true,
        }
    }

    /// Results a 2026-07-28 client may cache (besides `server/discover`,
    /// whose type carries the hint): the same for every caller of one
    /// server.
    fn cacheable(self) -> bool {
        match self {
            Method::ToolsList
            | Method::ResourcesList
            | Method::ResourcesTemplatesList
            | Method::ResourcesRead => true,
            Method::Ping | Method::Discover | Method::ToolsCall => false,
        }
    }
}

pub const INITIALIZE: &str = "initialize";
pub const DISCOVER: &str = Method::Discover.name();
pub const TOOLS_CALL: &str = Method::ToolsCall.name();

/// True for methods we implement in `era`; anything else is -32601 before
/// any session or version check (clients probe with unknown methods).
pub fn is_known(era: Era, method: &str) -> bool {
    (era == Era::Sessionful && method == INITIALIZE)
        || Method::parse(method).is_some_and(|method| method.served_in(era))
}

/// Runs a request (not `initialize`) in the era of `call`: its result as
/// that era answers it, serialised.
pub async fn dispatch(call: &mut Call<'_>, request: &Request) -> Result<RawResult, RpcError> {
    let name = request.method.as_str();
    let Some(method) = Method::parse(name).filter(|method| method.served_in(call.era)) else {
        return Err(match name {
            INITIALIZE => {
                RpcError::invalid_request("initialize must be the only message of its POST")
            }
            other => RpcError::method_not_found(other),
        });
    };
    let (era, oauth) = (call.era, call.app.oauth_enabled);
    match method {
        Method::Ping => to_value(ping::result()).and_then(|result| finish(era, method, result)),
        Method::Discover => discover::result(SignIn::of(oauth, &call.auth)),
        Method::ToolsList => tools_list::result(era, oauth),
        Method::ResourcesList => resources_list::result(era, oauth),
        Method::ResourcesTemplatesList => resources_templates_list::result(era, oauth),
        Method::ResourcesRead => resources_read::result(era, oauth, request.params.clone()),
        Method::ToolsCall => tools_call::result(call, request.params.clone())
            .await
            .and_then(|output| finish_tool(era, output)),
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
fn finish(era: Era, method: Method, result: Value) -> Result<RawResult, RpcError> {
    match era {
        Era::Sessionful => raw(&result),
        Era::Stateless => {
            let result = if method.cacheable() {
                cacheable(result, CACHE_HINT)
            } else {
                result
            };
            raw(&complete(result, &SERVER_INFO))
        }
    }
}

/// `tools/call`'s answer in `era`, the same bytes [`finish`] would write
/// for it, in one pass around the parts already serialised (the tool's
/// structured JSON; in 2026-07-28 the `_meta`).
fn finish_tool(era: Era, output: ToolOutput) -> Result<RawResult, RpcError> {
    let result = output.into_result();
    let stateless_meta = match era {
        Era::Sessionful => None,
        Era::Stateless => Some(stateless_meta()?),
    };
    raw(&CallToolAnswer {
        result: &result,
        stateless_meta,
    })
}

/// The `_meta` that [`complete`] gives a 2026-07-28 result without one,
/// serialised once per process.
fn stateless_meta() -> Result<&'static RawValue, RpcError> {
    static META: OnceLock<Result<RawResult, RpcError>> = OnceLock::new();
    META.get_or_init(|| {
        let completed = complete(Value::Object(serde_json::Map::new()), &SERVER_INFO);
        raw(&completed["_meta"])
    })
    .as_deref()
    .map_err(Clone::clone)
}

fn to_value(result: impl serde::Serialize) -> Result<Value, RpcError> {
    serde_json::to_value(result).map_err(|err| {
        tracing::error!(error = %err, "a result did not serialise");
        RpcError::new(crate::protocol::jsonrpc::INTERNAL_ERROR, "Internal error")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_is_known_by_its_name_in_the_eras_that_serve_it() {
        for &method in Method::ALL {
            assert_eq!(Method::parse(method.name()), Some(method));
            for era in [Era::Sessionful, Era::Stateless] {
                assert_eq!(is_known(era, method.name()), method.served_in(era));
            }
        }
        let mut names: Vec<&str> = Method::ALL.iter().map(|method| method.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Method::ALL.len(), "one name a method");
    }

    #[test]
    fn each_era_serves_its_own_methods_and_nothing_else() {
        let served = |era| {
            Method::ALL
                .iter()
                .filter(|method| method.served_in(era))
                .map(|method| method.name())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            served(Era::Sessionful),
            [
                "ping",
                "tools/list",
                "tools/call",
                "resources/list",
                "resources/templates/list",
                "resources/read"
            ]
        );
        assert_eq!(
            served(Era::Stateless),
            [
                "server/discover",
                "tools/list",
                "tools/call",
                "resources/list",
                "resources/templates/list",
                "resources/read"
            ]
        );
        assert!(is_known(Era::Sessionful, INITIALIZE));
        assert!(!is_known(Era::Stateless, INITIALIZE));
        for unknown in ["prompts/list", "completion/complete", "", "PING"] {
            assert!(!is_known(Era::Sessionful, unknown), "{unknown}");
            assert!(!is_known(Era::Stateless, unknown), "{unknown}");
        }
    }
}
