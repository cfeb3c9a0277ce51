//! DynamoDB down: refused connections and a silent endpoint both get a
//! defined, retryable 503 within the operation timeout.

use std::sync::Arc;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::config::{Credentials, Region};
use malgomo::store::{Connection, DynamoStore, RecordStore};
use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::{call_tool, ping};
use malgomo_tests::{Options, request, spawn_app_with};
use serde_json::{Value, json};

use super::*;

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
