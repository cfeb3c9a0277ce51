//! `ping`: an empty result, to prove the connection is alive.

use serde_json::{Value, json};

pub fn result() -> Value {
    json!({})
}
