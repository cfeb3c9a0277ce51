//! The app's own metrics, in CloudWatch Embedded Metric Format (EMF): one
//! JSON line on stdout per measurement, which CloudWatch Logs turns into a
//! metric as it ingests the function's log — no CloudWatch API call, no
//! client, nothing added to a request's latency. The template's alarms and
//! dashboard read them (namespace `MalGomo/<stack>`, `METRICS_NAMESPACE`).
//!
//! Without `METRICS_NAMESPACE` (local runs, tests) nothing is printed. The
//! lines carry names and outcomes only: never a user, token or session id.

use std::io::Write;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

static NAMESPACE: OnceLock<Option<String>> = OnceLock::new();

/// How a `tools/call` ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToolOutcome {
    /// A result the agent can use.
    Ok,
    /// A result with `isError` (the agent is told what to do).
    ToolError,
    /// A JSON-RPC error.
    Failed,
}

/// How one upstream exchange (MalGomo API, Supabase) ended: `Failed` is a
/// transport failure or a 5xx, what the upstream-failure alarm counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpstreamOutcome {
    Ok,
    Failed,
}

/// One measurement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric<'a> {
    /// `ToolCalls` (count) by `Tool` and `Outcome`.
    ToolCall { tool: &'a str, outcome: ToolOutcome },
    /// `UpstreamLatency` (milliseconds) by `Outcome`; its sample count is
    /// the number of calls.
    Upstream {
        outcome: UpstreamOutcome,
        elapsed: Duration,
    },
    /// `Refusals` (count) by `Limit`, the name of the limit that refused.
    Refusal { limit: &'a str },
    /// `StoreRetries` (count) by `Operation`: a store call the SDK retried.
    StoreRetry { operation: &'a str },
}

/// Sets the namespace from `METRICS_NAMESPACE` once per process; a value
/// CloudWatch would refuse turns the metrics off with a warning.
pub fn configure(namespace: Option<String>) {
    let namespace = namespace
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let valid = namespace.filter(|n| {
        let ok = n.len() <= 255
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-_/#:".contains(c));
        if !ok {
            tracing::warn!("METRICS_NAMESPACE is not a CloudWatch namespace; metrics are off");
        }
        ok
    });
    // A second call (tests) keeps the first setting.
    drop(NAMESPACE.set(valid));
}

/// Prints `metric` as an EMF line when metrics are on. A failed write is
/// dropped: a metric must never fail a request.
pub fn record(metric: Metric<'_>) {
    let Some(Some(namespace)) = NAMESPACE.get() else {
        return;
    };
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let line = emf_line(namespace, metric, now_ms);
    let mut out = std::io::stdout().lock();
    drop(writeln!(out, "{line}"));
}

/// The EMF document of `metric`, taken at `at_ms` (epoch milliseconds).
pub fn emf_line(namespace: &str, metric: Metric<'_>, at_ms: u64) -> String {
    let (name, unit, value, dimensions): (&str, &str, Value, Vec<(&str, &str)>) = match metric {
        Metric::ToolCall { tool, outcome } => (
            "ToolCalls",
            "Count",
            json!(1),
            vec![("Tool", tool), ("Outcome", tool_outcome(outcome))],
        ),
        Metric::Upstream { outcome, elapsed } => (
            "UpstreamLatency",
            "Milliseconds",
            json!(elapsed.as_secs_f64() * 1000.0),
            vec![("Outcome", upstream_outcome(outcome))],
        ),
        Metric::Refusal { limit } => ("Refusals", "Count", json!(1), vec![("Limit", limit)]),
        Metric::StoreRetry { operation } => (
            "StoreRetries",
            "Count",
            json!(1),
            vec![("Operation", operation)],
        ),
    };
    let mut document = Map::new();
    document.insert(
        "_aws".to_owned(),
        json!({
            "Timestamp": at_ms,
            "CloudWatchMetrics": [{
                "Namespace": namespace,
                "Dimensions": [dimensions.iter().map(|(key, _)| *key).collect::<Vec<_>>()],
                "Metrics": [{ "Name": name, "Unit": unit }],
            }],
        }),
    );
    for (key, dimension) in dimensions {
        document.insert(key.to_owned(), json!(dimension));
    }
    document.insert(name.to_owned(), value);
    Value::Object(document).to_string()
}

fn tool_outcome(outcome: ToolOutcome) -> &'static str {
    match outcome {
        ToolOutcome::Ok => "ok",
        ToolOutcome::ToolError => "tool_error",
        ToolOutcome::Failed => "failed",
    }
}

fn upstream_outcome(outcome: UpstreamOutcome) -> &'static str {
    match outcome {
        UpstreamOutcome::Ok => "ok",
        UpstreamOutcome::Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Value {
        serde_json::from_str(line).expect("one JSON document")
    }

    /// The shape CloudWatch requires: `_aws` at the root with a timestamp
    /// and one directive naming the namespace, dimension keys and metric;
    /// every dimension and the metric's value as root members.
    #[test]
    fn a_tool_call_is_an_emf_document_by_tool_and_outcome() {
        let line = emf_line(
            "MalGomo/stack",
            Metric::ToolCall {
                tool: "malgomo_dashboard",
                outcome: ToolOutcome::ToolError,
            },
            1_700_000_000_000,
        );
        assert!(!line.contains('\n'));
        let doc = parse(&line);
        let directive = &doc["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(doc["_aws"]["Timestamp"], 1_700_000_000_000u64);
        assert_eq!(directive["Namespace"], "MalGomo/stack");
        assert_eq!(directive["Dimensions"], json!([["Tool", "Outcome"]]));
        assert_eq!(
            directive["Metrics"],
            json!([{ "Name": "ToolCalls", "Unit": "Count" }])
        );
        assert_eq!(doc["Tool"], "malgomo_dashboard");
        assert_eq!(doc["Outcome"], "tool_error");
        assert_eq!(doc["ToolCalls"], 1);
    }

    #[test]
    fn upstream_latency_refusals_and_retries_carry_their_dimension() {
        let upstream = parse(&emf_line(
            "ns",
            Metric::Upstream {
                outcome: UpstreamOutcome::Failed,
                elapsed: Duration::from_millis(1250),
            },
            1,
        ));
        assert_eq!(upstream["UpstreamLatency"], 1250.0);
        assert_eq!(upstream["Outcome"], "failed");
        assert_eq!(
            upstream["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Unit"],
            "Milliseconds"
        );
        let refusal = parse(&emf_line("ns", Metric::Refusal { limit: "pw-pair" }, 1));
        assert_eq!(refusal["Limit"], "pw-pair");
        assert_eq!(refusal["Refusals"], 1);
        let retry = parse(&emf_line(
            "ns",
            Metric::StoreRetry {
                operation: "GetItem",
            },
            1,
        ));
        assert_eq!(retry["Operation"], "GetItem");
        assert_eq!(
            retry["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
            json!([["Operation"]])
        );
    }
}
