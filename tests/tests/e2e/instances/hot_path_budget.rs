//! The hot path's DynamoDB budget, counted on the wire: one read per tool
//! call, a write only when the touch is due, once for a burst.

use std::time::Duration;

use malgomo::clock::Clock;
use malgomo_tests::Mcp;
use serde_json::json;

use super::*;

/// One `tools/call` of the KPIs, and the DynamoDB operations it cost.
async fn counted_call(pair: &Pair, mcp: &Mcp) -> std::collections::BTreeMap<String, u64> {
    pair.counter.reset();
    let result = mcp.call_tool(KPIS, json!({})).await;
    assert_eq!(result["isError"], false, "{result}");
    pair.counter.snapshot()
}

fn ops(list: &[(&str, u64)]) -> std::collections::BTreeMap<String, u64> {
    list.iter().map(|(op, n)| ((*op).to_owned(), *n)).collect()
}

#[tokio::test]
async fn a_tool_call_costs_one_read_and_writes_only_when_the_touch_is_due() {
    let pair = two_instances(vec![]).await;
    let touch_every = pair.a.app.expiry.touch_every;
    let ttl = pair.a.app.expiry.ttl;
    assert!(
        touch_every < ttl,
        "touch interval {touch_every:?} < TTL {ttl:?}"
    );
    let on_a = pair.a.logged_in(OWNER).await;
    let on_b = via(&on_a, &pair.b);
    let logged_in_at = pair.a.clock.now_ms();

    assert_eq!(
        counted_call(&pair, &on_b).await,
        ops(&[("GetItem", 1)]),
        "the first tools/call after login: one read, no write"
    );
    // Calls spread over (almost) the whole touch interval, on both instances.
    let step = touch_every / 5;
    for round in 0..4 {
        pair.a.clock.advance(step);
        let mcp = if round % 2 == 0 { &on_a } else { &on_b };
        assert_eq!(
            counted_call(&pair, mcp).await,
            ops(&[("GetItem", 1)]),
            "call {round} within the touch interval: one read, no write"
        );
    }
    // Now the touch is due (and the session is far from expiring).
    let elapsed = Duration::from_millis((pair.a.clock.now_ms() - logged_in_at) as u64);
    pair.a
        .clock
        .advance(touch_every - elapsed + Duration::from_secs(1));
    let touched_at = pair.a.clock.now_ms();
    assert_eq!(
        counted_call(&pair, &on_b).await,
        ops(&[("GetItem", 1), ("PutItem", 1)]),
        "the call on which the touch is due: one read and exactly one write"
    );
    let stored = pair.live(&session_id(&on_a), touched_at).await;
    assert_eq!(stored.record.touched_at_ms, touched_at, "touched now");
    assert_eq!(
        stored.record.expires_at_ms,
        touched_at + ttl.as_millis() as i64,
        "the expiry slid to now + TTL"
    );
    assert!(stored.record.login.is_some(), "the touch kept the login");
    // The touch resets the interval: back to reads only.
    for mcp in [&on_a, &on_b] {
        pair.a.clock.advance(step);
        assert_eq!(
            counted_call(&pair, mcp).await,
            ops(&[("GetItem", 1)]),
            "after the touch: one read, no write"
        );
    }
}

/// A burst of concurrent calls on an idle session: the touch is due for
/// all of them, but once one has pushed the expiry forward it is no longer
/// due, so the session is written once — not once per call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_when_the_touch_is_due_writes_the_session_once() {
    let pair = two_instances(vec![]).await;
    let on_a = pair.a.logged_in(OWNER).await;
    let id = session_id(&on_a);
    pair.a
        .clock
        .advance(pair.a.app.expiry.touch_every + Duration::from_secs(1));
    let now = pair.a.clock.now_ms();
    let before = pair.live(&id, now).await;
    pair.counter.reset();
    storm(&[&pair.a, &pair.b], &on_a, 5).await;
    let after = pair.live(&id, now).await;
    assert_eq!(
        after.version - before.version,
        1,
        "one touch write for the burst; DynamoDB operations: {:?}",
        pair.counter.snapshot()
    );
    assert_eq!(after.record.touched_at_ms, now, "touched");
}
