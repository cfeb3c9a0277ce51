//! What `tools/call` returns.

use serde::Serialize;
use serde_json::Value;

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
}
