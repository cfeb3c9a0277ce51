//! `tools/list`: every tool's definition (one page; there are few). The
//! definitions never change while the process runs and depend only on the
//! mode (OAuth or not) and the era, never on the caller (2026-07-28 callers
//! may cache them publicly), so each of the four answers is built and
//! serialised once, on first use, and copied into every reply after.

use std::sync::LazyLock;

use crate::protocol::Era;
use crate::protocol::jsonrpc::{RawResult, RpcError};
use crate::protocol::tool::ListToolsResult;
use crate::tools;

/// Indexed by [`slot`].
static LISTS: LazyLock<[Result<RawResult, RpcError>; 4]> = LazyLock::new(|| {
    [
        (Era::Sessionful, false),
        (Era::Sessionful, true),
        (Era::Stateless, false),
        (Era::Stateless, true),
    ]
    .map(|(era, oauth)| build(era, oauth))
});

fn slot(era: Era, oauth: bool) -> usize {
    usize::from(era == Era::Stateless) * 2 + usize::from(oauth)
}

pub fn result(era: Era, oauth: bool) -> Result<RawResult, RpcError> {
    LISTS[slot(era, oauth)].clone()
}

/// The list of mode A (OAuth at connect) or mode B, as `era` answers it.
fn build(era: Era, oauth: bool) -> Result<RawResult, RpcError> {
    let list = ListToolsResult {
        tools: tools::definitions(oauth),
    };
    super::finish(era, super::TOOLS_LIST, super::to_value(list)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn list(era: Era, oauth: bool) -> Value {
        serde_json::from_str(result(era, oauth).unwrap().get()).unwrap()
    }

    #[test]
    fn each_list_sits_in_its_own_slot() {
        let mut slots: Vec<usize> = [Era::Sessionful, Era::Stateless]
            .into_iter()
            .flat_map(|era| [slot(era, false), slot(era, true)])
            .collect();
        slots.sort();
        assert_eq!(slots, [0, 1, 2, 3]);
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
