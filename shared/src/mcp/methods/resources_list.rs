//! `resources/list`: every resource (one page; there is one).

use serde_json::{Value, json};

use crate::resources;

pub fn result() -> Value {
    let listing: Vec<Value> = resources::ALL.iter().map(|r| r.listing()).collect();
    json!({ "resources": listing })
}
