//! `tools/call`: run one tool. An unknown tool or arguments of the wrong
//! shape are protocol errors; everything the agent can act on is a tool
//! result with `isError`.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::mcp::Call;
use crate::mcp::answer::store_error;
use crate::protocol::jsonrpc::RpcError;
use crate::telemetry::metrics::{self, Metric, ToolOutcome};
use crate::tools::{self, ToolOutput};

#[derive(Deserialize)]
struct Params {
    name: String,
    #[serde(default)]
    arguments: Option<Map<String, Value>>,
}

/// The tool's output; the era's answer is written around it by
/// `finish_tool`, in one pass.
pub async fn result(call: &mut Call<'_>, params: Value) -> Result<ToolOutput, RpcError> {
    let params: Params = serde_json::from_value(params)
        .map_err(|err| RpcError::invalid_params(format!("tools/call: {err}")))?;
    let tool = tools::find(&params.name)
        .ok_or_else(|| RpcError::invalid_params(format!("Unknown tool: {}", params.name)))?;
    let arguments = Value::Object(params.arguments.unwrap_or_default());
    // The session's record is opened for a tool only (it may read or
    // write the login); one that does not open fails this call alone.
    let mut cx = call.tool_context().map_err(|err| store_error(&err))?;
    let outcome = tool.call(&mut cx, arguments).await;
    metrics::record(Metric::ToolCall {
        tool: tool.name(),
        outcome: match &outcome {
            Ok(output) if output.is_error => ToolOutcome::ToolError,
            Ok(_) => ToolOutcome::Ok,
            Err(_) => ToolOutcome::Failed,
        },
    });
    match outcome {
        Ok(output) => {
            tracing::info!(
                tool = tool.name(),
                is_error = output.is_error,
                "tool called"
            );
            Ok(output)
        }
        Err(failure) => {
            tracing::warn!(tool = tool.name(), error = %failure, "tool call failed");
            Err(failure.into())
        }
    }
}
