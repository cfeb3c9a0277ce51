//! Load across instances: two real `malgomo-mcp` processes on one DynamoDB
//! table, every DynamoDB call through the fault proxy throttling 5 % of
//! them, upstream access tokens that count as expired a second after they
//! are minted (so they expire all through the run), N sessions of M tool
//! calls each — issued in concurrent pairs, one to each instance — some of
//! them logging out at a random point.
//!
//! Holds: 0 lost logins, 0 bare 5xx (a 503 must carry `Retry-After`, and
//! is retried after it), every answer for its own user (status names the
//! session's email; KPIs are its agency's), and exactly one upstream
//! rotation per expiry: every refresh request beyond one rotation per
//! expiry must be explained by a save the client was told failed.
//!
//! `MALGOMO_LOAD_SESSIONS` (default 50, the size `cargo test` runs) and
//! `MALGOMO_LOAD_CALLS` (default 20) set the size; `scripts/load-test` runs
//! the full size (200 × 20, debug build as in CI) and prints throughput
//! and latency.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use malgomo_sim::{Simulator, accounts};
use malgomo_tests::dynamo;
use malgomo_tests::fault_proxy::{DynamoFault, FaultProxy, Ops};
use malgomo_tests::process::{Server, instance_env};
use malgomo_tests::{Mcp, request};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

const BINARY: &str = env!("CARGO_BIN_EXE_malgomo-mcp");
/// Accounts that may read the dashboard, across both agencies.
const USERS: [&str; 3] = [
    "owner@agency-a.test",
    "admin@agency-a.test",
    "owner@agency-b.test",
];
/// Sessions in flight at once.
const IN_FLIGHT: usize = 64;
/// Tries of one request that meets a retryable answer.
const TRIES: usize = 8;

