//! `resources/templates/list`: we have no parameterised resources, but a
//! server with the `resources` capability answers the list, empty.

use serde_json::{Value, json};

pub fn result() -> Value {
    json!({ "resourceTemplates": [] })
}
