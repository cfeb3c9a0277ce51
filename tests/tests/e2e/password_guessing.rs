//! Password guessing (issue 9, attacks 1 and 8), replayed and refused: one
//! throttle, in the shared store, guards the login tool and the sign-in
//! page; the simulator's counters show what reached the backend.

use malgomo::limits::password::PER_PAIR;
use malgomo::protocol::jsonrpc::MAX_BATCH;
use std::sync::Arc;

use malgomo::clock::ManualClock;
use malgomo::store::MemoryStore;
use malgomo_tests::oauth::{
    OAuthApp, OWNER, OWNER_PASSWORD, REDIRECT, Shared, SignInPage, bind, spawn, spawn_on,
};
use malgomo_tests::rpc::tool_call;
use malgomo_tests::{Mcp, Options, TestApp, http_from, request, spawn_app, spawn_app_with, text};
use serde_json::{Value, json};

/// The attacker's network and the victims' (distinct loopback addresses).
const ATTACKER: [u8; 4] = [127, 0, 0, 2];
const VICTIM: [u8; 4] = [127, 0, 0, 3];
const ADMIN: &str = "admin@agency-a.test";

fn guess(id: i64) -> Value {
    tool_call(
        id,
        "malgomo_login",
        json!({ "email": OWNER, "password": format!("guess-{id}") }),
    )
}

fn password_requests(app: &TestApp) -> u64 {
    app.sim.counters().request_count("password")
}

async fn session_from(app: &TestApp, ip: [u8; 4], version: &str) -> Mcp {
    let mut mcp = app.client_from(ip);
    mcp.initialize(version).await;
    mcp
}

/// The owner and another user, from their own network, still sign in.
async fn victims_still_get_in(app: &TestApp) {
    for email in [OWNER, ADMIN] {
        let mcp = session_from(app, VICTIM, "2025-06-18").await;
        let result = mcp.login(email).await;
        assert_eq!(result["isError"], false, "{email}: {result}");
    }
}

#[tokio::test]
async fn a_batch_of_80_logins_is_one_error_and_reaches_no_backend() {
    let app = spawn_app().await;
    let attacker = session_from(&app, ATTACKER, "2025-03-26").await;
    let batch: Vec<Value> = (0..80).map(guess).collect();
    let answer = attacker.send(&Value::Array(batch)).await;
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.expect("a JSON-RPC error");
    assert_eq!(body["error"]["code"], -32600, "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains(&format!("at most {MAX_BATCH}")), "{body}");

    // Within the size cap, two logins in one batch are refused too.
    let answer = attacker
        .send(&json!([guess(1), guess(2), request(3, "ping", json!({}))]))
        .await;
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.expect("a JSON-RPC error");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("at most one malgomo_login")),
        "{body}"
    );
    assert_eq!(password_requests(&app), 0, "no guess reached the backend");

    // One login per batch, batch after batch: the throttle holds the line.
    let mut refused = 0;
    for id in 0..20 {
        let answer = attacker
            .send(&json!([guess(id), request(100 + id, "ping", json!({}))]))
            .await;
        assert_eq!(answer.status(), 200);
        let replies: Value = answer.json().await.expect("batch replies");
        let login = &replies[0]["result"];
        assert_eq!(login["isError"], true, "{replies}");
        if text(login).contains("too many login attempts") {
            assert!(text(login).contains("try again in"), "{login}");
            refused += 1;
        }
    }
    assert_eq!(refused, 20 - PER_PAIR.max);
    assert_eq!(password_requests(&app), PER_PAIR.max);
    victims_still_get_in(&app).await;
}

