//! A dashboard tool: one backend read for a `period`, shaped into the
//! tool's result. Every dashboard tool is a row of this one type (see
//! [`super::dashboards`]); what differs between them is data — the words,
//! the answer type (which names its endpoint) and the shaping.

use std::sync::LazyLock;

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::output::arguments;
use super::schema::{output_schema, period_input};
use super::{Context, Docs, Tool, ToolFailure, ToolOutput};
use super::{access, annotations};
use crate::domain::Period;
use crate::protocol::tool::{self, Schema, ToolMeta};
use crate::resources;
use crate::upstream::dashboard::Endpoint;
use crate::upstream::parse_answer;

/// A read-only dashboard tool over the backend answer `A`, answering `O`.
pub struct Dashboard<A, O = A> {
    pub name: &'static str,
    /// The `tools/list` title (and the annotations' title).
    pub title: &'static str,
    /// The `tools/list` description, for agents.
    pub description: &'static str,
    /// What it reads, as the server's instructions name it.
    pub reads: &'static str,
    /// The docs page's words.
    pub docs: Docs,
    /// What the tool makes of the backend's answer; most return it as is.
    pub shape: fn(A) -> O,
}

/// The input schema of every dashboard tool, built once: each call checks
/// its arguments against it.
static PERIOD_INPUT: LazyLock<Schema> = LazyLock::new(period_input);

#[derive(Deserialize)]
struct Input {
    #[serde(default)]
    period: Option<String>,
}

#[async_trait]
impl<A, O> Tool for Dashboard<A, O>
where
    A: Endpoint,
    O: Serialize + JsonSchema + 'static,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn docs(&self) -> Docs {
        self.docs
    }

    fn reads(&self) -> Option<&'static str> {
        Some(self.reads)
    }

    /// Its `_meta` names the dashboard view that MCP Apps hosts render its
    /// results with.
    fn definition(&self) -> tool::Tool {
        tool::Tool {
            name: self.name,
            title: self.title,
            description: self.description,
            input_schema: PERIOD_INPUT.clone(),
            output_schema: Some(output_schema::<O>()),
            annotations: annotations::upstream_read(self.title),
            meta: Some(ToolMeta::rendered_by(resources::DASHBOARD.listing.uri)),
        }
    }

    /// Parse `period`, read from the backend as the caller, shape the answer.
    async fn call(&self, cx: &mut Context<'_>, args: Value) -> Result<ToolOutput, ToolFailure> {
        let period = match period(args)? {
            Ok(period) => period,
            Err(refused) => return Ok(refused),
        };
        let read = |api: crate::upstream::ApiClient, token| async move {
            api.dashboard::<A>(&token, period).await
        };
        match access::read(cx, read).await {
            Ok(answer) => ToolOutput::structured(&(self.shape)(answer)),
            Err(refused) => Ok(refused),
        }
    }

    /// The contract parse (a body that does not match is a tool error),
    /// then the tool's shape.
    fn project(&self, body: &[u8]) -> Option<Result<ToolOutput, ToolFailure>> {
        Some(match parse_answer::<A>(body) {
            Ok(answer) => ToolOutput::structured(&(self.shape)(answer)),
            Err(err) => Ok(ToolOutput::error(err.to_string())),
        })
    }
}

/// The requested period. A value outside the allowed set is a tool error
/// naming them (the agent can correct itself); a non-string is -32602.
fn period(args: Value) -> Result<Result<Period, ToolOutput>, ToolFailure> {
    let input: Input = arguments(&PERIOD_INPUT, args)?;
    Ok(match input.period.as_deref() {
        None => Ok(Period::default()),
        Some(raw) => Period::parse(raw).map_err(|err| ToolOutput::error(err.to_string())),
    })
}
