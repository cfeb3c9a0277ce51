//! Sessions as items: `session#<sha256 of the id>`, the login sealed with a
//! key derived from the id, expiry in `exp_ms` (checked on read) and `ttl`.
//! An ended session is a tombstone under the same key (`kind` = `ended`)
//! until the id would have expired anyway. Every call is one request on one
//! key: nothing here reads a number of items that grows with the table.

use async_trait::async_trait;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{DynamoStore, Item, attr, damaged, int, kind, number, string, unavailable};
use crate::protocol::ProtocolVersion;
use crate::session::{Login, SessionId, SessionRecord};
use crate::store::{Lookup, SessionStore, StoreError, Versioned, seal};

impl DynamoStore {
    fn key(id: &SessionId) -> String {
        Self::key_of(&id.storage_key())
    }

    fn key_of(storage_key: &str) -> String {
        format!("session#{storage_key}")
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
        item.insert(attr::KIND.into(), AttributeValue::S(kind::SESSION.into()));
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
    async fn get(&self, id: &SessionId, now_ms: i64) -> Result<Lookup, StoreError> {
        let Some(item) = self.read(Self::key(id)).await? else {
            return Ok(Lookup::Absent);
        };
        if string(&item, attr::KIND) == Some(kind::ENDED) {
            return Ok(Lookup::Ended);
        }
        let stored = Self::from_item(id, &item)?;
        Ok(if stored.record.is_expired_at(now_ms) {
            Lookup::Ended
        } else {
            Lookup::Live(Box::new(stored))
        })
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

    async fn end(&self, storage_key: &str, until_ms: i64, now_ms: i64) -> Result<(), StoreError> {
        let key = AttributeValue::S(Self::key_of(storage_key));
        if until_ms <= now_ms {
            self.client
                .delete_item()
                .table_name(&self.table)
                .key(attr::PK, key)
                .send()
                .await
                .map_err(|err| unavailable(&err))?;
            return Ok(());
        }
        // One unconditional PutItem: the tombstone replaces the session (and
        // its sealed login) whatever state it was in.
        let mut item = Item::new();
        item.insert(attr::PK.into(), key);
        item.insert(attr::KIND.into(), AttributeValue::S(kind::ENDED.into()));
        item.insert(attr::TTL.into(), number((until_ms + 999).div_euclid(1000)));
        item.insert(attr::EXPIRES_MS.into(), number(until_ms));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|err| unavailable(&err))?;
        Ok(())
    }
}
