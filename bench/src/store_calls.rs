//! DynamoDB calls per request: the app over a fresh table on the loopback
//! DynamoDB server, every SDK call counted on the wire (retries included) by
//! the test crate's interceptor, one request at a time.

use std::collections::BTreeMap;
use std::sync::Arc;

use malgomo_tests::dynamo::{self, Counter};
use malgomo_tests::{Options, spawn_app_with};
use serde_json::json;

use crate::EMAIL;

/// Prints one row per request kind: the operations it sent to DynamoDB.
pub async fn report() {
    let counter = Counter::default();
    let store = Arc::new(dynamo::fresh_store(Some(counter.clone())).await);
    let app = spawn_app_with(Options {
        store: Some(store.clone()),
        records: Some(store),
        ..Options::default()
    })
    .await;

    let mut rows: Vec<(&str, BTreeMap<String, u64>)> = Vec::new();
    counter.reset();
    let mut mcp = app.client();
    mcp.initialize("2025-06-18").await;
    rows.push(("initialize + notifications/initialized", counter.snapshot()));

    counter.reset();
    let (status, _) = mcp.rpc("tools/list", json!({})).await;
    assert_eq!(status, 200);
    rows.push(("tools/list", counter.snapshot()));

    counter.reset();
    let result = mcp.login(EMAIL).await;
    assert_eq!(result["isError"], false, "{result}");
    rows.push(("tools/call malgomo_login", counter.snapshot()));

    let kpis = json!({ "period": "today" });
    counter.reset();
    let result = mcp.call_tool("malgomo_get_kpis", kpis.clone()).await;
    assert_eq!(result["isError"], false, "{result}");
    rows.push(("tools/call malgomo_get_kpis (first)", counter.snapshot()));

    counter.reset();
    mcp.call_tool("malgomo_get_kpis", kpis).await;
    rows.push(("tools/call malgomo_get_kpis (next)", counter.snapshot()));

    println!("## DynamoDB calls per request");
    println!();
    println!("| request | calls | operations |");
    println!("|---|---:|---|");
    for (request, operations) in rows {
        let total: u64 = operations.values().sum();
        let named = operations
            .iter()
            .map(|(operation, n)| format!("{operation} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        println!("| {request} | {total} | {named} |");
    }
    println!();
}
