//! `tools/list`: every tool's definition (one page; there are few). The
//! definitions never change while the process runs, so each mode's list is
//! built once (schemas derived, JSON assembled) on first use. It depends only
//! on the mode, never on the caller (2026-07-28 callers may cache it publicly).

use std::sync::LazyLock;

use serde_json::{Value, json};

use crate::tools;

/// Without OAuth (mode B): the login tools included.
static MODE_B: LazyLock<Value> = LazyLock::new(|| build(false));
/// With OAuth at connect (mode A).
static MODE_A: LazyLock<Value> = LazyLock::new(|| build(true));

pub fn result(oauth: bool) -> Value {
    if oauth {
        MODE_A.clone()
    } else {
        MODE_B.clone()
    }
}

fn build(oauth: bool) -> Value {
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
