//! What a connection costs in DynamoDB, on the real store over a DynamoDB
//! wire server (moto) with every operation counted: an anonymous
//! `initialize` writes nothing and reads nothing, so a flood of them from
//! one caller neither grows the table nor locks anyone out; a session costs
//! storage only once it holds a login. The per-request figures asserted
//! here are the ones infra/README.md quotes.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_dynamodb::types::Select;
use malgomo::store::DynamoStore;
use malgomo_tests::{Mcp, Options, TestApp, dynamo, request, spawn_app_with};
use serde_json::json;

const OWNER: &str = "owner@agency-a.test";
const KPIS: &str = "malgomo_get_kpis";
const FLOOD: usize = 2_000;

struct Counted {
    app: TestApp,
    counter: dynamo::Counter,
    table: String,
}

async fn app_on_dynamodb() -> Counted {
    let counter = dynamo::Counter::default();
    let store = Arc::new(dynamo::fresh_store(Some(counter.clone())).await);
    let table = store.table().to_owned();
    let app = spawn_app_with(Options {
        store: Some(store.clone()),
        records: Some(store),
        ..Options::default()
    })
    .await;
    counter.reset();
    Counted {
        app,
        counter,
        table,
    }
}

/// Every item in the table, counted with the test's own (uncounted) client.
async fn item_count(table: &str) -> i32 {
    let client = dynamo::client(None).await;
    let observer = DynamoStore::new(client.clone(), table);
    let mut total = 0;
    let mut start = None;
    loop {
        let page = client
            .scan()
            .table_name(observer.table())
            .select(Select::Count)
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("scan of the test table");
        total += page.count();
        match page.last_evaluated_key {
            Some(key) if !key.is_empty() => start = Some(key),
            _ => return total,
        }
    }
}

fn ops(list: &[(&str, u64)]) -> BTreeMap<String, u64> {
    list.iter().map(|(op, n)| ((*op).to_owned(), *n)).collect()
}

/// 2,000 `initialize` requests without credentials from one address, then a
/// new client: it initializes, logs in and reads the KPIs. The flood cost
/// no DynamoDB request at all and left the table as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_flood_stores_nothing_and_locks_nobody_out() {
    let counted = app_on_dynamodb().await;
    let app = &counted.app;
    let before = item_count(&counted.table).await;

    let flooder = app.client();
    let mut answered = 0;
    for chunk in 0..FLOOD / 50 {
        let mut batch = Vec::new();
        for i in 0..50 {
            let mcp = flooder.clone();
            batch.push(tokio::spawn(async move {
                let body = request(
                    (chunk * 50 + i) as i64,
                    "initialize",
                    json!({
                        "protocolVersion": "2025-06-18",
                        "capabilities": {},
                        "clientInfo": { "name": "flood", "version": "0" }
                    }),
                );
                mcp.send(&body).await.status().as_u16()
            }));
        }
        for task in batch {
            assert_eq!(task.await.expect("task"), 200);
            answered += 1;
        }
    }
    assert_eq!(answered, FLOOD);
    assert_eq!(
        counted.counter.snapshot(),
        BTreeMap::new(),
        "{FLOOD} anonymous initializes sent no DynamoDB request"
    );
    assert_eq!(
        item_count(&counted.table).await,
        before,
        "the table holds as many items as before the flood"
    );

    let mut newcomer = app.client();
    newcomer.initialize("2025-06-18").await;
    let login = newcomer.login(OWNER).await;
    assert_eq!(login["isError"], false, "{login}");
    let kpis = newcomer.call_tool(KPIS, json!({})).await;
    assert_eq!(kpis["isError"], false, "{kpis}");
    // The login stored its session and the user's session index (and the
    // password throttle's counters).
    assert!(item_count(&counted.table).await >= before + 2);
}

/// The DynamoDB requests of each step of a session's life (infra/README.md).
#[tokio::test]
async fn dynamodb_requests_per_step_of_a_session() {
    let counted = app_on_dynamodb().await;
    let app = &counted.app;
    let counter = &counted.counter;
    let step = |name: &str| {
        let seen = counter.snapshot();
        counter.reset();
        println!("measured DynamoDB requests, {name}: {seen:?}");
        seen
    };

    let mut mcp: Mcp = app.client();
    mcp.initialize("2025-06-18").await;
    // initialize + notifications/initialized (the latter reads the id's item).
    assert_eq!(
        step("initialize + initialized"),
        ops(&[("GetItem", 1)]),
        "initialize costs nothing; the initialized notification one read"
    );
    let (status, _) = mcp.rpc("tools/list", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(step("tools/list"), ops(&[("GetItem", 1)]));
    let login = mcp.login(OWNER).await;
    assert_eq!(login["isError"], false, "{login}");
    // The session read, the user's index read and written, the session's
    // first write — plus the password throttle's counters (their first use
    // in a window creates them: UpdateItem refused, then PutItem).
    let login = step("malgomo_login");
    assert!(login["GetItem"] >= 2 && login["PutItem"] >= 2, "{login:?}");
    let kpis = mcp.call_tool(KPIS, json!({})).await;
    assert_eq!(kpis["isError"], false, "{kpis}");
    assert_eq!(
        step("tools/call (logged in)"),
        ops(&[("GetItem", 1)]),
        "a tool call: one read"
    );
    let ended = mcp
        .http
        .delete(app.mcp_url())
        .header("mcp-session-id", mcp.session.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 204);
    assert_eq!(
        step("DELETE"),
        ops(&[("GetItem", 1), ("PutItem", 1)]),
        "DELETE: the read, then the tombstone"
    );
}
