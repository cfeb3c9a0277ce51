//! `tools/list`: every tool's definition (one page; there are few).

use serde_json::{Value, json};

use crate::tools;

pub fn result(oauth: bool) -> Value {
    let definitions: Vec<Value> = tools::ALL
        .iter()
        .map(|tool| {
            if oauth {
                tool.definition_in_mode_a()
            } else {
                tool.definition()
            }
        })
        .collect();
    json!({ "tools": definitions })
}
