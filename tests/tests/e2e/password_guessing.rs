//! Password guessing (issue 9, attacks 1 and 8), replayed and refused: one
//! throttle, in the shared store, guards the login tool and the sign-in
//! page; the simulator's counters show what reached the backend. And the
//! backend's limit on our address (issue 19): sprayed emails from one or
//! ten addresses, on two instances, cannot spend the owner's way in.

use malgomo::limits::password::PER_PAIR;
use malgomo::protocol::jsonrpc::MAX_BATCH;
use std::sync::Arc;

use malgomo::clock::ManualClock;
use malgomo::limits::budget::Budget;
use malgomo::store::MemoryStore;
use malgomo::store::RecordStore;
use malgomo_sim::Simulator;
use malgomo_tests::oauth::{
    OAuthApp, OWNER, OWNER_PASSWORD, REDIRECT, Shared, SignInPage, bind, spawn, spawn_on,
};
use malgomo_tests::rpc::tool_call;
use malgomo_tests::{
    Mcp, Options, TestApp, dynamo, http_from, request, spawn_app, spawn_app_with, text,
};
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

// ------------------------------------------- the backend's limit on our address

/// The auth simulator's password grants per minute per caller (GoTrue: 60),
/// made small so that the attack below would trip it without the budget.
const BACKEND_LIMIT: u32 = 6;
/// The deployment's budget: half of it.
const BUDGET: &str = "3";

/// Two instances sharing one DynamoDB table (moto) for sessions and limits,
/// one simulator with a small password-grant limit, and one clock.
async fn two_instances_with_a_small_backend_limit() -> (TestApp, TestApp) {
    let store: Arc<dyn RecordStore> = Arc::new(dynamo::fresh_store(None).await);
    let sim = Arc::new(Simulator::start(0).await.expect("simulator starts"));
    sim.set_rate_limit(BACKEND_LIMIT);
    let clock = ManualClock::new();
    let options = || Options {
        env: vec![("SUPABASE_SIGN_INS_PER_MINUTE", BUDGET.to_owned())],
        sim: Some(sim.clone()),
        store: Some(store.clone()),
        records: Some(store.clone()),
        clock: Some(clock.clone()),
        ..Options::default()
    };
    (
        spawn_app_with(options()).await,
        spawn_app_with(options()).await,
    )
}

/// One made-up email's login from `mcp`; true when the budget refused it
/// without asking the backend.
async fn spray(mcp: &Mcp, n: usize) -> bool {
    let email = format!("nobody-{n}@agency-a.test");
    let result = mcp
        .call_tool(
            "malgomo_login",
            json!({ "email": email, "password": "made-up" }),
        )
        .await;
    assert_eq!(result["isError"], true, "{result}");
    let said = text(&result);
    if said.contains("sign-in is busy") {
        assert!(said.contains("try again in"), "{said}");
        assert!(said.contains("not checked"), "{said}");
        return true;
    }
    assert!(said.contains("invalid email or password"), "{said}");
    false
}

/// The owner signed in once from home, before the attack.
async fn owner_signed_in_before(a: &TestApp) {
    let mcp = session_from(a, VICTIM, "2025-06-18").await;
    let result = mcp.login(OWNER).await;
    assert_eq!(result["isError"], false, "{result}");
}

/// What reached the backend stayed within the budget, and the backend never
/// had to refuse our address.
fn assert_within_budget(app: &TestApp) {
    let budget = Budget::parse(BUDGET).unwrap().per_minute();
    assert!(password_requests(app) <= budget, "{:?}", app.sim.counters());
    assert!(budget < u64::from(BACKEND_LIMIT));
}

async fn owner_still_gets_in(b: &TestApp) {
    let mcp = session_from(b, VICTIM, "2025-06-18").await;
    let result = mcp.login(OWNER).await;
    assert_eq!(
        result["isError"], false,
        "the owner's correct password: {result}"
    );
}

#[tokio::test]
async fn one_address_spraying_emails_on_two_instances_cannot_lock_the_owner_out() {
    let (a, b) = two_instances_with_a_small_backend_limit().await;
    owner_signed_in_before(&a).await;
    let attacker = [127, 0, 0, 42];
    let on_a = session_from(&a, attacker, "2025-06-18").await;
    let on_b = session_from(&b, attacker, "2025-06-18").await;
    let mut busy = 0;
    for n in 0..60 {
        let mcp = if n % 2 == 0 { &on_a } else { &on_b };
        if spray(mcp, n).await {
            busy += 1;
        }
    }
    // The open share (2 of 3) went to the owner's first sign-in and one
    // guess; every other guess was answered at once.
    assert_eq!(busy, 59);
    assert_eq!(password_requests(&a), 2);
    owner_still_gets_in(&b).await;
    assert_within_budget(&a);
    assert_eq!(a.sim.counters().logins, 2);
}

#[tokio::test]
async fn ten_addresses_at_full_rate_cannot_lock_the_owner_out() {
    let (a, b) = two_instances_with_a_small_backend_limit().await;
    let (a, b) = (Arc::new(a), Arc::new(b));
    owner_signed_in_before(&a).await;
    let attackers: Vec<_> = (0..10u8)
        .map(|i| {
            let (a, b) = (a.clone(), b.clone());
            tokio::spawn(async move {
                let address = [127, 0, 0, 50 + i];
                let on_a = session_from(&a, address, "2025-06-18").await;
                let on_b = session_from(&b, address, "2025-06-18").await;
                let mut busy = 0;
                for n in 0..20 {
                    let mcp = if n % 2 == 0 { &on_a } else { &on_b };
                    if spray(mcp, usize::from(i) * 100 + n).await {
                        busy += 1;
                    }
                }
                busy
            })
        })
        .collect();
    let mut busy = 0;
    for attacker in attackers {
        busy += attacker.await.expect("the attacker ran");
    }
    // 200 guesses; one reached the backend (the open share's last grant).
    assert_eq!(busy, 199);
    owner_still_gets_in(&b).await;
    assert_within_budget(&a);
}

#[tokio::test]
async fn the_sign_in_page_answers_busy_with_when_to_retry() {
    let (listener, public) = bind().await;
    let app = spawn_on(
        listener,
        &public,
        Shared {
            env: vec![("SUPABASE_SIGN_INS_PER_MINUTE", BUDGET.to_owned())],
            ..Shared::default()
        },
    )
    .await;
    let client = app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    let owner = http_from(VICTIM);
    let first = app.login_via(&owner, &page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let attacker = http_from(ATTACKER);
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    let mut statuses = Vec::new();
    for n in 0..5 {
        let email = format!("nobody-{n}@agency-a.test");
        let answer = app.login_via(&attacker, &page, &email, "made-up").await;
        if answer.status == 429 {
            assert!(answer.body.contains("Sign-in is busy"), "{}", answer.body);
            assert!(answer.header("retry-after").is_some());
        }
        statuses.push(answer.status);
    }
    assert_eq!(statuses, [401, 429, 429, 429, 429]);
    assert_eq!(password_requests_of(&app), 2);
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    let answer = app.login_via(&owner, &page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
}
