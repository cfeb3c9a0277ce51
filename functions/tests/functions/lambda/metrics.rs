//! The metrics: embedded metric format lines in the functions' output.

use malgomo_tests::lambda::{Function, Upstreams};
use serde_json::Value;

use super::edge::login_attempts;
use super::*;

/// With METRICS_NAMESPACE the function prints its metrics as CloudWatch
/// Embedded Metric Format lines (no API call): a sign-in attempt gives a
/// tool call by tool and outcome and an upstream latency; throttled
/// attempts a refusal by limit. Lines are polled for with a deadline (the
/// output is read from the process's pipes in its own time).
#[tokio::test]
async fn metrics_are_embedded_metric_format_lines_in_the_functions_output() {
    let upstreams = Upstreams::start().await;
    let mut env = upstreams.env();
    env.push(("METRICS_NAMESPACE", "MalGomo/tests".to_owned()));
    let function = Function::spawn(LAMBDA_MCP, &env).await;
    let attempts = vec![Vec::new(); 6];
    login_attempts(&function, "203.0.113.20", &attempts).await;
    let wanted = |doc: &Value| -> Option<&'static str> {
        let directive = &doc["_aws"]["CloudWatchMetrics"][0];
        if directive["Namespace"] != "MalGomo/tests" {
            return None;
        }
        if doc["ToolCalls"] == 1 && doc["Tool"] == "malgomo_login" && doc["Outcome"] == "tool_error"
        {
            Some("tool call")
        } else if doc["UpstreamLatency"].is_number() && !doc["Outcome"].is_null() {
            Some("upstream")
        } else if doc["Refusals"] == 1
            && doc["Limit"].as_str().is_some_and(|l| l.starts_with("pw-"))
        {
            Some("refusal")
        } else {
            None
        }
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let found = loop {
        let output = function.output();
        let mut found: Vec<&str> = output
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter_map(|doc| wanted(&doc))
            .collect();
        found.sort_unstable();
        found.dedup();
        if found.len() == 3 || tokio::time::Instant::now() > deadline {
            break found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(
        found,
        ["refusal", "tool call", "upstream"],
        "{}",
        function.output()
    );
}
