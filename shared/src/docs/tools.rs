//! The docs page's tool section, generated from the registry: each tool's
//! name and words ([`Docs`]), its parameters from its input schema, and (for
//! a tool with an output schema) its fields from that schema — the page
//! cannot drift from `tools/list`, and a new tool documents itself.

use serde_json::{Map, Value};

use crate::protocol::tool::{Schema, Tool};
use crate::tools::{self, Docs};
use crate::web::html::escape;

/// Every tool's entry, in registry order. Mode B's definitions: the page
/// explains the login tool's arguments (mode A's takes none).
pub fn section() -> String {
    tools::ALL
        .iter()
        .zip(tools::definitions(false))
        .map(|(tool, definition)| entry(&definition, tool.docs()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn entry(definition: &Tool, docs: Docs) -> String {
    let name = escape(definition.name);
    let mut html = format!("<div class=\"tool\" id=\"{name}\">\n<h3><code>{name}</code></h3>\n");
    let rows = parameters(&definition.input_schema);
    if rows.is_empty() {
        html += &format!("<p>{} No arguments.</p>\n", docs.summary);
    } else {
        html += &format!(
            "<p>{}</p>\n<table>\n<thead><tr><th>Param</th><th>Type</th><th>Notes</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n",
            docs.summary
        );
    }
    let returns = match (docs.returns, &definition.output_schema) {
        (Some(returns), _) => returns.to_owned(),
        (None, Some(schema)) => fields(schema),
        (None, None) => String::new(),
    };
    if !returns.is_empty() {
        html += &format!("<p class=\"returns\">Returns: {returns}</p>\n");
    }
    if let Some(note) = docs.note {
        html += &format!("<p>{note}</p>\n");
    }
    html + "</div>\n"
}

/// One table row per property: name, type (", optional" unless required),
/// the schema's description.
fn parameters(schema: &Schema) -> String {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    properties(schema)
        .iter()
        .map(|(name, property)| {
            let kind = property
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("any");
            let optional = if required.contains(&name.as_str()) {
                ""
            } else {
                ", optional"
            };
            let notes = property
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            format!(
                "<tr><td><code>{}</code></td><td>{kind}{optional}</td><td>{}</td></tr>\n",
                escape(name),
                escape(notes)
            )
        })
        .collect()
}

/// The result's fields: `name`, `name {a, b}` for an object, `name[] {a, b}`
/// for a list of objects.
fn fields(schema: &Schema) -> String {
    let listed: Vec<String> = properties(schema)
        .iter()
        .map(|(name, property)| {
            let (list, element) = match property.get("items") {
                Some(items) => ("[]", items),
                None => ("", property),
            };
            let inner: Vec<&str> = element
                .get("properties")
                .and_then(Value::as_object)
                .map(|inner| inner.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let inner = if inner.is_empty() {
                String::new()
            } else {
                format!(" {{{}}}", inner.join(", "))
            };
            format!("<code>{}{list}{}</code>", escape(name), escape(&inner))
        })
        .collect();
    format!("{}.", listed.join(", "))
}

fn properties(schema: &Schema) -> Map<String, Value> {
    match schema.get("properties") {
        Some(Value::Object(properties)) => properties.clone(),
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_of(name: &str) -> String {
        let section = section();
        let start = section
            .find(&format!("<div class=\"tool\" id=\"{name}\">"))
            .unwrap_or_else(|| panic!("no entry for {name}"));
        let end = start + section[start..].find("</div>").unwrap();
        section[start..end].to_owned()
    }

    #[test]
    fn parameters_come_from_the_input_schema() {
        let login = entry_of(tools::LOGIN);
        assert!(login.contains(
            "<tr><td><code>email</code></td><td>string</td><td>Your MalGomo CRM email.</td></tr>"
        ));
        assert!(login.contains("<td><code>password</code></td><td>string</td>"));
        let kpis = entry_of("malgomo_get_kpis");
        assert!(kpis.contains("<td><code>period</code></td><td>string, optional</td>"));
    }

    #[test]
    fn fields_come_from_the_output_schema_or_the_tools_own_words() {
        let kpis = entry_of("malgomo_get_kpis");
        assert!(kpis.contains("<code>hero_net_eur</code>"), "{kpis}");
        assert!(kpis.contains("<code>per_creator[] {"), "{kpis}");
        let earnings = entry_of("malgomo_get_earnings");
        assert!(earnings.contains("<code>transactions_truncated</code>"));
        assert!(earnings.contains("<strong>50 newest</strong>"));
        let status = entry_of(tools::STATUS);
        assert!(status.contains("No arguments.</p>"));
        assert!(status.contains("Returns: <code>logged_in</code>"));
    }
}
