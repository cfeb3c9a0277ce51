//! `MAX_SESSIONS`: anonymous sessions are never refused for room, a login
//! beyond the cap ends the user's oldest session, one account leaves room
//! for others.

use std::time::Duration;

use malgomo_tests::rpc::{call_tool, ping};
use malgomo_tests::{Options, TestApp, UNBUDGETED, spawn_app_with, text};
use serde_json::json;

use super::*;

async fn app_with_two_sessions_max() -> TestApp {
    spawn_app_with(Options {
        env: vec![
            ("MAX_SESSIONS", "2".to_owned()),
            ("SESSION_TTL_MS", TTL.as_millis().to_string()),
        ],
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn anonymous_initializes_are_never_refused_for_room() {
    let app = app_with_two_sessions_max().await;
    let first = app.logged_in("owner@agency-a.test").await;
    let mut others = Vec::new();
    for _ in 0..10 {
        let mut mcp = app.client();
        assert_eq!(initialize(&mut mcp).await.status, 200);
        others.push(mcp);
    }
    for mcp in &others {
        assert_eq!(ping(mcp).await.status, 200);
    }
    let kpis = call_tool(&first, "malgomo_get_kpis", json!({}))
        .await
        .result();
    assert_eq!(kpis["isError"], false, "{kpis}");
}

/// `MAX_SESSIONS=20` in memory: one user holds at most 2 of them.
async fn app_with_two_sessions_per_user() -> TestApp {
    spawn_app_with(Options {
        env: vec![("MAX_SESSIONS", "20".to_owned())],
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn a_login_beyond_max_sessions_ends_the_users_oldest_session() {
    let app = app_with_two_sessions_per_user().await;
    let oldest = app.logged_in("owner@agency-a.test").await;
    app.clock.advance(Duration::from_secs(1));
    let middle = app.logged_in("owner@agency-a.test").await;
    app.clock.advance(Duration::from_secs(1));
    let newest = app.logged_in("owner@agency-a.test").await;
    assert_session_gone(&ping(&oldest).await);
    for mcp in [&middle, &newest] {
        let kpis = call_tool(mcp, "malgomo_get_kpis", json!({})).await.result();
        assert_eq!(kpis["isError"], false, "{kpis}");
    }
    // Logging in again on a session already counted ends nobody.
    let again = middle.login("owner@agency-a.test").await;
    assert_eq!(again["isError"], false, "{again}");
    assert_eq!(ping(&newest).await.status, 200);
}

/// The memory store also caps the process: at most MAX_SESSIONS stored
/// (logged-in) sessions, across users; anonymous sessions store nothing.
#[tokio::test]
async fn memory_store_refuses_a_login_beyond_its_cap() {
    let app = app_with_two_sessions_max().await;
    let _a = app.logged_in("owner@agency-a.test").await;
    let _b = app.logged_in("admin@agency-a.test").await;
    let third = app.session().await;
    let asked = app.sim.counters().request_count("password");
    let refused = third.login("owner@agency-b.test").await;
    assert_eq!(refused["isError"], true, "{refused}");
    assert!(
        text(&refused).contains("maximum of 2"),
        "{}",
        text(&refused)
    );
    assert!(text(&refused).contains("not checked"), "{}", text(&refused));
    assert_eq!(
        app.sim.counters().request_count("password"),
        asked,
        "refused before the backend was asked"
    );
    // Idle expiry frees room.
    app.clock.advance(TTL + Duration::from_secs(1));
    let later = app.logged_in("owner@agency-b.test").await;
    assert_eq!(ping(&later).await.status, 200);
}

/// One account cannot fill the memory store: it holds at most a tenth of
/// `MAX_SESSIONS`, its oldest ending as it logs in again.
#[tokio::test]
async fn one_account_logging_in_again_and_again_leaves_room_for_others() {
    let app = spawn_app_with(Options {
        env: vec![
            ("MAX_SESSIONS", "50".to_owned()),
            (UNBUDGETED.0, UNBUDGETED.1.to_owned()),
        ],
        ..Options::default()
    })
    .await;
    let mut member = Vec::new();
    for n in 0..50u8 {
        let mut mcp = app.client_from([127, 0, 0, 10 + n % 4]);
        assert_eq!(initialize(&mut mcp).await.status, 200);
        let result = mcp.login("member@agency-a.test").await;
        assert_eq!(result["isError"], false, "login {n}: {result}");
        member.push(mcp);
    }
    let live = {
        let mut live = 0;
        for mcp in &member {
            if ping(mcp).await.status == 200 {
                live += 1;
            }
        }
        live
    };
    assert_eq!(live, 5, "one account holds a tenth of MAX_SESSIONS");
    let owner = app.logged_in("owner@agency-b.test").await;
    let kpis = call_tool(&owner, "malgomo_get_kpis", json!({}))
        .await
        .result();
    assert_eq!(kpis["isError"], false, "{kpis}");
}
