//! Tools on the wire: the `tools/list` entry and result, and what
//! `tools/call` returns.

use serde::Serialize;
use serde_json::{Map, Value};

/// A JSON Schema document: always an object (MCP requires `inputSchema` and
/// `outputSchema` to be object schemas), otherwise open-ended.
pub type Schema = Map<String, Value>;

/// One `tools/list` entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tool {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub input_schema: Schema,
    /// Declared by tools that answer `structuredContent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_schema: Option<Schema>,
    pub annotations: ToolAnnotations,
    #[serde(rename = "_meta", skip_serializing_if = "Option::is_none")]
    pub meta: Option<ToolMeta>,
}

/// Hints about a tool's behaviour for the client (never trusted for
/// security). An absent hint means the spec's default, so each is optional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolAnnotations {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only_hint: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destructive_hint: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotent_hint: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_world_hint: Option<bool>,
}

/// A tool's `_meta` under the MCP Apps extension: the view that renders its
/// results, and who may call it. The flat `ui/resourceUri` key is the
/// extension's deprecated spelling, still read by hosts built before the
/// nested one (the official SDK sets both too); `openai/widgetAccessible`
/// is what lets ChatGPT's view call the tool (its Apps SDK default is no).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ToolMeta {
    pub ui: ToolUi,
    #[serde(rename = "ui/resourceUri")]
    pub flat_resource_uri: &'static str,
    #[serde(rename = "openai/widgetAccessible")]
    pub widget_accessible: bool,
}

impl ToolMeta {
    /// Results rendered by the view at `uri`, which may call the tool
    /// again (another period or section) as the model may.
    pub const fn rendered_by(uri: &'static str) -> Self {
        Self {
            ui: ToolUi {
                resource_uri: uri,
                visibility: &[Visibility::Model, Visibility::App],
            },
            flat_resource_uri: uri,
            widget_accessible: true,
        }
    }
}

/// `_meta.ui` of a tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolUi {
    pub resource_uri: &'static str,
    /// Who may call it: the model (listed in `tools/list`), the view
    /// (through the host), or both; stated though both is the default.
    pub visibility: &'static [Visibility],
}

/// A caller the MCP Apps extension names in a tool's `visibility`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Model,
    App,
}

/// The result of `tools/list` (one page: no `nextCursor`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListToolsResult {
    pub tools: Vec<Tool>,
}

/// The result of `tools/call`: text for every client, plus
/// `structuredContent` for tools that declare an `outputSchema`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallToolResult {
    pub content: Vec<Content>,
    pub is_error: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structured_content: Option<Value>,
}

/// A content block; this server only answers text.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Content {
    Text { text: String },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serialises_as_the_spec_shape() {
        let result = CallToolResult {
            content: vec![Content::Text { text: "{}".into() }],
            is_error: false,
            structured_content: Some(json!({})),
        };
        assert_eq!(
            serde_json::to_value(&result).unwrap(),
            json!({ "content": [{ "type": "text", "text": "{}" }], "isError": false, "structuredContent": {} })
        );
    }

    #[test]
    fn a_tool_leaves_out_what_it_does_not_declare() {
        let tool = Tool {
            name: "t",
            title: "T",
            description: "d",
            input_schema: Schema::from_iter([("type".to_owned(), json!("object"))]),
            output_schema: None,
            annotations: ToolAnnotations {
                read_only_hint: Some(true),
                ..ToolAnnotations::default()
            },
            meta: None,
        };
        assert_eq!(
            serde_json::to_value(&tool).unwrap(),
            json!({
                "name": "t", "title": "T", "description": "d",
                "inputSchema": { "type": "object" },
                "annotations": { "readOnlyHint": true }
            })
        );
    }

    #[test]
    fn ui_meta_carries_both_spellings_and_lets_the_view_call() {
        assert_eq!(
            serde_json::to_value(ToolMeta::rendered_by("ui://x/y")).unwrap(),
            json!({
                "ui": { "resourceUri": "ui://x/y", "visibility": ["model", "app"] },
                "ui/resourceUri": "ui://x/y",
                "openai/widgetAccessible": true
            })
        );
    }
}