fn size(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one session saw.
#[derive(Default)]
struct Tally {
    calls: u64,
    latencies_ms: Vec<f64>,
    bare_5xx: Vec<String>,
    lost_logins: Vec<String>,
    cross_user: Vec<String>,
    /// Answers that said to try again: storage failed (a renewed token may
    /// not have been saved: its refresh is then replayed), or a renewed
    /// token was refused.
    storage_failures: u64,
    retried_503: u64,
    logged_out: bool,
}

/// One session's client: its own loopback source address (127.1.x.y), so
/// the per-address password throttle sees separate users.
fn session_client(index: usize, url: &str) -> Mcp {
    let address = Ipv4Addr::new(127, 1, (index / 250) as u8, (index % 250 + 1) as u8);
    Mcp {
        http: reqwest::Client::builder()
            .local_address(IpAddr::V4(address))
            .build()
            .expect("an HTTP client"),
        ..Mcp::at(url)
    }
}

/// Sends `body`; a 503 with `Retry-After` is waited out and retried, as a
/// client does. Returns (status, JSON) of the final answer.
async fn send(mcp: &Mcp, body: &Value, tally: &mut Tally) -> (u16, Value, Option<String>) {
    for _ in 0..TRIES {
        let started = Instant::now();
        let response = mcp.post().json(body).send().await.expect("server answers");
        tally
            .latencies_ms
            .push(started.elapsed().as_secs_f64() * 1000.0);
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let session = response
            .headers()
            .get("mcp-session-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let json: Value = response.json().await.unwrap_or(Value::Null);
        if status >= 500 {
            match (status, retry_after) {
                (503, Some(secs)) => {
                    tally.retried_503 += 1;
                    // The server's own back-off instruction, not a sync point.
                    tokio::time::sleep(Duration::from_secs(secs)).await;
                    continue;
                }
                _ => {
                    tally.bare_5xx.push(format!("{status} {json}"));
                    return (status, json, session);
                }
            }
        }
        return (status, json, session);
    }
    (503, Value::Null, None)
}

/// A `tools/call`; a tool error saying to try again (storage failed, a
/// renewed token was refused) is retried.
async fn call(mcp: &Mcp, name: &str, arguments: Value, tally: &mut Tally) -> Option<Value> {
    let body = request(
        2,
        "tools/call",
        json!({ "name": name, "arguments": arguments }),
    );
    for _ in 0..TRIES {
        let (status, json, _) = send(mcp, &body, tally).await;
        if status != 200 {
            return None;
        }
        let result = json["result"].clone();
        let said = result["content"][0]["text"].as_str().unwrap_or_default();
        if result["isError"] == true && said.contains("try again") {
            tally.storage_failures += 1;
            continue;
        }
        tally.calls += 1;
        return Some(result);
    }
    None
}

/// The creators each agency's KPIs name: what "correct for its user" means.
async fn reference_creators(server: &Server) -> Vec<BTreeSet<String>> {
    let mut sets = Vec::new();
    for (index, email) in USERS.iter().enumerate() {
        let mut tally = Tally::default();
        let mut mcp = session_client(10_000 + index, &server.mcp_url());
        mcp.initialize("2025-06-18").await;
        let login = mcp.login(email).await;
        assert_eq!(login["isError"], false, "{login}");
        let kpis = call(&mcp, "malgomo_get_kpis", json!({}), &mut tally)
            .await
            .expect("reference KPIs");
        sets.push(creators(&kpis));
    }
    sets
}

fn creators(kpis: &Value) -> BTreeSet<String> {
    kpis["structuredContent"]["per_creator"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["profile_name"].as_str().map(str::to_owned))
        .collect()
}

async fn one_session(
    index: usize,
    urls: [String; 2],
    calls: usize,
    reference: Arc<Vec<BTreeSet<String>>>,
) -> Tally {
    let mut tally = Tally::default();
    let user = index % USERS.len();
    let email = USERS[user];
    let mut first = session_client(index, &urls[index % 2]);
    let init = request(
        0,
        "initialize",
        json!({ "protocolVersion": "2025-06-18", "capabilities": {},
                "clientInfo": { "name": "load", "version": "0" } }),
    );
    let (status, _, session) = send(&first, &init, &mut tally).await;
    assert_eq!(status, 200, "session {index}: initialize");
    first.session = session;
    first
        .send(&json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }))
        .await;
    let account = accounts::find(email).expect("a demo account");
    let login = call(
        &first,
        "malgomo_login",
        json!({ "email": account.email, "password": account.password }),
        &mut tally,
    )
    .await;
    assert!(
        login.as_ref().is_some_and(|r| r["isError"] == false),
        "session {index}: login {login:?}"
    );
    let mut second = first.clone();
    second.url = urls[(index + 1) % 2].clone();
    // About one session in eight logs out, at a point of its own.
    let logout_at = (index % 8 == 3).then_some((index / 8) % (calls / 2).max(1));
    for round in 0..calls / 2 {
        if logout_at == Some(round) {
            let out = call(&first, "malgomo_logout", json!({}), &mut tally).await;
            assert!(out.is_some(), "session {index}: logout");
            tally.logged_out = true;
        }
        let (a, b) = tokio::join!(
            async {
                let mut t = Tally::default();
                let r = call(&first, "malgomo_get_kpis", json!({}), &mut t).await;
                (r, t)
            },
            async {
                let mut t = Tally::default();
                let r = call(&second, "malgomo_status", json!({}), &mut t).await;
                (r, t)
            }
        );
        for (result, sub) in [a, b] {
            merge(&mut tally, sub);
            let Some(result) = result else {
                tally.bare_5xx.push(format!("session {index}: no answer"));
                continue;
            };
            check(index, email, &reference[user], &result, &mut tally);
        }
    }
    tally
}

fn merge(into: &mut Tally, from: Tally) {
    into.calls += from.calls;
    into.latencies_ms.extend(from.latencies_ms);
    into.bare_5xx.extend(from.bare_5xx);
    into.lost_logins.extend(from.lost_logins);
    into.cross_user.extend(from.cross_user);
    into.storage_failures += from.storage_failures;
    into.retried_503 += from.retried_503;
}

