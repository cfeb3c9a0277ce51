//! Results that never change while the process runs: they depend on the
//! era and the mode (OAuth or not) only, never on the caller (2026-07-28
//! callers may cache them publicly). Each is built and serialised once, on
//! first use, and copied into every reply after — `resources/read` of the
//! dashboard view alone is 279 KB of JSON-escaped HTML.

use std::sync::OnceLock;

use serde::Serialize;

use super::Method;
use crate::protocol::Era;
use crate::protocol::jsonrpc::{RawResult, RpcError};

/// One method's fixed result, per era and mode.
pub struct Fixed {
    cells: [OnceLock<Result<RawResult, RpcError>>; 4],
}

impl Fixed {
    pub const fn new() -> Self {
        Self {
            cells: [const { OnceLock::new() }; 4],
        }
    }

    /// The result of `method` as `era` answers it in mode A (`oauth`) or B;
    /// `result` runs on first use only.
    pub fn get<T: Serialize>(
        &self,
        era: Era,
        oauth: bool,
        method: Method,
        result: impl FnOnce() -> T,
    ) -> Result<RawResult, RpcError> {
        self.cells[slot(era, oauth)]
            .get_or_init(|| super::finish(era, method, super::to_value(result())?))
            .clone()
    }
}

fn slot(era: Era, oauth: bool) -> usize {
    usize::from(era == Era::Stateless) * 2 + usize::from(oauth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn value(raw: Result<RawResult, RpcError>) -> Value {
        serde_json::from_str(raw.unwrap().get()).unwrap()
    }

    #[test]
    fn each_era_and_mode_has_its_own_cell_built_once() {
        let fixed = Fixed::new();
        for era in [Era::Sessionful, Era::Stateless] {
            for oauth in [false, true] {
                let first =
                    value(fixed.get(era, oauth, Method::ToolsList, || json!({ "oauth": oauth })));
                let again = value(fixed.get(
                    era,
                    oauth,
                    Method::ToolsList,
                    || json!({ "built": "twice" }),
                ));
                assert_eq!(first, again);
                assert_eq!(first["oauth"], oauth);
                assert_eq!(first.get("resultType").is_some(), era == Era::Stateless);
            }
        }
    }
}
