//! Defined behaviour when DynamoDB misbehaves: the app on a DynamoDB store
//! whose SDK client goes through the fault-injecting proxy
//! (`malgomo_tests::fault_proxy`) in front of moto. Each fault either heals
//! within the retry budget (the call succeeds) or gets the defined answer
//! (503 + `Retry-After`, or a tool error saying to try again) within the
//! operation timeout, and no session, grant or token is lost or left half
//! written.

use std::sync::Arc;
use std::time::{Duration, Instant};

use malgomo::clock::Clock;
use malgomo::store::DynamoStore;
use malgomo_tests::answer::Answer;
use malgomo_tests::dynamo::{self, MAX_ATTEMPTS, OPERATION_TIMEOUT};
use malgomo_tests::fault_proxy::{DynamoFault, FaultProxy, Ops};
use malgomo_tests::oauth::{self, Shared};
use malgomo_tests::rpc::{call_tool, initialize_request, post};
use malgomo_tests::{Mcp, Options, TestApp, spawn_app_with, text};
use serde_json::json;

const OWNER: &str = "owner@agency-a.test";
const KPIS: &str = "malgomo_get_kpis";

/// The faults an attempt can suffer, each retryable by the SDK.
const TRANSIENT: [DynamoFault; 4] = [
    DynamoFault::Throttling,
    DynamoFault::ProvisionedThroughputExceeded,
    DynamoFault::InternalServerError,
    DynamoFault::Reset,
];

/// How late a failing call may answer: the operation timeout ends the
/// store call, the rest is local work on loopback.
const DEADLINE: Duration = Duration::from_secs(OPERATION_TIMEOUT.as_secs() + 2);

/// A fresh table behind a fault proxy, and a store over it (sessions and
/// OAuth records) with the resilience settings under test.
async fn faulty_store() -> (FaultProxy, Arc<DynamoStore>) {
    let proxy = FaultProxy::start(&dynamo::endpoint()).await;
    let table = format!("malgomo-faults-{}", dynamo::uuid_like());
    let store = DynamoStore::new(dynamo::resilient_client(proxy.url()).await, table);
    store
        .create_table()
        .await
        .expect("table created through the proxy");
    proxy.reset_stats();
    (proxy, Arc::new(store))
}

async fn faulty_app() -> (FaultProxy, TestApp) {
    let (proxy, store) = faulty_store().await;
    let app = spawn_app_with(Options {
        store: Some(store.clone()),
        records: Some(store),
        ..Options::default()
    })
    .await;
    (proxy, app)
}

/// A tool call that worked: 200 and a result that is not an error.
fn assert_ok(answer: &Answer, what: &str) {
    let result = answer.result();
    assert_eq!(result["isError"], false, "{what}: {result}");
}

/// The session as stored, read straight from the store.
async fn stored(app: &TestApp, mcp: &Mcp) -> Option<malgomo::session::Versioned> {
    let raw = mcp.session.as_deref().expect("a session");
    let id = app.app.sessions.verify(raw).expect("an id").id;
    app.app
        .store
        .get(&id, app.clock.now_ms())
        .await
        .expect("the stored session reads (not damaged)")
        .live()
}

#[tokio::test]
async fn a_transient_fault_heals_within_the_retry_budget() {
    let (proxy, app) = faulty_app().await;
    let mcp = app.logged_in(OWNER).await;
    for fault in TRANSIENT {
        proxy.reset_stats();
        // Every attempt but the last fails.
        proxy.inject(Ops::one("GetItem"), fault, MAX_ATTEMPTS - 1);
        assert_ok(
            &call_tool(&mcp, KPIS, json!({})).await,
            &format!("{fault:?}"),
        );
        let stats = proxy.stats();
        assert_eq!(
            stats.requests_of("GetItem"),
            u64::from(MAX_ATTEMPTS),
            "{fault:?}: one read, retried until it worked: {stats:?}"
        );
        assert_eq!(proxy.pending(), 0);
    }
}