/// Checks one tool result against what this session's user must see.
fn check(
    index: usize,
    email: &str,
    creators_of_user: &BTreeSet<String>,
    result: &Value,
    tally: &mut Tally,
) {
    let structured = &result["structuredContent"];
    let said = result["content"][0]["text"].as_str().unwrap_or_default();
    let not_logged_in = said.contains("not logged in") || structured["logged_in"] == false;
    if tally.logged_out {
        if !not_logged_in {
            tally
                .cross_user
                .push(format!("session {index}: data after logout: {result}"));
        }
        return;
    }
    if not_logged_in || result["isError"] == true {
        tally.lost_logins.push(format!("session {index}: {said}"));
        return;
    }
    if structured.get("logged_in").is_some() {
        if structured["email"] != email {
            tally.cross_user.push(format!(
                "session {index} ({email}): status names {}",
                structured["email"]
            ));
        }
    } else if &creators(result) != creators_of_user {
        tally
            .cross_user
            .push(format!("session {index} ({email}): KPIs of another agency"));
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_under_throttling_and_expiring_tokens_lose_nothing() {
    let sessions = size("MALGOMO_LOAD_SESSIONS", 50);
    let calls = size("MALGOMO_LOAD_CALLS", 20).max(2);
    let table = dynamo::fresh_store(None).await.table().to_owned();
    let proxy = FaultProxy::start(&dynamo::endpoint()).await;
    let sim = Arc::new(Simulator::start(0).await.expect("simulator starts"));
    // Logins come from many addresses: the upstream's own throttle keys on
    // the server's address, which they all share.
    sim.set_rate_limit(1_000_000);
    let env = instance_env(&sim.base_url(), proxy.url(), &table);
    let a = Server::start(BINARY, &env).await;
    let b = Server::start(BINARY, &env).await;
    let reference = Arc::new(reference_creators(&a).await);
    assert_ne!(reference[0], reference[2], "the agencies' data differ");

    // From here: tokens count as expired 1 s after minting; 5 % throttling.
    sim.set_token_lifetime(Duration::from_secs(11));
    proxy.set_rate(Ops::Any, DynamoFault::Throttling, 5.0, 0x5EED);
    sim.reset_counters();
    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = Vec::new();
    for index in 0..sessions {
        let urls = [a.mcp_url(), b.mcp_url()];
        let (gate, reference) = (gate.clone(), reference.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.expect("the gate stays open");
            one_session(index, urls, calls, reference).await
        }));
    }
    let mut total = Tally::default();
    for task in tasks {
        let tally = task.await.expect("a session task finishes");
        merge(&mut total, tally);
    }
    let wall = started.elapsed();
    proxy.clear();
    let stats = proxy.stats();
    let counters = sim.counters();
    let mut latencies = total.latencies_ms.clone();
    latencies.sort_by(f64::total_cmp);
    println!(
        "load: {sessions} sessions x {calls} tool calls on 2 instances in {:.1} s: {:.0} tool calls/s, \
         request p50 {:.1} ms, p99 {:.1} ms; DynamoDB: {} requests, {} throttled; \
         503+Retry-After retried {}, try-again tool errors retried {}; upstream: {} refresh requests, \
         {} rotations, {} reuses, {} logins",
        wall.as_secs_f64(),
        total.calls as f64 / wall.as_secs_f64(),
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        stats.requests.values().sum::<u64>(),
        stats.faults_of(DynamoFault::Throttling),
        total.retried_503,
        total.storage_failures,
        counters.request_count("refresh"),
        counters.refreshes,
        counters.refresh_reuses,
        counters.logins,
    );
    assert!(total.bare_5xx.is_empty(), "bare 5xx: {:?}", total.bare_5xx);
    assert!(
        total.lost_logins.is_empty(),
        "lost logins: {:?}",
        total.lost_logins
    );
    assert!(
        total.cross_user.is_empty(),
        "wrong user's data: {:?}",
        total.cross_user
    );
    assert!(
        stats.faults_of(DynamoFault::Throttling) > 0,
        "throttling was injected"
    );
    assert!(counters.refreshes > 0, "tokens expired during the run");
    // Every refresh request rotated the current token (one per expiry), or
    // replayed one whose renewal the client was told was not saved.
    assert_eq!(
        counters.request_count("refresh"),
        counters.refreshes + counters.refresh_reuses,
        "no refresh was refused (a refused one ends a login): {counters:?}"
    );
    assert!(
        counters.refresh_reuses <= total.storage_failures,
        "a second refresh of one expiry without a failed save: {counters:?}, \
         {} storage failures",
        total.storage_failures
    );
}
