//! JSON Schemas for tool definitions: flat (no `$ref`), without keywords
//! that strict validators in clients reject (`$schema`, unknown `format`s).
//! A schema is data (JSON Schema has no closed shape), so it stays JSON; the
//! definition around it is typed ([`crate::protocol::tool::Tool`]).

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use crate::domain::Period;
use crate::protocol::tool::Schema;

/// The output schema of `T`, every subschema inlined.
pub fn output_schema<T: JsonSchema>() -> Schema {
    let generator = SchemaSettings::draft07()
        .with(|settings| settings.inline_subschemas = true)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    strip(&mut schema);
    object(schema)
}

/// A schema literal as the object it is (a boolean schema, which no tool
/// here has, would be the empty object: accept anything).
pub fn object(schema: Value) -> Schema {
    match schema {
        Value::Object(map) => map,
        _ => Schema::new(),
    }
}

/// Removes the keywords from `schema` and every subschema. The keys of a
/// `properties` map are field names, not keywords: a field called `title`
/// stays.
fn strip(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            map.remove("$schema");
            map.remove("format");
            map.remove("title");
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    ("properties", Value::Object(fields)) => fields.values_mut().for_each(strip),
                    (_, value) => strip(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

/// The input schema of the data tools: one optional `period`.
pub fn period_input() -> Schema {
    object(json!({
        "type": "object",
        "properties": {
            "period": {
                "type": "string",
                "enum": Period::VALUES,
                "default": "today",
                "description": "Reporting window: today (default, the current day), yesterday (the previous day), 7d (this week), 30d (this month)."
            }
        },
        "additionalProperties": false
    }))
}

/// The input schema of a tool without arguments.
pub fn no_input() -> Schema {
    object(json!({ "type": "object", "properties": {}, "additionalProperties": false }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::dashboard::Kpis;

    fn contains_key(value: &Value, key: &str) -> bool {
        match value {
            Value::Object(map) => {
                map.contains_key(key) || map.values().any(|v| contains_key(v, key))
            }
            Value::Array(items) => items.iter().any(|v| contains_key(v, key)),
            _ => false,
        }
    }

    #[test]
    fn output_schemas_are_flat_objects() {
        let schema = Value::Object(output_schema::<Kpis>());
        assert_eq!(schema["type"], "object");
        for key in ["$ref", "$defs", "definitions", "$schema", "format"] {
            assert!(!contains_key(&schema, key), "{key} in {schema}");
        }
        assert_eq!(
            schema["properties"]["per_creator"]["items"]["properties"]["net_eur"]["type"],
            "number"
        );
    }

    #[test]
    fn a_field_named_like_a_keyword_is_kept() {
        use crate::upstream::dashboard::Earnings;
        let schema = Value::Object(output_schema::<Earnings>());
        let transaction = &schema["properties"]["transactions"]["items"];
        assert_eq!(transaction["properties"]["title"]["type"], "string");
        assert!(
            transaction["required"]
                .as_array()
                .unwrap()
                .contains(&"title".into())
        );
        assert!(transaction.get("title").is_none(), "the keyword is removed");
    }
}