#[tokio::test]
async fn a_fault_that_outlasts_the_budget_gets_a_retryable_503_in_time() {
    let (proxy, app) = faulty_app().await;
    let mcp = app.logged_in(OWNER).await;
    let faults = TRANSIENT
        .into_iter()
        .chain([DynamoFault::Latency(Duration::from_secs(30))]);
    for fault in faults {
        proxy.reset_stats();
        proxy.inject(Ops::one("GetItem"), fault, 1000);
        let started = Instant::now();
        let answer = call_tool(&mcp, KPIS, json!({})).await;
        let took = started.elapsed();
        answer.assert_retryable(json!(2), &format!("{fault:?}"));
        assert!(took < DEADLINE, "{fault:?}: answered after {took:?}");
        let attempts = proxy.stats().requests_of("GetItem");
        assert!(
            (1..=u64::from(MAX_ATTEMPTS)).contains(&attempts),
            "{fault:?}: retries are bounded ({attempts} attempts)"
        );
        proxy.clear();
        // The fault is gone: so is the failure, and the login survived.
        assert_ok(
            &call_tool(&mcp, KPIS, json!({})).await,
            &format!("after {fault:?}"),
        );
    }
}

#[tokio::test]
async fn latency_within_the_operation_timeout_only_slows_the_call() {
    let (proxy, app) = faulty_app().await;
    let mcp = app.logged_in(OWNER).await;
    proxy.inject(
        Ops::one("GetItem"),
        DynamoFault::Latency(Duration::from_millis(300)),
        1,
    );
    assert_ok(&call_tool(&mcp, KPIS, json!({})).await, "a slow read");
    assert_eq!(
        proxy
            .stats()
            .faults_of(DynamoFault::Latency(Duration::ZERO)),
        1
    );
}

/// `initialize` stores nothing, so no DynamoDB fault can touch it: it is
/// answered, and no item exists until the session logs in.
#[tokio::test]
async fn initialize_needs_no_dynamodb_and_leaves_no_half_session() {
    let (proxy, app) = faulty_app().await;
    for fault in [
        DynamoFault::ResetAfterForwarding,
        DynamoFault::InternalServerError,
    ] {
        proxy.reset_stats();
        proxy.inject(Ops::one("PutItem"), fault, MAX_ATTEMPTS);
        let mut mcp = app.client();
        let answer = post(&mcp, &initialize_request("2025-06-18")).await;
        assert_eq!(
            answer.status, 200,
            "initialize under {fault:?}: {}",
            answer.body
        );
        assert!(answer.header("mcp-session-id").is_some(), "an id");
        assert_eq!(
            proxy.stats().requests_of("PutItem"),
            0,
            "{fault:?}: initialize wrote nothing"
        );
        proxy.clear();
        mcp.initialize("2025-06-18").await;
        assert!(
            stored(&app, &mcp).await.is_none(),
            "nothing stored before login"
        );
    }
}

#[tokio::test]
async fn a_login_whose_write_fails_is_all_or_nothing() {
    let (proxy, app) = faulty_app().await;
    for fault in [
        DynamoFault::InternalServerError,
        DynamoFault::ResetAfterForwarding,
    ] {
        let mcp = app.session().await;
        proxy.inject(Ops::one("PutItem"), fault, MAX_ATTEMPTS);
        let (status, body) = mcp
            .rpc(
                "tools/call",
                json!({ "name": "malgomo_login", "arguments": {
                    "email": OWNER, "password": "owner-a-pass" } }),
            )
            .await;
        proxy.clear();
        assert_ne!(status, 500, "{fault:?}: {body}");
        let login_worked = status == 200 && body["result"]["isError"] == false;
        // Either way the session reads whole (or not at all: its first
        // write is the login); a login the client was told failed may have
        // been stored (the write happened, its answer was lost), but never
        // half of one.
        let session = stored(&app, &mcp).await;
        let stored_login = session.is_some_and(|s| s.record.login.is_some());
        if login_worked {
            assert!(stored_login, "{fault:?}: a reported login is stored");
        }
        if status == 200 && body["result"]["isError"] == true {
            let said = text(&body["result"]).to_owned();
            assert!(said.contains("again"), "{fault:?}: says what to do: {said}");
        }
        let status_tool = mcp.call_tool("malgomo_status", json!({})).await;
        assert_eq!(
            status_tool["structuredContent"]["logged_in"].as_bool(),
            Some(stored_login),
            "{fault:?}: status tells what is stored: {status_tool}"
        );
    }
}

