//! A stored login stays sealed until a request needs it: only a tool call
//! (and a touch that is due) opens the record. Seen through an item whose
//! bytes do not open, left under the session's key with its expiry: what
//! needs nothing of the record is served, a tool call fails with a clear
//! error, and the item is never rewritten.

use std::time::Duration;

use malgomo::clock::Clock;
use malgomo::session::stored;
use malgomo_tests::rpc::{SERVER_ERROR, call_tool, ping, post, request};
use serde_json::json;

use super::*;

const NOT_A_RECORD: &[u8] = b"bytes that are not a sealed record";

#[tokio::test]
async fn only_a_tool_call_opens_the_stored_login() {
    let app = app_with_ttl().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    let raw = mcp.session.as_deref().expect("a session");
    let id = app.app.sessions.verify(raw).expect("an id").id;
    let key = stored::key_of(&id.storage_key());
    let records = app.app.store.records();
    let now = app.clock.now_ms();
    let logged_in = records.get_record(&key, now).await.unwrap().unwrap();
    records
        .put_record(&key, NOT_A_RECORD, logged_in.expires_at_ms)
        .await
        .unwrap();
    let damaged = records.get_record(&key, now).await.unwrap().unwrap();

    let listed = post(&mcp, &request(2, "tools/list", json!({}))).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let tools = listed.result()["tools"].clone();
    assert!(
        tools
            .as_array()
            .is_some_and(|tools| tools.iter().any(|tool| tool["name"] == "malgomo_get_kpis")),
        "{}",
        listed.body
    );
    assert_eq!(ping(&mcp).await.status, 200, "ping needs nothing of it");

    let call = call_tool(&mcp, "malgomo_get_kpis", json!({ "period": "today" })).await;
    assert_eq!(call.status, 200, "{}", call.body);
    assert_eq!(call.error_code(), SERVER_ERROR, "{}", call.body);
    let message = call.json()["error"]["message"].clone();
    assert!(
        message
            .as_str()
            .is_some_and(|m| m.contains("session storage")),
        "{}",
        call.body
    );

    // A touch falls due: it opens the record, which fails quietly; the
    // request is still served and nothing is written over the item.
    let touch_every = app.app.expiry.touch_every;
    app.clock.advance(touch_every + Duration::from_secs(1));
    assert_eq!(
        ping(&mcp).await.status,
        200,
        "served although the touch fails"
    );
    let now = app.clock.now_ms();
    assert_eq!(
        records.get_record(&key, now).await.unwrap(),
        Some(damaged),
        "the item is left as it was"
    );
}
