//! The app at instance level: two server instances sharing one DynamoDB
//! table (moto on loopback), one upstream simulator and one clock. Sessions
//! move between instances, the hot path stays within its DynamoDB budget
//! (counted on the wire), an expired upstream token is refreshed exactly
//! once however many calls race for it, and a DynamoDB outage gets a
//! defined, retryable answer.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::config::{Credentials, Region};
use malgomo::clock::Clock;
use malgomo::domain::{Email, Secret};
use malgomo::session::{Lookup, SessionId, SessionKey, StoredSessions, stored};
use malgomo::store::{
    Connection, DynamoStore, Entry, MemoryStore, Record, RecordStore, StoreError, Write,
};
use malgomo::upstream::TokenSet;
use malgomo_sim::Simulator;
use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::rpc::{call_tool, ping};
use malgomo_tests::{
    Mcp, Options, TEST_SESSION_KEY, TestApp, accounts, dynamo, request, spawn_app_with, text,
};
use serde_json::{Value, json};
use tokio::sync::{Barrier, oneshot};

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

async fn two_instances(env: Vec<(&'static str, String)>) -> Pair {
    let counter = dynamo::Counter::default();
    let store = dynamo::fresh_store(Some(counter.clone())).await;
    let observer = StoredSessions::new(Arc::new(DynamoStore::new(
        dynamo::client(None).await,
        store.table(),
    )));
    let store: Arc<dyn RecordStore> = Arc::new(store);
    let sim = Arc::new(Simulator::start(0).await.expect("simulator starts"));
    let clock = malgomo::clock::ManualClock::new();
    let options = || Options {
        env: env.clone(),
        sim: Some(sim.clone()),
        store: Some(store.clone()),
        clock: Some(clock.clone()),
        ..Options::default()
    };
    let a = spawn_app_with(options()).await;
    let b = spawn_app_with(options()).await;
    counter.reset();
    Pair {
        a,
        b,
        counter,
        observer,
    }
}

// ------------------------------------------------- sessions across instances

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

// --------------------------------------------------------- hot-path budget

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
    let stored = pair
        .observer
        .get(&session_id(&on_a), touched_at)
        .await
        .unwrap()
        .live()
        .expect("the session");
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
    let before = pair
        .observer
        .get(&id, now)
        .await
        .unwrap()
        .live()
        .expect("session");
    pair.counter.reset();
    storm(&[&pair.a, &pair.b], &on_a, 5).await;
    let after = pair
        .observer
        .get(&id, now)
        .await
        .unwrap()
        .live()
        .expect("session");
    assert_eq!(
        after.version - before.version,
        1,
        "one touch write for the burst; DynamoDB operations: {:?}",
        pair.counter.snapshot()
    );
    assert_eq!(after.record.touched_at_ms, now, "touched");
}

