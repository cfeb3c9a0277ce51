//! The DynamoDB store: one table, string partition key `pk`, TTL attribute
//! `ttl` in epoch seconds. DynamoDB deletes expired items lazily (hours to
//! days later), so every read checks the expiry itself. Keys are SHA-256
//! hashes of the session id; the login is sealed with a key derived from
//! the id. Creates are create-if-absent; updates are conditional on `v`.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::records::{Record, RecordStore};
use super::{SessionStore, StoreError, Versioned, seal};
use crate::mcp::ProtocolVersion;
use crate::session::{Login, SessionId, SessionRecord};

type Item = HashMap<String, AttributeValue>;

/// Attribute names, in one place.
mod attr {
    pub const PK: &str = "pk";
    pub const KIND: &str = "kind";
    pub const VERSION: &str = "v";
    pub const TTL: &str = "ttl";
    pub const EXPIRES_MS: &str = "exp_ms";
    pub const TOUCHED_MS: &str = "touched_ms";
    pub const PROTOCOL: &str = "pv";
    pub const OWNER: &str = "owner";
    pub const LOGIN: &str = "login";
    pub const LEASE_MS: &str = "lease_ms";
}

#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    /// Uses the SDK's standard configuration chain (region, credentials,
    /// `AWS_ENDPOINT_URL_DYNAMODB`). Build once per process.
    pub async fn from_env(table: impl Into<String>) -> Self {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        Self::new(Client::new(&config), table)
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

    fn key(id: &SessionId) -> String {
        format!("session#{}", id.storage_key())
    }

    fn to_item(id: &SessionId, record: &SessionRecord, version: u64) -> Item {
        let key = Self::key(id);
        let mut item = Item::new();
        if let Some(login) = &record.login {
            // Serialising our own plain structs cannot fail.
            let plain = serde_json::to_vec(login).expect("a login serialises");
            let sealed = seal::seal(id, key.as_bytes(), &plain);
            item.insert(attr::LOGIN.into(), AttributeValue::B(Blob::new(sealed)));
        }
        item.insert(attr::PK.into(), AttributeValue::S(key));
        item.insert(attr::KIND.into(), AttributeValue::S("session".into()));
        item.insert(attr::VERSION.into(), number(version as i64));
        // TTL in epoch seconds, rounded up so DynamoDB never deletes early.
        item.insert(
            attr::TTL.into(),
            number((record.expires_at_ms + 999).div_euclid(1000)),
        );
        item.insert(attr::EXPIRES_MS.into(), number(record.expires_at_ms));
        item.insert(attr::TOUCHED_MS.into(), number(record.touched_at_ms));
        item.insert(
            attr::PROTOCOL.into(),
            AttributeValue::S(record.protocol_version.as_str().into()),
        );
        if let Some(owner) = &record.owner {
            item.insert(attr::OWNER.into(), AttributeValue::S(owner.clone()));
        }
        if let Some(lease) = record.refresh_lease_until_ms {
            item.insert(attr::LEASE_MS.into(), number(lease));
        }
        item
    }

    fn from_item(id: &SessionId, item: &Item) -> Result<Versioned, StoreError> {
        let key = Self::key(id);
        let login = match item.get(attr::LOGIN) {
            Some(AttributeValue::B(blob)) => {
                let plain = seal::open(id, key.as_bytes(), blob.as_ref())
                    .ok_or_else(|| damaged("login does not decrypt"))?;
                Some(serde_json::from_slice::<Login>(&plain).map_err(|_| damaged("login"))?)
            }
            _ => None,
        };
        let protocol = string(item, attr::PROTOCOL)
            .and_then(ProtocolVersion::parse)
            .ok_or_else(|| damaged(attr::PROTOCOL))?;
        Ok(Versioned {
            version: int(item, attr::VERSION)? as u64,
            record: SessionRecord {
                protocol_version: protocol,
                owner: string(item, attr::OWNER).map(str::to_owned),
                login,
                expires_at_ms: int(item, attr::EXPIRES_MS)?,
                touched_at_ms: int(item, attr::TOUCHED_MS)?,
                refresh_lease_until_ms: int(item, attr::LEASE_MS).ok(),
            },
        })
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

    /// PutItem unless a live item holds the key (absent, or expired and not
    /// yet swept by TTL); `AlreadyExists` otherwise.
    async fn put_if_absent(&self, item: Item, now_ms: i64) -> Result<(), StoreError> {
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
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
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
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

    /// Start-up check: the table exists with key `pk` (S) and TTL on `ttl`.
    /// A misconfigured deployment fails here, not on a user's first request.
    pub async fn check_table(&self) -> Result<(), StoreError> {
        let described = self
            .client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
            .map_err(|err| {
                StoreError::Unavailable(format!(
                    "DynamoDB table {:?} is not usable ({}); create it with `malgomo-mcp --create-table`",
                    self.table,
                    describe(&err)
                ))
            })?;
        let key_ok = described.table().is_some_and(|table| {
            table
                .key_schema()
                .iter()
                .any(|k| k.attribute_name() == attr::PK)
        });
        if !key_ok {
            return Err(StoreError::Unavailable(format!(
                "DynamoDB table {:?} must have the string partition key {:?}",
                self.table,
                attr::PK
            )));
        }
        let ttl = self
            .client
            .describe_time_to_live()
            .table_name(&self.table)
            .send()
            .await
            .map_err(|err| StoreError::Unavailable(describe(&err)))?;
        let ttl_on = ttl.time_to_live_description().is_some_and(|d| {
            d.attribute_name() == Some(attr::TTL)
                && matches!(
                    d.time_to_live_status(),
                    Some(aws_sdk_dynamodb::types::TimeToLiveStatus::Enabled)
                        | Some(aws_sdk_dynamodb::types::TimeToLiveStatus::Enabling)
                )
        });
        if !ttl_on {
            return Err(StoreError::Unavailable(format!(
                "DynamoDB table {:?} needs TTL enabled on attribute {:?}; run `malgomo-mcp --create-table`",
                self.table,
                attr::TTL
            )));
        }
        Ok(())
    }

    /// Creates the table (on-demand billing) and enables TTL; idempotent.
    pub async fn create_table(&self) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
            TimeToLiveSpecification,
        };
        let build =
            |err: aws_sdk_dynamodb::error::BuildError| StoreError::Unavailable(err.to_string());
        let created = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(attr::PK)
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .map_err(build)?,
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name(attr::PK)
                    .key_type(KeyType::Hash)
                    .build()
                    .map_err(build)?,
            )
            .send()
            .await;
        match created {
            Ok(_) => {}
            Err(err) if err.code() == Some("ResourceInUseException") => {}
            Err(err) => return Err(StoreError::Unavailable(describe(&err))),
        }
        self.wait_active().await?;
        let ttl = self
            .client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(attr::TTL)
                    .enabled(true)
                    .build()
                    .map_err(build)?,
            )
            .send()
            .await;
        match ttl {
            Ok(_) => Ok(()),
            // Enabling TTL twice is refused with a ValidationException.
            Err(err) if self.check_table().await.is_ok() => {
                tracing::debug!(error = %describe(&err), "TTL already enabled");
                Ok(())
            }
            Err(err) => Err(StoreError::Unavailable(describe(&err))),
        }
    }

    async fn wait_active(&self) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::types::TableStatus;
        for _ in 0..60 {
            let described = self
                .client
                .describe_table()
                .table_name(&self.table)
                .send()
                .await
                .map_err(|err| StoreError::Unavailable(describe(&err)))?;
            if described.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        Err(StoreError::Unavailable(format!(
            "DynamoDB table {:?} did not become active",
            self.table
        )))
    }
}

