//! JSON Schemas for tool definitions: flat (no `$ref`), without keywords
//! that strict validators in clients reject (`$schema`, unknown `format`s).
//! A schema is data (JSON Schema has no closed shape), so it stays JSON; the
//! definition around it is typed ([`crate::protocol::tool::Tool`]).

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use crate::domain::{Period, period_text};
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

/// Checks `arguments` against the flat object `schema` of a tool's input:
/// an object, every `required` field present, no field the schema does not
/// name (when `additionalProperties` is false), and each field of its
/// declared `type` (a value outside an `enum` is the tool's to explain). The error names the field and what it
/// should be — never the value given, which may be a password of the wrong
/// type.
pub fn check(schema: &Schema, arguments: &Value) -> Result<(), String> {
    let Value::Object(given) = arguments else {
        return Err("the arguments must be an object".to_owned());
    };
    let empty = Schema::new();
    let fields = match schema.get("properties") {
        Some(Value::Object(fields)) => fields,
        _ => &empty,
    };
    for name in required(schema) {
        if !given.contains_key(name) {
            return Err(format!("missing field `{name}`"));
        }
    }
    let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
    for (name, value) in given {
        let Some(field) = fields.get(name) else {
            if closed {
                // The name is the caller's and may be anything: bounded.
                let shown: String = name.chars().take(40).collect();
                return Err(format!("unknown field `{shown}`"));
            }
            continue;
        };
        check_field(name, field, value)?;
    }
    Ok(())
}

fn required(schema: &Schema) -> impl Iterator<Item = &str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn check_field(name: &str, field: &Value, value: &Value) -> Result<(), String> {
    if let Some(expected) = field.get("type").and_then(Value::as_str) {
        let fits = match expected {
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "object" => value.is_object(),
            "array" => value.is_array(),
            "null" => value.is_null(),
            _ => true,
        };
        if !fits {
            return Err(format!("field `{name}` must be {}", article(expected)));
        }
    }
    Ok(())
}

fn article(json_type: &str) -> String {
    match json_type {
        "integer" | "object" | "array" => format!("an {json_type}"),
        "null" => "null".to_owned(),
        other => format!("a {other}"),
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
                "description": concat!("Reporting window: ", period_text!(meanings), ".")
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

    fn login_schema() -> Schema {
        object(json!({
            "type": "object",
            "properties": {
                "email": { "type": "string" },
                "password": { "type": "string" }
            },
            "required": ["email", "password"],
            "additionalProperties": false
        }))
    }

    #[test]
    fn a_wrong_type_names_the_field_and_type_but_never_the_value() {
        let schema = login_schema();
        let err = check(
            &schema,
            &json!({ "email": "a@b.test", "password": 987654321 }),
        )
        .unwrap_err();
        assert_eq!(err, "field `password` must be a string");
        for secret in [json!({ "pw": "hunter2" }), json!(["hunter2"]), json!(true)] {
            let err =
                check(&schema, &json!({ "email": "a@b.test", "password": secret })).unwrap_err();
            assert!(!err.contains("hunter2") && !err.contains("true"), "{err}");
        }
        assert!(check(&schema, &json!({ "email": "a@b.test", "password": "x" })).is_ok());
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        let schema = login_schema();
        assert_eq!(
            check(&schema, &json!({ "email": "a@b.test" })).unwrap_err(),
            "missing field `password`"
        );
        assert_eq!(
            check(
                &schema,
                &json!({ "email": "e", "password": "p", "extra": 1 })
            )
            .unwrap_err(),
            "unknown field `extra`"
        );
        assert_eq!(
            check(&schema, &json!("hunter2")).unwrap_err(),
            "the arguments must be an object"
        );
        let period = period_input();
        assert!(check(&period, &json!({})).is_ok());
        assert!(check(&period, &json!({ "period": "7d" })).is_ok());
        assert_eq!(
            check(&period, &json!({ "period": 7 })).unwrap_err(),
            "field `period` must be a string"
        );
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