// ------------------------------------------------- refresh without storms

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_calls_on_two_instances_refresh_once() {
    let pair = two_instances(vec![]).await;
    let on_a = pair.a.logged_in(OWNER).await;
    let stale = expire_upstream_token(&pair.a, &on_a).await;
    pair.a.sim.reset_counters();
    storm(&[&pair.a, &pair.b], &on_a, 10).await;
    assert_one_refresh_and_settled(&pair.a, &on_a, &stale).await;
    // Later calls on either instance use the renewed token.
    for instance in [&pair.a, &pair.b] {
        let result = via(&on_a, instance).call_tool(KPIS, json!({})).await;
        assert_eq!(result["isError"], false, "{result}");
    }
    assert_eq!(pair.a.sim.counters().refreshes, 1, "no further refresh");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_calls_on_the_memory_store_refresh_once() {
    let app = spawn_app_with(Options {
        store: Some(Arc::new(MemoryStore::new(100))),
        ..Options::default()
    })
    .await;
    let mcp = app.logged_in(OWNER).await;
    let stale = expire_upstream_token(&app, &mcp).await;
    app.sim.reset_counters();
    storm(&[&app], &mcp, 20).await;
    assert_one_refresh_and_settled(&app, &mcp, &stale).await;
    let result = mcp.call_tool(KPIS, json!({})).await;
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(app.sim.counters().refreshes, 1, "no further refresh");
}

/// A record store that pauses the request taking the refresh lease of one
/// session right after the lease is written, until the test lets it go;
/// everything else passes straight through. The store holds sessions
/// sealed, so the gate opens the watched session's record (it knows the id,
/// as the client does) to see the lease.
#[derive(Debug)]
struct LeaseGate {
    inner: Arc<dyn RecordStore>,
    /// The session whose lease write is held (set once it exists).
    watched: Mutex<Option<SessionId>>,
    #[allow(clippy::type_complexity)]
    gate: Mutex<Option<(oneshot::Sender<()>, oneshot::Receiver<()>)>>,
}

impl LeaseGate {
    /// True when `data`, written under `key`, is the watched session
    /// holding a refresh lease.
    fn is_lease(&self, key: &str, data: &[u8]) -> bool {
        let watched = self.watched.lock().unwrap().clone();
        let Some(id) = watched.filter(|id| key == stored::key_of(&id.storage_key())) else {
            return false;
        };
        let record = Record {
            data: data.to_vec(),
            version: 1,
            expires_at_ms: 0,
        };
        matches!(
            stored::open(&id, &record),
            Ok(Lookup::Live(session)) if session.record.refresh_lease_until_ms.is_some()
        )
    }
}

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl RecordStore for LeaseGate {
    fn get_record<'s, 'k, 'f>(
        &'s self,
        key: &'k str,
        now_ms: i64,
    ) -> Boxed<'f, Result<Option<Record>, StoreError>>
    where
        's: 'f,
        'k: 'f,
        Self: 'f,
    {
        self.inner.get_record(key, now_ms)
    }

    fn write<'s, 'e, 'f>(
        &'s self,
        entry: Entry<'e>,
        write: Write,
    ) -> Boxed<'f, Result<u64, StoreError>>
    where
        's: 'f,
        'e: 'f,
        Self: 'f,
    {
        Box::pin(async move {
            let outcome = self.inner.write(entry, write).await;
            let update = matches!(write, Write::Update { .. });
            if update && outcome.is_ok() && self.is_lease(entry.key, entry.data) {
                let gate = self.gate.lock().unwrap().take();
                if let Some((taken, go)) = gate {
                    let _ = taken.send(());
                    let _ = go.await;
                }
            }
            outcome
        })
    }

    fn delete_record<'s, 'k, 'f>(&'s self, key: &'k str) -> Boxed<'f, Result<(), StoreError>>
    where
        's: 'f,
        'k: 'f,
        Self: 'f,
    {
        self.inner.delete_record(key)
    }

    fn count<'s, 'e, 'f>(
        &'s self,
        counter: Entry<'e>,
        now_ms: i64,
    ) -> Boxed<'f, Result<u64, StoreError>>
    where
        's: 'f,
        'e: 'f,
        Self: 'f,
    {
        self.inner.count(counter, now_ms)
    }
}

/// An idle session (touch due) whose upstream token has expired: a
/// `tools/call` on one instance takes the refresh lease; meanwhile a plain
/// request on the other instance touches the session. The refresh must
/// still land in the session (the single-use refresh token is spent).
#[tokio::test]
async fn a_touch_during_the_refresh_lease_does_not_lose_the_renewed_token() {
    let (taken_tx, taken_rx) = oneshot::channel();
    let (go_tx, go_rx) = oneshot::channel();
    let gate = Arc::new(LeaseGate {
        inner: Arc::new(dynamo::fresh_store(None).await),
        watched: Mutex::new(None),
        gate: Mutex::new(Some((taken_tx, go_rx))),
    });
    let store: Arc<dyn RecordStore> = gate.clone();
    let sim = Arc::new(Simulator::start(0).await.expect("simulator starts"));
    let clock = malgomo::clock::ManualClock::new();
    let options = || Options {
        sim: Some(sim.clone()),
        store: Some(store.clone()),
        clock: Some(clock.clone()),
        ..Options::default()
    };
    let a = spawn_app_with(options()).await;
    let b = spawn_app_with(options()).await;
    let on_a = a.logged_in(OWNER).await;
    *gate.watched.lock().unwrap() = Some(session_id(&on_a));
    let stale = expire_upstream_token(&a, &on_a).await;
    // Idle long enough that the next request touches the session.
    clock.advance(a.app.expiry.touch_every + Duration::from_secs(1));
    sim.reset_counters();

    let refreshing = {
        let on_a = on_a.clone();
        tokio::spawn(async move { on_a.call_tool(KPIS, json!({})).await })
    };
    taken_rx
        .await
        .expect("the tools/call takes the refresh lease");
    // While the lease is held: a ping through B, which touches the session.
    let answer = ping(&via(&on_a, &b)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    go_tx.send(()).expect("the refreshing call waits");
    let result = refreshing.await.expect("the call finishes");
    assert_eq!(
        result["isError"],
        false,
        "the refreshing call succeeds: {}",
        text(&result)
    );
    assert_one_refresh_and_settled(&a, &on_a, &stale).await;
    let again = on_a.call_tool(KPIS, json!({})).await;
    assert_eq!(again["isError"], false, "{again}");
    assert_eq!(sim.counters().refreshes, 1, "no second refresh");
}

// ------------------------------------------------------------ DynamoDB down

/// A store whose DynamoDB endpoint refuses connections (a loopback port
/// nobody listens on); short timeouts and backoff keep the test quick.
async fn unreachable_store() -> Arc<dyn RecordStore> {
    let port = malgomo_tests::free_port();
    let shared = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(1))
                .operation_timeout(Duration::from_secs(5))
                .build(),
        )
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(10)),
        )
        .load()
        .await;
    Arc::new(DynamoStore::new(
        aws_sdk_dynamodb::Client::new(&shared),
        "malgomo-unreachable",
    ))
}

