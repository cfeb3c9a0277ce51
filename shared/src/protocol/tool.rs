//! Tools on the wire: the `tools/list` entry and result, and what
//! `tools/call` returns.

use serde::Serialize;
use serde_json::value::RawValue;
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
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallToolResult {
    pub content: Vec<Content>,
    pub is_error: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structured_content: Option<Box<RawValue>>,
}

/// A `tools/call` result as the JSON-RPC answer carries it, written in one
/// pass around the parts already serialised: its keys in the order every
/// answer has had (sorted, as a `serde_json::Value` writes them), and in
/// 2026-07-28 the `_meta` and `resultType` that era adds to every result.
pub struct CallToolAnswer<'a> {
    pub result: &'a CallToolResult,
    /// 2026-07-28: the result's `_meta` object (the server's identity), and
    /// `resultType: "complete"`.
    pub stateless_meta: Option<&'a RawValue>,
}

impl Serialize for CallToolAnswer<'_> {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let result = self.result;
        let mut map = out.serialize_map(None)?;
        if let Some(meta) = self.stateless_meta {
            map.serialize_entry("_meta", meta)?;
        }
        map.serialize_entry("content", &SortedContent(&result.content))?;
        map.serialize_entry("isError", &result.is_error)?;
        if self.stateless_meta.is_some() {
            map.serialize_entry("resultType", "complete")?;
        }
        if let Some(structured) = &result.structured_content {
            map.serialize_entry("structuredContent", structured)?;
        }
        map.end()
    }
}

/// Content blocks with their keys sorted (`text` before `type`).
struct SortedContent<'a>(&'a [Content]);

impl Serialize for SortedContent<'_> {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = out.serialize_seq(Some(self.0.len()))?;
        for block in self.0 {
            let Content::Text { text } = block;
            seq.serialize_element(&TextBlock(text))?;
        }
        seq.end()
    }
}

/// One text block, `{"text":…,"type":"text"}`.
struct TextBlock<'a>(&'a str);

impl Serialize for TextBlock<'_> {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = out.serialize_map(Some(2))?;
        map.serialize_entry("text", self.0)?;
        map.serialize_entry("type", "text")?;
        map.end()
    }
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
            structured_content: Some(serde_json::value::to_raw_value(&json!({})).unwrap()),
        };
        assert_eq!(
            serde_json::to_value(&result).unwrap(),
            json!({ "content": [{ "type": "text", "text": "{}" }], "isError": false, "structuredContent": {} })
        );
    }

    /// The answer written around raw parts is byte for byte what a
    /// `Value` of the same result (sorted keys), with the 2026-07-28 parts
    /// added, writes.
    #[test]
    fn the_answer_is_the_sorted_serialisation_of_the_result() {
        let structured = json!({ "b": [1.5, { "z": null, "a": "\u{e9}\"" }], "a": 0 });
        let result = CallToolResult {
            content: vec![Content::Text {
                text: structured.to_string(),
            }],
            is_error: false,
            structured_content: Some(serde_json::value::to_raw_value(&structured).unwrap()),
        };
        let sorted = serde_json::to_value(&result).unwrap().to_string();
        let plain = CallToolAnswer {
            result: &result,
            stateless_meta: None,
        };
        assert_eq!(serde_json::to_string(&plain).unwrap(), sorted);

        let meta = json!({ "x/server": { "name": "s", "icons": [] } });
        let raw_meta = serde_json::value::to_raw_value(&meta).unwrap();
        let mut with_meta = serde_json::to_value(&result).unwrap();
        with_meta["_meta"] = meta;
        with_meta["resultType"] = json!("complete");
        let stateless = CallToolAnswer {
            result: &result,
            stateless_meta: Some(&raw_meta),
        };
        assert_eq!(
            serde_json::to_string(&stateless).unwrap(),
            with_meta.to_string()
        );

        let failed = CallToolResult {
            content: vec![Content::Text { text: "no".into() }],
            is_error: true,
            structured_content: None,
        };
        let answer = CallToolAnswer {
            result: &failed,
            stateless_meta: None,
        };
        assert_eq!(
            serde_json::to_string(&answer).unwrap(),
            serde_json::to_value(&failed).unwrap().to_string()
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
