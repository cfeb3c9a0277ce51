//! `tools/list`: every tool's definition (one page; there are few).

use serde_json::{Value, json};

use crate::tools;

pub fn result() -> Value {
    let definitions: Vec<Value> = tools::ALL.iter().map(|tool| tool.definition()).collect();
    json!({ "tools": definitions })
}
