//! Attacks on `/mcp` (issue 9, attacks 6 and 7; issue 19), replayed and
//! refused: streams held for free or past their session, and a forged token
//! riding on a real user's `sub`. Status vouching for a forged token is
//! refused in `malgomo_status.rs`.

use malgomo::limits::streams::{PER_ADDRESS, PER_SESSION};
use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::tool_call;
use malgomo_tests::{Mcp, Options, TestApp, request, simulator_jwt, spawn_app, spawn_app_with};
use serde_json::json;

#[tokio::test]
async fn a_junk_bearer_without_a_session_holds_no_stream() {
    let app = spawn_app().await;
    let junk = Mcp {
        bearer: Some("junk".into()),
        ..app.client()
    };
    for _ in 0..50 {
        let answer = exchange(junk.get_stream()).await;
        assert_eq!(answer.status, 405, "{}", answer.body);
    }
    assert_eq!(app.app.streams.open(), 0);
}

#[tokio::test]
async fn streams_are_capped_per_session() {
    let app = spawn_app().await;
    let mcp = app.session().await;
    let mut held = Vec::new();
    for _ in 0..PER_SESSION {
        let response = mcp.get_stream().send().await.expect("server answers");
        assert_eq!(response.status(), 200);
        held.push(response);
    }
    let refused = exchange(mcp.get_stream()).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.header("retry-after").is_some());
    assert_eq!(app.app.streams.open(), PER_SESSION);
    // Another session is not affected.
    let other = app.session().await;
    let response = other.get_stream().send().await.expect("server answers");
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_forged_token_with_the_same_sub_cannot_touch_the_session() {
    let app = spawn_app().await;
    let real = simulator_jwt(&app.sim, "owner@agency-a.test").await;
    let mut owner = Mcp {
        bearer: Some(real.clone()),
        ..app.client()
    };
    owner.initialize("2025-06-18").await;
    let session = owner.session.clone().expect("a session");
    // Same header and claims (so the same `sub`), another signature.
    let (signed, _) = real.rsplit_once('.').expect("a JWT");
    let forger = Mcp {
        bearer: Some(format!("{signed}.Zm9yZ2Vk")),
        session: Some(session.clone()),
        ..app.client()
    };
    let ping = forger.send(&request(1, "ping", json!({}))).await;
    assert_eq!(ping.status(), 404);
    let status = forger
        .send(&tool_call(2, "malgomo_status", json!({})))
        .await;
    assert_eq!(status.status(), 404);
    let deleted = exchange(
        forger
            .http
            .delete(&forger.url)
            .bearer_auth(forger.bearer.as_deref().unwrap())
            .header("mcp-session-id", &session),
    )
    .await;
    assert_eq!(deleted.status, 404, "{}", deleted.body);
    // The owner's session is intact.
    let ping = owner.send(&request(3, "ping", json!({}))).await;
    assert_eq!(ping.status(), 200);
}

// ------------------------------------------------------------ streams (issue 19)

/// Reads a stream until the server ends it; panics past a deadline far
/// longer than any timer set here.
async fn ends(mut response: malgomo_tests::reqwest::Response) {
    let read = async { while let Ok(Some(_)) = response.chunk().await {} };
    tokio::time::timeout(std::time::Duration::from_secs(20), read)
        .await
        .expect("the server ended the stream");
}

async fn app_with(env: &[(&'static str, &str)]) -> TestApp {
    spawn_app_with(Options {
        env: env.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn anonymous_sessions_from_one_address_cannot_take_every_stream() {
    let app = spawn_app().await;
    let crowd = [127, 0, 0, 60];
    let mut held = Vec::new();
    for _ in 0..PER_ADDRESS / PER_SESSION {
        let mut mcp = app.client_from(crowd);
        mcp.initialize("2025-06-18").await;
        for _ in 0..PER_SESSION {
            let response = mcp.get_stream().send().await.expect("server answers");
            assert_eq!(response.status(), 200);
            held.push(response);
        }
    }
    let mut one_more = app.client_from(crowd);
    one_more.initialize("2025-06-18").await;
    let refused = exchange(one_more.get_stream()).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.body.contains("your address"), "{}", refused.body);
    assert_eq!(app.app.streams.open(), PER_ADDRESS);
    // Someone else still gets a stream.
    let mut other = app.client_from([127, 0, 0, 61]);
    other.initialize("2025-06-18").await;
    let response = other.get_stream().send().await.expect("server answers");
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_stream_ends_when_its_session_is_deleted() {
    let app = app_with(&[("SSE_KEEP_ALIVE_MS", "50")]).await;
    let mcp = app.session().await;
    let response = mcp.get_stream().send().await.expect("server answers");
    assert_eq!(response.status(), 200);
    let deleted = exchange(
        mcp.http
            .delete(&mcp.url)
            .header("mcp-session-id", mcp.session.as_deref().unwrap()),
    )
    .await;
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    ends(response).await;
}

#[tokio::test]
async fn a_stream_ends_when_its_session_expires() {
    let app = app_with(&[("SSE_KEEP_ALIVE_MS", "50"), ("SESSION_TTL_MS", "60000")]).await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    let response = mcp.get_stream().send().await.expect("server answers");
    assert_eq!(response.status(), 200);
    app.clock.advance(std::time::Duration::from_secs(61));
    ends(response).await;
}

#[tokio::test]
async fn a_stream_ends_at_its_maximum_age_and_gives_its_slot_back() {
    let app = app_with(&[("SSE_MAX_AGE_MS", "200")]).await;
    let mcp = app.session().await;
    let response = mcp.get_stream().send().await.expect("server answers");
    assert_eq!(response.status(), 200);
    ends(response).await;
    // The client reconnects.
    let again = mcp.get_stream().send().await.expect("server answers");
    assert_eq!(again.status(), 200);
}