#[async_trait]
impl SessionStore for DynamoStore {
    async fn get(&self, id: &SessionId, now_ms: i64) -> Result<Option<Versioned>, StoreError> {
        let Some(item) = self.read(Self::key(id)).await? else {
            return Ok(None);
        };
        let stored = Self::from_item(id, &item)?;
        Ok((!stored.record.is_expired_at(now_ms)).then_some(stored))
    }

    async fn create(
        &self,
        id: &SessionId,
        record: &SessionRecord,
        now_ms: i64,
    ) -> Result<Versioned, StoreError> {
        self.put_if_absent(Self::to_item(id, record, 1), now_ms)
            .await?;
        Ok(Versioned {
            record: record.clone(),
            version: 1,
        })
    }

    async fn update(
        &self,
        id: &SessionId,
        record: &SessionRecord,
        expected: u64,
    ) -> Result<Versioned, StoreError> {
        let version = expected + 1;
        self.put_if_version(Self::to_item(id, record, version), expected)
            .await?;
        Ok(Versioned {
            record: record.clone(),
            version,
        })
    }

    async fn delete(&self, id: &SessionId, now_ms: i64) -> Result<bool, StoreError> {
        let deleted = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key(attr::PK, AttributeValue::S(Self::key(id)))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(|err| unavailable(&err))?;
        Ok(deleted
            .attributes()
            .and_then(|item| int(item, attr::EXPIRES_MS).ok())
            .is_some_and(|expires| expires > now_ms))
    }
}

fn number(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn string<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    match item.get(name) {
        Some(AttributeValue::S(value)) => Some(value),
        _ => None,
    }
}

fn int(item: &Item, name: &'static str) -> Result<i64, StoreError> {
    match item.get(name) {
        Some(AttributeValue::N(value)) => value.parse().map_err(|_| damaged(name)),
        _ => Err(damaged(name)),
    }
}

fn damaged(what: &str) -> StoreError {
    StoreError::Unavailable(format!("a stored session is damaged ({what})"))
}

