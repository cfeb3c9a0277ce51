//! The DynamoDB store: one table, string partition key `pk`, TTL attribute
//! `ttl` in epoch seconds. DynamoDB deletes expired items lazily (hours to
//! days later), so every read checks the expiry itself. An item is a
//! [`crate::store::Record`]: the caller's (already sealed) bytes in `d`, the
//! version in `v`, the expiry in `exp_ms` and `ttl`. Creates are
//! create-if-absent; updates are conditional on `v`.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::BehaviorVersion;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::types::AttributeValue;

use super::StoreError;

mod connection;
mod records;
mod retries;
mod table;

pub use connection::Connection;

type Item = HashMap<String, AttributeValue>;

/// Every item operation is one small request on one key; DynamoDB answers in
/// milliseconds, so seconds mean it is unreachable or struggling.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// One attempt (one HTTP request) at most this long.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
/// The whole operation, retries and backoff included: the longest a request
/// waits on the store before it answers 503 + `Retry-After` (or a JSON-RPC
/// error). Well inside every function's timeout (10 s for oauth and health).
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(4);
/// Attempts per operation (the first plus two retries), budget permitting.
pub const MAX_ATTEMPTS: u32 = 3;

/// Attribute names, in one place.
mod attr {
    pub const PK: &str = "pk";
    pub const VERSION: &str = "v";
    pub const TTL: &str = "ttl";
    pub const EXPIRES_MS: &str = "exp_ms";
    /// The caller's bytes.
    pub const DATA: &str = "d";
    /// A counter's count.
    pub const COUNT: &str = "n";
}

#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    /// The client for `connection` with this server's time limits: a
    /// DynamoDB fault becomes an error within [`OPERATION_TIMEOUT`], never a
    /// hang. Built without I/O, so a cold start does not wait for it.
    pub fn connect(connection: Connection, table: impl Into<String>) -> Self {
        let mut config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(connection.region)
            .credentials_provider(connection.credentials)
            .http_client(crate::tls::dynamodb_http_client())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                    .operation_timeout(OPERATION_TIMEOUT)
                    .build(),
            )
            // Standard mode: exponential backoff with jitter, and the SDK's
            // retry budget (a token bucket per client), so a DynamoDB outage
            // does not multiply into retry storms.
            .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
            .interceptor(retries::RetryMetric);
        if let Some(endpoint) = connection.endpoint {
            config = config.endpoint_url(endpoint);
        }
        Self::new(Client::from_conf(config.build()), table)
    }

    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// GetItem, strongly consistent: another instance may have written the
    /// item a moment ago.
    async fn read(&self, key: String) -> Result<Option<Item>, StoreError> {
        let answer = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(attr::PK, AttributeValue::S(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(|err| unavailable(&err))?;
        Ok(answer.item)
    }

    /// A PutItem of `item`, to be sent with or without a condition.
    fn put_item(&self, item: Item) -> PutItemFluentBuilder {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
    }

    /// PutItem, unconditional: the item replaces whatever was there.
    async fn put(&self, item: Item) -> Result<(), StoreError> {
        self.put_item(item)
            .send()
            .await
            .map_err(|err| unavailable(&err))?;
        Ok(())
    }

    /// PutItem unless a live item holds the key (absent, or expired and not
    /// yet swept by TTL); `AlreadyExists` otherwise.
    async fn put_if_absent(&self, item: Item, now_ms: i64) -> Result<(), StoreError> {
        let put = self
            .put_item(item)
            .condition_expression("attribute_not_exists(#pk) OR #exp <= :now")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#exp", attr::EXPIRES_MS)
            .expression_attribute_values(":now", number(now_ms))
            .send()
            .await;
        match put {
            Ok(_) => Ok(()),
            Err(err) if is_condition_failure(&err) => Err(StoreError::AlreadyExists),
            Err(err) => Err(unavailable(&err)),
        }
    }

    /// PutItem if the stored version is still `expected`; `Conflict` otherwise.
    async fn put_if_version(&self, item: Item, expected: u64) -> Result<(), StoreError> {
        let put = self
            .put_item(item)
            .condition_expression("#v = :expected")
            .expression_attribute_names("#v", attr::VERSION)
            .expression_attribute_values(":expected", number(expected as i64))
            .send()
            .await;
        match put {
            Ok(_) => Ok(()),
            Err(err) if is_condition_failure(&err) => Err(StoreError::Conflict),
            Err(err) => Err(unavailable(&err)),
        }
    }
}

fn number(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn int(item: &Item, name: &'static str) -> Result<i64, StoreError> {
    match item.get(name) {
        Some(AttributeValue::N(value)) => value.parse().map_err(|_| damaged(name)),
        _ => Err(damaged(name)),
    }
}

fn damaged(what: &str) -> StoreError {
    StoreError::Unavailable(format!("a stored record is damaged ({what})"))
}

fn is_condition_failure<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    err.code() == Some("ConditionalCheckFailedException")
}

fn describe<E: ProvideErrorMetadata + std::fmt::Debug>(err: &SdkError<E, HttpResponse>) -> String {
    match err {
        // An error without a modelled code (an HTML page from a proxy, an
        // unexpected shape) still names its HTTP status.
        SdkError::ServiceError(context) => match (err.code(), err.message()) {
            (Some(code), message) => format!("{code}: {}", message.unwrap_or("no message")),
            (None, _) => format!("unrecognised error answer, HTTP {}", context.raw().status()),
        },
        SdkError::TimeoutError(_) => "timed out".into(),
        SdkError::DispatchFailure(_) => "could not reach DynamoDB".into(),
        other => format!("{other:?}").chars().take(200).collect(),
    }
}

fn unavailable<E: ProvideErrorMetadata + std::fmt::Debug>(
    err: &SdkError<E, HttpResponse>,
) -> StoreError {
    StoreError::Unavailable(describe(err))
}