#[tokio::test]
async fn a_renewed_token_whose_save_fails_is_recovered_on_the_next_call() {
    let (proxy, app) = faulty_app().await;
    let mcp = app.logged_in_renewing(OWNER).await;
    // The lease write goes through; the save of the renewed pair fails.
    proxy.inject_after(
        Ops::one("PutItem"),
        1,
        DynamoFault::InternalServerError,
        1000,
    );
    let first = call_tool(&mcp, KPIS, json!({})).await;
    proxy.clear();
    assert_ne!(first.status, 500, "{}", first.body);
    // The lease of the failed save runs out; the next call renews again with
    // the spent refresh token, which upstream's reuse window still honours.
    app.clock.advance(Duration::from_secs(30));
    assert_ok(&call_tool(&mcp, KPIS, json!({})).await, "the call after");
    let counters = app.sim.counters();
    assert!(
        counters.refreshes + counters.refresh_reuses >= 1,
        "renewed upstream: {counters:?}"
    );
    let session = stored(&app, &mcp).await.expect("the session");
    assert!(
        session.record.login.is_some(),
        "the user is still logged in"
    );
    assert_eq!(session.record.refresh_lease_until_ms, None, "no lease left");
}

/// The save of a renewed pair fails beyond one operation's retries (the
/// table throttles): the lease holder tries again itself, so the pair is
/// stored, no spent refresh token is ever replayed, and the user stays
/// logged in — in real time, with the lease held, as on a busy deployment.
#[tokio::test]
async fn a_renewed_token_whose_save_is_throttled_is_saved_by_the_lease_holder() {
    let (proxy, app) = faulty_app().await;
    let mcp = app.logged_in_renewing(OWNER).await;
    // The lease write goes through; the first save of the renewed pair is
    // throttled on every attempt the SDK makes.
    proxy.inject_after(
        Ops::one("PutItem"),
        1,
        DynamoFault::Throttling,
        MAX_ATTEMPTS,
    );
    assert_ok(&call_tool(&mcp, KPIS, json!({})).await, "the renewing call");
    assert_eq!(proxy.pending(), 0, "every injected fault was met");
    let counters = app.sim.counters();
    assert_eq!(
        (counters.refreshes, counters.refresh_reuses),
        (1, 0),
        "one refresh, no replay: {counters:?}"
    );
    let session = stored(&app, &mcp).await.expect("the session");
    let login = session.record.login.expect("still logged in");
    assert!(
        !login.tokens.is_expired_at(app.clock.now_secs()),
        "renewed pair stored"
    );
    assert_eq!(session.record.refresh_lease_until_ms, None, "no lease left");
    assert_ok(&call_tool(&mcp, KPIS, json!({})).await, "the call after");
    assert_eq!(app.sim.counters().refreshes, 1, "no second refresh");
}

/// `/token` (refresh grant) failing at each DynamoDB step in turn: whatever
/// the answer, the client keeps a refresh token that works — the new one
/// if it got one, else the old one.
#[tokio::test]
async fn a_token_refresh_failing_at_any_step_keeps_a_working_refresh_token() {
    let (proxy, store) = faulty_store().await;
    let (listener, base) = oauth::bind().await;
    let app = oauth::spawn_on(
        listener,
        &base,
        Shared {
            store: Some(store.clone()),
            records: Some(store),
            ..Shared::default()
        },
    )
    .await;
    // One sign-in; each step continues with the refresh token that works.
    let (client, mut tokens) = app.connect().await;
    for fault in [
        DynamoFault::InternalServerError,
        DynamoFault::ResetAfterForwarding,
    ] {
        let mut reached_the_end = false;
        for step in 0..40 {
            proxy.inject_after(Ops::Any, step, fault, MAX_ATTEMPTS);
            let answer = app.refresh(&client.id, &tokens.refresh).await;
            let untouched = proxy.pending() > 0;
            proxy.clear();
            let keeps = if answer.status == 200 {
                oauth::Tokens::from(&answer).refresh
            } else {
                tokens.refresh.clone()
            };
            let again = app.refresh(&client.id, &keeps).await;
            assert_eq!(
                again.status, 200,
                "{fault:?} at step {step}: /token answered {} {}, and then the refresh token \
                 the client holds was refused: {}",
                answer.status, answer.body, again.body
            );
            tokens = oauth::Tokens::from(&again);
            let works = app.call(&tokens.access, KPIS, json!({})).await;
            assert_eq!(
                (works.status, works.json()["result"]["isError"].as_bool()),
                (200, Some(false)),
                "{fault:?} at step {step}: /token answered {} {}; the access token of the \
                 next refresh does not work: {}",
                answer.status,
                answer.body,
                works.body
            );
            if untouched {
                // The refresh finished before the fault's step.
                reached_the_end = true;
                break;
            }
        }
        assert!(
            reached_the_end,
            "{fault:?}: a refresh takes fewer than 40 steps"
        );
    }
}