fn is_condition_failure<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    err.code() == Some("ConditionalCheckFailedException")
}

fn describe<E: ProvideErrorMetadata + std::fmt::Debug, R: std::fmt::Debug>(
    err: &SdkError<E, R>,
) -> String {
    match err {
        SdkError::ServiceError(_) => format!(
            "{}: {}",
            err.code().unwrap_or("ServiceError"),
            err.message().unwrap_or("no message")
        ),
        SdkError::TimeoutError(_) => "timed out".into(),
        SdkError::DispatchFailure(_) => "could not reach DynamoDB".into(),
        other => format!("{other:?}").chars().take(200).collect(),
    }
}

fn unavailable<E: ProvideErrorMetadata + std::fmt::Debug, R: std::fmt::Debug>(
    err: &SdkError<E, R>,
) -> StoreError {
    StoreError::Unavailable(describe(err))
}

/// OAuth records share the sessions' table: `pk` is the caller's key, `d`
/// the caller's bytes, `n` a counter.
mod record_attr {
    pub const DATA: &str = "d";
    pub const COUNT: &str = "n";
}

impl DynamoStore {
    fn record_item(key: &str, data: &[u8], expires_at_ms: i64, version: u64) -> Item {
        let mut item = Item::new();
        item.insert(attr::PK.into(), AttributeValue::S(key.to_owned()));
        item.insert(attr::KIND.into(), AttributeValue::S("record".into()));
        item.insert(record_attr::DATA.into(), AttributeValue::B(Blob::new(data)));
        item.insert(attr::VERSION.into(), number(version as i64));
        item.insert(
            attr::TTL.into(),
            number((expires_at_ms + 999).div_euclid(1000)),
        );
        item.insert(attr::EXPIRES_MS.into(), number(expires_at_ms));
        item
    }
}

#[async_trait]
impl RecordStore for DynamoStore {
    async fn get_record(&self, key: &str, now_ms: i64) -> Result<Option<Record>, StoreError> {
        let Some(item) = self.read(key.to_owned()).await? else {
            return Ok(None);
        };
        let data = match item.get(record_attr::DATA) {
            Some(AttributeValue::B(blob)) => blob.as_ref().to_vec(),
            _ => Vec::new(),
        };
        let record = Record {
            data,
            version: int(&item, attr::VERSION)? as u64,
            expires_at_ms: int(&item, attr::EXPIRES_MS)?,
        };
        Ok((!record.is_expired_at(now_ms)).then_some(record))
    }

    async fn create_record(
        &self,
        key: &str,
        data: &[u8],
        expires_at_ms: i64,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.put_if_absent(Self::record_item(key, data, expires_at_ms, 1), now_ms)
            .await
    }

    async fn update_record(
        &self,
        key: &str,
        data: &[u8],
        expires_at_ms: i64,
        expected: u64,
    ) -> Result<u64, StoreError> {
        let version = expected + 1;
        self.put_if_version(
            Self::record_item(key, data, expires_at_ms, version),
            expected,
        )
        .await?;
        Ok(version)
    }

    async fn delete_record(&self, key: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key(attr::PK, AttributeValue::S(key.to_owned()))
            .send()
            .await
            .map_err(|err| unavailable(&err))?;
        Ok(())
    }

    async fn increment(
        &self,
        key: &str,
        expires_at_ms: i64,
        now_ms: i64,
    ) -> Result<u64, StoreError> {
        // Two tries cover the race where the window rolls over between them.
        for _ in 0..2 {
            let added = self
                .client
                .update_item()
                .table_name(&self.table)
                .key(attr::PK, AttributeValue::S(key.to_owned()))
                .update_expression("ADD #n :one")
                .condition_expression("#exp > :now")
                .expression_attribute_names("#n", record_attr::COUNT)
                .expression_attribute_names("#exp", attr::EXPIRES_MS)
                .expression_attribute_values(":one", number(1))
                .expression_attribute_values(":now", number(now_ms))
                .return_values(aws_sdk_dynamodb::types::ReturnValue::UpdatedNew)
                .send()
                .await;
            match added {
                Ok(output) => {
                    return output
                        .attributes()
                        .map(|item| int(item, record_attr::COUNT))
                        .transpose()?
                        .map(|n| n as u64)
                        .ok_or_else(|| damaged("counter"));
                }
                Err(err) if !is_condition_failure(&err) => return Err(unavailable(&err)),
                Err(_) => {}
            }
            // Absent or expired: start a new window at 1.
            let mut item = Self::record_item(key, &[], expires_at_ms, 1);
            item.insert(record_attr::COUNT.into(), number(1));
            match self.put_if_absent(item, now_ms).await {
                Ok(()) => return Ok(1),
                Err(StoreError::AlreadyExists) => {}
                Err(err) => return Err(err),
            }
        }
        Err(StoreError::Conflict)
    }
}
