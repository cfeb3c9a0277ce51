//! What ends a login: only the upstream refusing the session's refresh
//! token. A renewed access token that the backend refuses anyway, an auth
//! service refusing this server's key, an upstream failing for now — each
//! answers a tool error saying to try again, and the user stays logged in.
//! Backend faults come from the simulator's fault API; the store is the
//! in-memory one (DynamoDB faults during a renewal are in `faults.rs`).

use malgomo::clock::Clock;
use malgomo::domain::Secret;
use malgomo_sim::{Fault, Target};
use malgomo_tests::{Mcp, spawn_app, text};
use serde_json::{Value, json};

const OWNER: &str = "owner@agency-a.test";
const KPIS: &str = "malgomo_get_kpis";

async fn logged_in(mcp: &Mcp) -> bool {
    let status = mcp.call_tool("malgomo_status", json!({})).await;
    status["structuredContent"]["logged_in"]
        .as_bool()
        .unwrap_or_else(|| panic!("status says whether logged in: {status}"))
}

/// A tool error that tells the agent to try again and not to log in again.
fn assert_try_again(result: &Value, what: &str) {
    assert_eq!(result["isError"], true, "{what}: {result}");
    let said = text(result);
    assert!(said.contains("try again"), "{what}: {said}");
    assert!(!said.contains("malgomo_login"), "{what}: {said}");
}

#[tokio::test]
async fn a_renewed_token_the_backend_refuses_keeps_the_login() {
    let app = spawn_app().await;
    let mcp = app.logged_in_renewing(OWNER).await;
    // The renewal works; the backend refuses the renewed token all the same
    // (as when it expired while the request queued).
    app.sim.inject(Target::Kpis, Fault::Status(401), 1);
    let refused = mcp.call_tool(KPIS, json!({})).await;
    assert_try_again(&refused, "a refused renewed token");
    assert!(
        text(&refused).contains("still logged in"),
        "{}",
        text(&refused)
    );
    assert_eq!(app.sim.counters().refreshes, 1, "the renewal happened");
    assert!(logged_in(&mcp).await, "the login survives");
    let again = mcp.call_tool(KPIS, json!({})).await;
    assert_eq!(again["isError"], false, "the next call works: {again}");
    assert_eq!(app.sim.counters().refreshes, 1, "with the renewed token");
}

#[tokio::test]
async fn a_refresh_that_fails_for_now_keeps_the_login() {
    let app = spawn_app().await;
    let mcp = app.logged_in_renewing(OWNER).await;
    for fault in [
        // The auth service refusing this server's key, not the user's token.
        Fault::Status(401),
        Fault::Status(500),
        Fault::Status(503),
        Fault::RateLimited {
            retry_after_secs: 1,
        },
        Fault::MalformedJson,
    ] {
        app.sim.inject(Target::Refresh, fault.clone(), 1);
        let failed = mcp.call_tool(KPIS, json!({})).await;
        assert_eq!(failed["isError"], true, "{fault:?}: {failed}");
        assert!(
            !text(&failed).contains("malgomo_login"),
            "{fault:?}: not told to log in again: {}",
            text(&failed)
        );
        assert!(logged_in(&mcp).await, "{fault:?}: the login survives");
    }
    let counters = app.sim.counters();
    assert_eq!(
        (counters.refreshes, counters.refresh_reuses),
        (0, 0),
        "no refresh token was spent: {counters:?}"
    );
    let works = mcp.call_tool(KPIS, json!({})).await;
    assert_eq!(works["isError"], false, "then the renewal works: {works}");
    assert_eq!(app.sim.counters().refreshes, 1);
}

#[tokio::test]
async fn a_refused_refresh_token_ends_the_login() {
    let app = spawn_app().await;
    let mcp = app.logged_in_renewing(OWNER).await;
    // The session's refresh token is one the auth service never issued.
    let id = app
        .app
        .sessions
        .verify(mcp.session.as_deref().expect("a session"))
        .expect("an id")
        .id;
    let store = &app.app.store;
    let current = store
        .get(&id, app.clock.now_ms())
        .await
        .expect("the store reads")
        .live()
        .expect("the session");
    let mut record = current.record.clone();
    record
        .login
        .as_mut()
        .expect("logged in")
        .tokens
        .refresh_token = Some(Secret::new("never-issued"));
    store
        .update(&id, &record, current.version)
        .await
        .expect("stored");

    let refused = mcp.call_tool(KPIS, json!({})).await;
    assert_eq!(refused["isError"], true, "{refused}");
    assert!(
        text(&refused).contains("malgomo_login"),
        "says to log in again: {}",
        text(&refused)
    );
    assert!(!logged_in(&mcp).await, "the login ended");
    let stored = store
        .get(&id, app.clock.now_ms())
        .await
        .expect("the store reads")
        .live()
        .expect("the session stays, without its login");
    assert!(stored.record.login.is_none(), "no dead tokens kept");
    assert_eq!(stored.record.refresh_lease_until_ms, None, "no lease left");
}