#[tokio::test]
async fn dynamodb_refusing_connections_gives_a_retryable_503() {
    let app = spawn_app_with(Options {
        store: Some(unreachable_store().await),
        ..Options::default()
    })
    .await;
    let client = app.client();
    let initialize = request(
        0,
        "initialize",
        json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": { "name": "malgomo-tests", "version": "0" }
        }),
    );
    // initialize stores nothing, so it does not need the store at all.
    let answer = exchange(client.post().json(&initialize)).await;
    assert_eq!(answer.status, 200, "initialize: {}", answer.body);
    let id = answer
        .headers
        .get("mcp-session-id")
        .and_then(|v| v.to_str().ok())
        .expect("a session id")
        .to_owned();
    // Every request on the session needs a read: a retryable 503.
    let mut on_session = app.client();
    on_session.session = Some(id);
    call_tool(&on_session, KPIS, json!({}))
        .await
        .assert_retryable(json!(2), "tools/call");
    ping(&on_session).await.assert_retryable(json!(1), "ping");
    delete(&on_session)
        .await
        .assert_retryable(Value::Null, "DELETE");
    // The server is still serving: the same answer again, not a reset.
    ping(&on_session)
        .await
        .assert_retryable(json!(1), "ping again");
}

/// A DynamoDB endpoint that accepts connections and never answers (a
/// loopback listener holding every connection open).
fn silent_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let address = listener.local_addr().expect("local addr");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            match stream {
                Ok(stream) => held.push(stream),
                Err(_) => return,
            }
        }
    });
    format!("http://{address}")
}

/// A DynamoDB that hangs: the store's own time limits (the production
/// client configuration) turn it into a retryable 503 within the operation
/// timeout, never a hang.
#[tokio::test]
async fn dynamodb_timeout_gives_a_defined_answer_within_the_operation_timeout() {
    let connection = Connection {
        region: Region::new("us-east-1"),
        credentials: Credentials::new("test", "test", None, None, "tests"),
        endpoint: Some(silent_endpoint()),
    };
    let store = Arc::new(DynamoStore::connect(connection, "malgomo-silent"));
    let app = spawn_app_with(Options {
        store: Some(store.clone()),
        records: Some(store),
        ..Options::default()
    })
    .await;
    let mcp = app.session().await;
    for (what, id) in [("ping", json!(1)), ("tools/call", json!(2))] {
        let started = std::time::Instant::now();
        let answer = match what {
            "ping" => ping(&mcp).await,
            _ => call_tool(&mcp, KPIS, json!({})).await,
        };
        let waited = started.elapsed();
        answer.assert_retryable(id, what);
        assert!(
            waited <= malgomo::store::OPERATION_TIMEOUT + Duration::from_millis(1_500),
            "{what}: answered after {waited:?}, the operation timeout is {:?}",
            malgomo::store::OPERATION_TIMEOUT
        );
    }
}
