//! Crash in the middle: two real `malgomo-mcp` processes on one DynamoDB
//! table (moto on loopback). The instance renewing a user's upstream token
//! holds the refresh lease; it is stalled deterministically (the simulator
//! hangs the refresh request) and SIGKILLed while holding it. The other
//! instance takes over once the lease has run out, renews with the refresh
//! token the dead one never got to spend, and the user stays logged in.

use std::sync::Arc;
use std::time::{Duration, Instant};

use malgomo_sim::{Fault, Simulator, Target};
use malgomo_tests::process::{Server, instance_env};
use malgomo_tests::{Mcp, dynamo};
use serde_json::json;

const BINARY: &str = env!("CARGO_BIN_EXE_malgomo-mcp");
const OWNER: &str = "owner@agency-a.test";
/// The renewal lease of `renewal::renew` (20 s).
const LEASE: Duration = Duration::from_secs(20);

fn client(server: &Server) -> Mcp {
    Mcp::at(&server.mcp_url())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_killed_holding_the_refresh_lease_loses_no_login() {
    let table = dynamo::fresh_store(None).await.table().to_owned();
    let sim = Arc::new(Simulator::start(0).await.expect("simulator starts"));
    let env = instance_env(&sim.base_url(), &dynamo::endpoint(), &table);
    let mut a = Server::start(BINARY, &env).await;
    let b = Server::start(BINARY, &env).await;

    // Tokens of 10 s count as expired at once (renewed 10 s early): the
    // first tool call after login renews.
    sim.set_token_lifetime(Duration::from_secs(10));
    let mut on_a = client(&a);
    on_a.initialize("2025-06-18").await;
    let login = on_a.login(OWNER).await;
    assert_eq!(login["isError"], false, "{login}");
    sim.set_token_lifetime(Duration::from_secs(3600));
    sim.reset_counters();

    // A takes the lease and hangs in the upstream refresh.
    sim.inject(Target::Refresh, Fault::Hang, 1);
    let stalled = {
        let on_a = on_a.clone();
        tokio::spawn(async move {
            on_a.rpc(
                "tools/call",
                json!({ "name": "malgomo_get_kpis", "arguments": {} }),
            )
            .await
        })
    };
    let mut waited = 0;
    while sim.counters().request_count("refresh") == 0 {
        assert!(waited < 400, "A never reached the refresh:\n{}", a.output());
        waited += 1;
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let lease_taken = Instant::now();
    a.kill().await;
    // A's caller only sees its connection end; nothing to check there.
    stalled.abort();

    // The same session through B: it waits out A's lease, then renews.
    let mut on_b = on_a.clone();
    on_b.url = b.mcp_url();
    let result = on_b.call_tool("malgomo_get_kpis", json!({})).await;
    assert_eq!(
        result["isError"],
        false,
        "B took over: {result}\n{}",
        b.output()
    );
    assert!(
        lease_taken.elapsed() >= LEASE - Duration::from_secs(1),
        "B renewed only after A's lease ran out ({:?})",
        lease_taken.elapsed()
    );
    let counters = sim.counters();
    assert_eq!(
        (counters.refreshes, counters.refresh_reuses),
        (1, 0),
        "one renewal, by B, with the refresh token A never spent: {counters:?}"
    );
    let status = on_b.call_tool("malgomo_status", json!({})).await;
    assert_eq!(status["structuredContent"]["logged_in"], true, "{status}");
    assert_eq!(status["structuredContent"]["email"], OWNER, "{status}");
}