#[tokio::test]
async fn eighty_connections_guessing_reach_the_backend_at_most_the_limit() {
    let app = spawn_app().await;
    let mut attackers = Vec::new();
    for _ in 0..80 {
        attackers.push(session_from(&app, ATTACKER, "2025-06-18").await);
    }
    let guesses: Vec<_> = attackers
        .into_iter()
        .enumerate()
        .map(|(n, mcp)| {
            tokio::spawn(async move {
                let password = format!("guess-{n}");
                mcp.call_tool(
                    "malgomo_login",
                    json!({ "email": OWNER, "password": password }),
                )
                .await
            })
        })
        .collect();
    let mut refused = 0;
    for guess in guesses {
        let result = guess.await.expect("the guess ran");
        assert_eq!(result["isError"], true, "{result}");
        if text(&result).contains("too many login attempts") {
            refused += 1;
        }
    }
    assert_eq!(refused, 80 - PER_PAIR.max);
    assert_eq!(password_requests(&app), PER_PAIR.max);
    assert_eq!(app.sim.counters().logins, 0);
    victims_still_get_in(&app).await;
    assert_eq!(password_requests(&app), PER_PAIR.max + 2);
}

#[tokio::test]
async fn the_sign_in_page_shares_the_throttle_and_the_owner_still_signs_in() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let attacker = http_from(ATTACKER);
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    for attempt in 0..10 {
        let answer = app
            .login_via(&attacker, &page, OWNER, "wrong-password")
            .await;
        let expected = if attempt < PER_PAIR.max { 401 } else { 429 };
        assert_eq!(
            answer.status, expected,
            "attempt {attempt}: {}",
            answer.body
        );
    }
    let limited = app.login_via(&attacker, &page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.body.contains("Try again in"), "{}", limited.body);
    assert!(limited.header("retry-after").is_some());
    assert_eq!(password_requests_of(&app), PER_PAIR.max);

    // The owner, from their own network, is not locked out.
    let owner = http_from(VICTIM);
    let answer = app.login_via(&owner, &page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
}

#[tokio::test]
async fn the_login_tool_and_the_sign_in_page_count_the_same_attempts() {
    // A mode-A and a mode-B instance over one record store, as two
    // deployments of one team might share a table.
    let records = Arc::new(MemoryStore::new(100));
    let clock = ManualClock::new();
    let (listener, public) = bind().await;
    let page_app = spawn_on(
        listener,
        &public,
        Shared {
            records: Some(records.clone()),
            clock: Some(clock.clone()),
            ..Shared::default()
        },
    )
    .await;
    let tool_app = spawn_app_with(Options {
        records: Some(records),
        clock: Some(clock),
        ..Options::default()
    })
    .await;
    let client = page_app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&page_app.authorize_with(&client.id, REDIRECT, &[]).await);
    let attacker = http_from(ATTACKER);
    for _ in 0..PER_PAIR.max - 1 {
        let answer = page_app
            .login_via(&attacker, &page, OWNER, "wrong-password")
            .await;
        assert_eq!(answer.status, 401, "{}", answer.body);
    }
    let mcp = session_from(&tool_app, ATTACKER, "2025-06-18").await;
    let last = mcp
        .call_tool("malgomo_login", json!({ "email": OWNER, "password": "x" }))
        .await;
    assert!(!text(&last).contains("too many"), "{last}");
    let refused = mcp
        .call_tool("malgomo_login", json!({ "email": OWNER, "password": "y" }))
        .await;
    assert!(
        text(&refused).contains("too many login attempts"),
        "{refused}"
    );
    let answer = page_app
        .login_via(&attacker, &page, OWNER, OWNER_PASSWORD)
        .await;
    assert_eq!(answer.status, 429, "{}", answer.body);
}

fn password_requests_of(app: &OAuthApp) -> u64 {
    app.sim.counters().request_count("password")
}

#[tokio::test]
async fn the_owner_signing_in_again_and_again_is_never_throttled() {
    let app = spawn_app().await;
    for n in 0..3 * PER_PAIR.max {
        let mcp = session_from(&app, VICTIM, "2025-06-18").await;
        let result = mcp.login(OWNER).await;
        assert_eq!(result["isError"], false, "login {n}: {result}");
    }
}
