//! A DynamoDB wire-protocol server on loopback (moto's server mode) and
//! SDK clients pointed at it, with a request counter for budget tests.
//!
//! `MALGOMO_TEST_DYNAMODB` names a running server (scripts/test starts
//! one); without it the first test that needs one starts a [`Moto`] that
//! lives as long as the test process.
//!
//! [`Moto`]: crate::moto::Moto

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{Credentials, Region};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use malgomo::store::DynamoStore;

static ENDPOINT: OnceLock<String> = OnceLock::new();

/// The endpoint of the loopback DynamoDB server.
pub fn endpoint() -> String {
    ENDPOINT
        .get_or_init(|| match std::env::var("MALGOMO_TEST_DYNAMODB") {
            Ok(url) if !url.is_empty() => url,
            _ => crate::moto::Moto::start().keep(),
        })
        .clone()
}

/// Counts DynamoDB operations as they go on the wire (retries included).
#[derive(Clone, Debug, Default)]
pub struct Counter(Arc<Mutex<BTreeMap<String, u64>>>);

impl Counter {
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0.lock().unwrap().clone()
    }

    pub fn total(&self) -> u64 {
        self.snapshot().values().sum()
    }

    pub fn count(&self, operation: &str) -> u64 {
        self.snapshot().get(operation).copied().unwrap_or(0)
    }

    pub fn reset(&self) {
        self.0.lock().unwrap().clear();
    }
}

impl Intercept for Counter {
    fn name(&self) -> &'static str {
        "RequestCounter"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = context
            .request()
            .headers()
            .get("x-amz-target")
            .and_then(|target| target.rsplit('.').next())
            .unwrap_or("unknown")
            .to_owned();
        *self.0.lock().unwrap().entry(operation).or_default() += 1;
        Ok(())
    }
}

/// An SDK client for the loopback server: fixed region and dummy
/// credentials, so the SDK never looks for the EC2 metadata service.
pub async fn client(counter: Option<Counter>) -> Client {
    client_at(&endpoint(), counter).await
}

/// Like [`client`], for the DynamoDB server at `endpoint`.
pub async fn client_at(endpoint: &str, counter: Option<Counter>) -> Client {
    let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .endpoint_url(endpoint)
        .load()
        .await;
    let mut config = aws_sdk_dynamodb::config::Builder::from(&shared);
    if let Some(counter) = counter {
        config = config.interceptor(counter);
    }
    Client::from_conf(config.build())
}

/// The resilience settings the fault tests hold the store to: a bounded
/// number of attempts with jittered exponential backoff (the SDK's standard
/// strategy), an attempt timeout and an operation timeout that ends the
/// whole call, retries included.
pub const MAX_ATTEMPTS: u32 = 3;
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(1);
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(3);

/// An SDK client for `endpoint` (a fault proxy, usually) with the settings
/// above.
pub async fn resilient_client(endpoint: &str) -> Client {
    let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .endpoint_url(endpoint)
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(1))
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        )
        .retry_config(
            aws_config::retry::RetryConfig::standard()
                .with_max_attempts(MAX_ATTEMPTS)
                .with_initial_backoff(Duration::from_millis(20)),
        )
        .load()
        .await;
    Client::new(&shared)
}

/// A fresh, uniquely named table with TTL on, and a store over it.
pub async fn fresh_store(counter: Option<Counter>) -> DynamoStore {
    let table = format!("malgomo-test-{}", uuid_like());
    let store = DynamoStore::new(client(counter.clone()).await, table);
    store
        .create_table()
        .await
        .expect("table created on the loopback server");
    if let Some(counter) = counter {
        counter.reset();
    }
    store
}

pub fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{}-{}-{}",
        std::process::id(),
        nanos,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
