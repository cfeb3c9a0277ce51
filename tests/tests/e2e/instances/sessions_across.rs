//! Sessions across instances: a login on one serves tools on the other, a
//! delete on one ends it for both, an expired session is 404 on both.

use std::time::Duration;

use malgomo::clock::Clock;
use malgomo::session::Lookup;
use malgomo_tests::rpc::{call_tool, ping};
use serde_json::json;

use super::*;

#[tokio::test]
async fn login_through_a_then_tools_through_b() {
    let pair = two_instances(vec![]).await;
    let on_a = pair.a.logged_in(OWNER).await;
    let on_b = via(&on_a, &pair.b);
    for name in [KPIS, "malgomo_get_fans", "malgomo_get_earnings"] {
        let result = on_b.call_tool(name, json!({ "period": "7d" })).await;
        assert_eq!(result["isError"], false, "{name} through B: {result}");
        assert!(result["structuredContent"].is_object(), "{name}: {result}");
    }
    let status = on_b.call_tool("malgomo_status", json!({})).await;
    assert_eq!(
        status["structuredContent"]["logged_in"], true,
        "B sees A's login: {status}"
    );
    // And back on A.
    let result = on_a.call_tool(KPIS, json!({})).await;
    assert_eq!(result["isError"], false, "{result}");
    // Logged in once, upstream.
    assert_eq!(pair.a.sim.counters().logins, 1);
}

#[tokio::test]
async fn delete_through_b_ends_the_session_for_a() {
    let pair = two_instances(vec![]).await;
    let on_a = pair.a.logged_in(OWNER).await;
    let on_b = via(&on_a, &pair.b);
    assert_eq!(ping(&on_b).await.status, 200, "B knows the session");
    let ended = delete(&on_b).await;
    assert_eq!(ended.status, 204, "DELETE through B: {}", ended.body);
    assert_gone(&ping(&on_a).await, "ping on A after DELETE on B");
    assert_gone(
        &call_tool(&on_a, KPIS, json!({})).await,
        "tools/call on A after DELETE on B",
    );
    assert_gone(&ping(&on_b).await, "ping on B after DELETE on B");
    assert_gone(&delete(&on_a).await, "a second DELETE, on A");
    assert_eq!(
        pair.observer
            .get(&session_id(&on_a), pair.a.clock.now_ms())
            .await,
        Ok(Lookup::Ended),
        "a tombstone replaced the record in the table"
    );
}

#[tokio::test]
async fn an_expired_session_is_404_on_both_instances() {
    const TTL: Duration = Duration::from_secs(60);
    let pair = two_instances(vec![("SESSION_TTL_MS", TTL.as_millis().to_string())]).await;
    let on_a = pair.a.logged_in(OWNER).await;
    let on_b = via(&on_a, &pair.b);
    let started = pair.a.clock.now_ms();
    assert_eq!(call_tool(&on_b, KPIS, json!({})).await.status, 200);
    pair.a.clock.advance(TTL + Duration::from_secs(1));
    assert_gone(&ping(&on_a).await, "ping on A");
    assert_gone(&ping(&on_b).await, "ping on B");
    assert_gone(&call_tool(&on_a, KPIS, json!({})).await, "tools/call on A");
    assert_gone(&call_tool(&on_b, KPIS, json!({})).await, "tools/call on B");
    assert_gone(&delete(&on_b).await, "DELETE on B");
    // The item is still in the table (DynamoDB sweeps TTL lazily, moto
    // never): the 404 comes from the expiry check on read.
    assert!(
        pair.observer
            .get(&session_id(&on_a), started)
            .await
            .unwrap()
            .live()
            .is_some(),
        "the expired item is still stored"
    );
}
