//! What the three dashboard tools share: the `period` argument and the
//! shape of their definitions.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::output::arguments;
use super::schema::period_input;
use super::{Context, ToolFailure, ToolOutput};
use super::{access, annotations};
use crate::domain::{Period, Secret};
use crate::protocol::tool::{self, Schema, ToolMeta};
use crate::resources;
use crate::upstream::{ApiClient, UpstreamError, parse_answer};

#[derive(Deserialize)]
struct Input {
    #[serde(default)]
    period: Option<String>,
}

/// A dashboard tool's whole cx: parse `period`, read from the backend as
/// the caller, shape the answer into the tool's output.
pub async fn run<T, O, F>(
    cx: &mut Context<'_>,
    args: Value,
    fetch: impl Fn(ApiClient, Secret, Period) -> F,
    shape: impl FnOnce(T) -> O,
) -> Result<ToolOutput, ToolFailure>
where
    O: Serialize,
    F: Future<Output = Result<T, UpstreamError>>,
{
    let period = match period(args)? {
        Ok(period) => period,
        Err(refused) => return Ok(refused),
    };
    match access::read(cx, |api, token| fetch(api, token, period)).await {
        Ok(answer) => ToolOutput::structured(&shape(answer)),
        Err(refused) => Ok(refused),
    }
}

/// What a call makes of a backend answer body: the contract parse (a body
/// that does not match is a tool error), then the tool's shape.
pub fn project<T, O>(body: &[u8], shape: impl FnOnce(T) -> O) -> Result<ToolOutput, ToolFailure>
where
    T: DeserializeOwned,
    O: Serialize,
{
    match parse_answer::<T>(body) {
        Ok(answer) => ToolOutput::structured(&shape(answer)),
        Err(err) => Ok(ToolOutput::error(err.to_string())),
    }
}

/// The requested period. A value outside the allowed set is a tool error
/// naming them (the agent can correct itself); a non-string is -32602.
fn period(args: Value) -> Result<Result<Period, ToolOutput>, ToolFailure> {
    let input: Input = arguments(args)?;
    Ok(match input.period.as_deref() {
        None => Ok(Period::default()),
        Some(raw) => Period::parse(raw).map_err(|err| ToolOutput::error(err.to_string())),
    })
}

/// A read-only data tool's `tools/list` entry; its `_meta` names the
/// dashboard view that MCP Apps hosts render its results with.
pub fn definition(
    name: &'static str,
    title: &'static str,
    description: &'static str,
    output_schema: Schema,
) -> tool::Tool {
    tool::Tool {
        name,
        title,
        description,
        input_schema: period_input(),
        output_schema: Some(output_schema),
        annotations: annotations::upstream_read(title),
        meta: Some(ToolMeta::rendered_by(resources::DASHBOARD.listing.uri)),
    }
}
