//! The app at instance level: two server instances sharing one DynamoDB
//! table (moto on loopback), one upstream simulator and one clock. Sessions
//! move between instances, the hot path stays within its DynamoDB budget
//! (counted on the wire), an expired upstream token is refreshed exactly
//! once however many calls race for it, and a DynamoDB outage gets a
//! defined, retryable answer.
//!
//! One file a subject: sessions moving between instances
//! (`sessions_across.rs`), the hot path's DynamoDB budget
//! (`hot_path_budget.rs`), one refresh however many calls race
//! (`refresh_storms.rs`), a touch during the refresh lease
//! (`refresh_lease.rs`), and DynamoDB down (`dynamodb_down.rs`); the pair of
//! instances and the token helpers they share are here.

mod dynamodb_down;
mod hot_path_budget;
mod refresh_lease;
mod refresh_storms;
mod sessions_across;

use std::sync::Arc;
use std::time::Duration;

use malgomo::clock::Clock;
use malgomo::domain::{Email, Secret};
use malgomo::session::{SessionId, SessionKey, StoredSessions, Versioned};
use malgomo::store::{DynamoStore, RecordStore};
use malgomo::upstream::TokenSet;
use malgomo_sim::Simulator;
use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::{
    Mcp, Options, TEST_SESSION_KEY, TestApp, accounts, dynamo, spawn_app_with, text,
};
use serde_json::json;
use tokio::sync::Barrier;

const OWNER: &str = "owner@agency-a.test";
const KPIS: &str = "malgomo_get_kpis";

// ------------------------------------------------------------------ helpers

async fn delete(mcp: &Mcp) -> Answer {
    exchange(
        mcp.http
            .delete(&mcp.url)
            .header("mcp-session-id", mcp.session.as_deref().expect("a session")),
    )
    .await
}

fn assert_gone(answer: &Answer, what: &str) {
    assert_eq!(answer.status, 404, "{what}: {}", answer.body);
    assert!(
        answer.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Session not found")),
        "{what}: {}",
        answer.body
    );
}

/// The same client (same session, same headers) talking to another instance.
fn via(mcp: &Mcp, instance: &TestApp) -> Mcp {
    let mut other = mcp.clone();
    other.url = instance.mcp_url();
    other
}

fn session_id(mcp: &Mcp) -> SessionId {
    let key = SessionKey::from_secret(&Secret::new(TEST_SESSION_KEY));
    key.verify(mcp.session.as_deref().expect("a session id"))
        .expect("a valid session id")
        .id
}

/// Two instances on one fresh table, one simulator, one clock.
struct Pair {
    a: TestApp,
    b: TestApp,
    /// Counts every DynamoDB operation both instances send.
    counter: dynamo::Counter,
    /// The same table through an uncounted client, for the test's own reads.
    observer: StoredSessions,
}

impl Pair {
    /// The session's live record as the table holds it at `now_ms`.
    async fn live(&self, id: &SessionId, now_ms: i64) -> Versioned {
        let lookup = self
            .observer
            .get(id, now_ms)
            .await
            .expect("the table reads");
        lookup.live().expect("the session")
    }
}

/// Two instances on `store`, started with `env`, sharing one simulator
/// and one clock.
async fn two_on(
    store: Arc<dyn RecordStore>,
    env: Vec<(&'static str, String)>,
) -> (TestApp, TestApp) {
    let sim = Arc::new(Simulator::start(0).await.expect("simulator starts"));
    let clock = malgomo::clock::ManualClock::new();
    let options = || Options {
        env: env.clone(),
        sim: Some(sim.clone()),
        store: Some(store.clone()),
        clock: Some(clock.clone()),
        ..Options::default()
    };
    (
        spawn_app_with(options()).await,
        spawn_app_with(options()).await,
    )
}

async fn two_instances(env: Vec<(&'static str, String)>) -> Pair {
    let counter = dynamo::Counter::default();
    let store = dynamo::fresh_store(Some(counter.clone())).await;
    let observer = StoredSessions::new(Arc::new(DynamoStore::new(
        dynamo::client(None).await,
        store.table(),
    )));
    let (a, b) = two_on(Arc::new(store), env).await;
    counter.reset();
    Pair {
        a,
        b,
        counter,
        observer,
    }
}

// -------------------------------------- an expired upstream token, refreshed

/// Replaces the session's upstream token set with a genuinely expired one:
/// a fresh password grant minted with lifetime 0, so the simulator refuses
/// the access token too and only its (single-use) refresh token helps.
///
/// (Setting lifetime 0 before `malgomo_login` cannot work: the login probes
/// `/api/me` with the born-expired token and fails.)
async fn expire_upstream_token(app: &TestApp, mcp: &Mcp) -> TokenSet {
    let account = accounts::find(OWNER).expect("demo account");
    app.sim.set_token_lifetime(Duration::ZERO);
    let grant = app
        .app
        .upstream
        .auth
        .password_grant(
            &Email::parse(account.email).expect("email"),
            &Secret::new(account.password),
        )
        .await
        .expect("password grant");
    app.sim.set_token_lifetime(Duration::from_secs(3600));
    let id = session_id(mcp);
    let store = &app.app.store;
    let current = store
        .get(&id, app.clock.now_ms())
        .await
        .unwrap()
        .live()
        .expect("the session");
    let mut record = current.record.clone();
    record.login.as_mut().expect("logged in").tokens = grant.tokens.clone();
    store
        .update(&id, &record, current.version)
        .await
        .expect("stale tokens stored");
    assert!(
        grant.tokens.is_expired_at(app.clock.now_secs()),
        "the stored access token is expired as the app sees it"
    );
    grant.tokens
}

/// `per_instance` concurrent `tools/call` through each instance, released
/// together by a barrier; every call must succeed.
async fn storm(instances: &[&TestApp], mcp: &Mcp, per_instance: usize) {
    let total = instances.len() * per_instance;
    let barrier = Arc::new(Barrier::new(total));
    let mut handles = Vec::new();
    for (index, instance) in instances.iter().enumerate() {
        for n in 0..per_instance {
            let (client, barrier) = (via(mcp, instance), barrier.clone());
            handles.push(tokio::spawn(async move {
                barrier.wait().await;
                (index, n, client.call_tool(KPIS, json!({})).await)
            }));
        }
    }
    for handle in handles {
        let (index, n, result) = handle.await.expect("call task finishes");
        assert_eq!(
            result["isError"],
            false,
            "call {n} via instance {index} failed: {}",
            text(&result)
        );
    }
}

async fn assert_one_refresh_and_settled(app: &TestApp, mcp: &Mcp, stale: &TokenSet) {
    let counters = app.sim.counters();
    assert_eq!(
        (counters.refreshes, counters.refresh_reuses),
        (1, 0),
        "exactly one upstream refresh, no replay of the spent refresh token: {counters:?}"
    );
    let stored = app
        .app
        .store
        .get(&session_id(mcp), app.clock.now_ms())
        .await
        .unwrap()
        .live()
        .expect("the session survives");
    let login = stored.record.login.expect("still logged in");
    assert_ne!(
        login.tokens.access_token, stale.access_token,
        "the renewed token was saved"
    );
    assert_ne!(login.tokens.refresh_token, stale.refresh_token);
    assert!(!login.tokens.is_expired_at(app.clock.now_secs()));
    assert_eq!(stored.record.refresh_lease_until_ms, None, "lease released");
}
