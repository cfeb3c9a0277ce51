//! Sessions as items: `session#<sha256 of the id>`, the login sealed with a
//! key derived from the id, expiry in `exp_ms` (checked on read) and `ttl`.

use async_trait::async_trait;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{DynamoStore, Item, attr, damaged, int, number, string, unavailable};
use crate::protocol::ProtocolVersion;
use crate::session::{Login, SessionId, SessionRecord};
use crate::store::{SessionStore, StoreError, Versioned, seal};

impl DynamoStore {
    /// How many unexpired sessions the table holds (expired ones linger
    /// until TTL sweeps them, so the expiry is filtered here).
    async fn live_sessions(&self, now_ms: i64) -> Result<usize, StoreError> {
        let mut count = 0usize;
        let mut start = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.table)
                .select(aws_sdk_dynamodb::types::Select::Count)
                .consistent_read(true)
                .filter_expression("#kind = :session AND #exp > :now")
                .expression_attribute_names("#kind", attr::KIND)
                .expression_attribute_names("#exp", attr::EXPIRES_MS)
                .expression_attribute_values(":session", AttributeValue::S("session".into()))
                .expression_attribute_values(":now", number(now_ms))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|err| unavailable(&err))?;
            count += page.count().max(0) as usize;
            match page.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                _ => return Ok(count),
            }
        }
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
        if let Some(max) = self.max_sessions
            && self.live_sessions(now_ms).await? >= max
        {
            return Err(StoreError::Full(max));
        }
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
