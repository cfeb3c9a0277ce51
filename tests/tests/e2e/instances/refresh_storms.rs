//! Refresh without storms: twenty concurrent calls on an expired upstream
//! token refresh it once, on two instances and on the memory store.

use std::sync::Arc;

use malgomo::store::MemoryStore;
use malgomo_tests::{Options, spawn_app_with};
use serde_json::json;

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_calls_on_two_instances_refresh_once() {
    let pair = two_instances(vec![]).await;
    let on_a = pair.a.logged_in(OWNER).await;
    let stale = expire_upstream_token(&pair.a, &on_a).await;
    pair.a.sim.reset_counters();
    storm(&[&pair.a, &pair.b], &on_a, 10).await;
    assert_one_refresh_and_settled(&pair.a, &on_a, &stale).await;
    // Later calls on either instance use the renewed token.
    for instance in [&pair.a, &pair.b] {
        let result = via(&on_a, instance).call_tool(KPIS, json!({})).await;
        assert_eq!(result["isError"], false, "{result}");
    }
    assert_eq!(pair.a.sim.counters().refreshes, 1, "no further refresh");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_calls_on_the_memory_store_refresh_once() {
    let app = spawn_app_with(Options {
        store: Some(Arc::new(MemoryStore::new(100))),
        ..Options::default()
    })
    .await;
    let mcp = app.logged_in(OWNER).await;
    let stale = expire_upstream_token(&app, &mcp).await;
    app.sim.reset_counters();
    storm(&[&app], &mcp, 20).await;
    assert_one_refresh_and_settled(&app, &mcp, &stale).await;
    let result = mcp.call_tool(KPIS, json!({})).await;
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(app.sim.counters().refreshes, 1, "no further refresh");
}
