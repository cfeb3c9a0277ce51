//! `tools/list`: every tool's definition (one page; there are few), the
//! same for every caller of one mode, so built and serialised once (see
//! [`Fixed`]).

use super::Method;
use super::fixed::Fixed;
use crate::protocol::Era;
use crate::protocol::jsonrpc::{RawResult, RpcError};
use crate::protocol::tool::ListToolsResult;
use crate::tools;

pub fn result(era: Era, oauth: bool) -> Result<RawResult, RpcError> {
    static LIST: Fixed = Fixed::new();
    LIST.get(era, oauth, Method::ToolsList, || ListToolsResult {
        tools: tools::definitions(oauth),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn list(era: Era, oauth: bool) -> Value {
        serde_json::from_str(result(era, oauth).unwrap().get()).unwrap()
    }

    #[test]
    fn the_stateless_list_is_the_sessionful_one_marked_cacheable_and_complete() {
        for oauth in [false, true] {
            let sessionful = list(Era::Sessionful, oauth);
            let stateless = list(Era::Stateless, oauth);
            assert_eq!(sessionful["tools"], stateless["tools"]);
            assert!(sessionful.get("ttlMs").is_none());
            assert_eq!(stateless["cacheScope"], "public");
            assert_eq!(stateless["resultType"], "complete");
            assert!(stateless["_meta"][crate::protocol::meta::SERVER_INFO].is_object());
        }
    }

    #[test]
    fn mode_a_asks_for_no_password() {
        let login = |oauth| {
            list(Era::Sessionful, oauth)["tools"]
                .as_array()
                .unwrap()
                .iter()
                .find(|tool| tool["name"] == tools::LOGIN)
                .unwrap()["inputSchema"]["properties"]
                .clone()
        };
        assert!(login(false).get("password").is_some());
        assert_eq!(login(true), serde_json::json!({}));
    }
}
