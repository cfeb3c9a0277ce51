//! What a tool returns, and how it fails.

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::protocol::jsonrpc::RpcError;
use crate::protocol::tool::{CallToolResult, Content, Schema};

/// A tool result: text for every client, plus `structuredContent` for the
/// tools that declare an `outputSchema` (the same JSON as the text, since
/// clients differ in which one they read). The structured JSON is written
/// once; the text is a copy of its bytes.
#[derive(Clone, Debug)]
pub struct ToolOutput {
    pub text: String,
    pub structured: Option<Box<RawValue>>,
    pub is_error: bool,
}

impl PartialEq for ToolOutput {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
            && self.is_error == other.is_error
            && self.structured.as_deref().map(RawValue::get)
                == other.structured.as_deref().map(RawValue::get)
    }
}

impl ToolOutput {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            structured: None,
            is_error: false,
        }
    }

    /// A failure the agent can act on: `isError: true` with what to do.
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            structured: None,
            is_error: true,
        }
    }

    /// `value` as `structuredContent` and, the same bytes, as the text,
    /// written once straight from its type. Answers carry their object keys
    /// sorted, as they always have: every result type declares its fields
    /// in alphabetical order (the tests check every answer's keys).
    pub fn structured(value: &impl Serialize) -> Result<Self, ToolFailure> {
        let structured = serde_json::value::to_raw_value(value)
            .map_err(|err| ToolFailure::Internal(format!("result did not serialise: {err}")))?;
        Ok(Self {
            text: structured.get().to_owned(),
            structured: Some(structured),
            is_error: false,
        })
    }

    pub fn into_result(self) -> CallToolResult {
        CallToolResult {
            content: vec![Content::Text { text: self.text }],
            is_error: self.is_error,
            structured_content: self.structured,
        }
    }
}

/// A failure that is a protocol error rather than a tool result.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ToolFailure {
    /// Arguments of the wrong shape (missing field, wrong type): -32602.
    #[error("{0}")]
    BadArguments(String),
    /// A bug on our side; logged, answered -32603.
    #[error("{0}")]
    Internal(String),
}

impl From<ToolFailure> for RpcError {
    fn from(failure: ToolFailure) -> Self {
        match failure {
            ToolFailure::BadArguments(detail) => RpcError::invalid_params(detail),
            ToolFailure::Internal(_) => {
                RpcError::new(crate::protocol::jsonrpc::INTERNAL_ERROR, "Internal error")
            }
        }
    }
}

/// Parses a tool's `arguments` into its input type, after checking them
/// against the tool's input `schema`. Neither error quotes a value given
/// (a password of the wrong type would otherwise be echoed and logged):
/// the check names the field and the type it should have, and a value the
/// check let through but the type refuses is reported without detail.
pub fn arguments<T: serde::de::DeserializeOwned>(
    schema: &Schema,
    value: Value,
) -> Result<T, ToolFailure> {
    super::schema::check(schema, &value).map_err(ToolFailure::BadArguments)?;
    serde_json::from_value(value).map_err(|_| {
        ToolFailure::BadArguments("the arguments do not match the tool's input schema".into())
    })
}
