//! [`RecordStore`] over the table: one item per record, one request per call.

use async_trait::async_trait;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{DynamoStore, Item, attr, damaged, int, is_condition_failure, number, unavailable};
use crate::store::StoreError;
use crate::store::records::{Entry, Record, RecordStore, Write};

impl DynamoStore {
    fn record_item(entry: &Entry<'_>, version: u64) -> Item {
        let mut item = Item::new();
        item.insert(attr::PK.into(), AttributeValue::S(entry.key.to_owned()));
        item.insert(attr::DATA.into(), AttributeValue::B(Blob::new(entry.data)));
        item.insert(attr::VERSION.into(), number(version as i64));
        // TTL in epoch seconds, rounded up so DynamoDB never deletes early.
        item.insert(
            attr::TTL.into(),
            number((entry.expires_at_ms + 999).div_euclid(1000)),
        );
        item.insert(attr::EXPIRES_MS.into(), number(entry.expires_at_ms));
        item
    }
}

#[async_trait]
impl RecordStore for DynamoStore {
    async fn check(&self) -> Result<(), StoreError> {
        self.check_table().await
    }

    async fn get_record(&self, key: &str, now_ms: i64) -> Result<Option<Record>, StoreError> {
        let Some(item) = self.read(key.to_owned()).await? else {
            return Ok(None);
        };
        let data = match item.get(attr::DATA) {
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

    /// One PutItem: conditional for a create or an update, plain for a put.
    async fn write(&self, entry: Entry<'_>, write: Write) -> Result<u64, StoreError> {
        let item = Self::record_item(&entry, write.version());
        match write {
            Write::Create { now_ms } => self.put_if_absent(item, now_ms).await?,
            Write::Update { expected } => self.put_if_version(item, expected).await?,
            Write::Put => self.put(item).await?,
        }
        Ok(write.version())
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

    /// `ADD` is not idempotent, and the SDK retries a write whose outcome
    /// it could not learn (a 500, a connection reset after sending, an
    /// attempt timeout): if the lost attempt had landed, one call counts
    /// twice (the create-at-1 path alike: a landed put makes the retry meet
    /// the item, and the loop adds). A throttling answer means nothing was
    /// written, so throttling never double-counts. This is harmless by
    /// construction: every counter is a limit (password attempts,
    /// registrations, sign-in starts, metadata fetches, `/token` failures
    /// on a code), an over-count is at most `MAX_ATTEMPTS - 1` per call and
    /// only ever reaches a limit early (fails closed), and no count is ever
    /// lost. An exact count would need a per-call token kept in the item
    /// (`NOT contains(ids, :call)`), an item that grows with the window, for
    /// no gain a user could notice.
    async fn count(&self, counter: Entry<'_>, now_ms: i64) -> Result<u64, StoreError> {
        // Two tries cover the race where the window rolls over between them.
        for _ in 0..2 {
            let added = self
                .client
                .update_item()
                .table_name(&self.table)
                .key(attr::PK, AttributeValue::S(counter.key.to_owned()))
                .update_expression("ADD #n :one")
                .condition_expression("#exp > :now")
                .expression_attribute_names("#n", attr::COUNT)
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
                        .map(|item| int(item, attr::COUNT))
                        .transpose()?
                        .map(|n| n as u64)
                        .ok_or_else(|| damaged("counter"));
                }
                Err(err) if !is_condition_failure(&err) => return Err(unavailable(&err)),
                Err(_) => {}
            }
            // Absent or expired: start a new window at 1.
            let mut item = Self::record_item(&counter, 1);
            item.insert(attr::COUNT.into(), number(1));
            match self.put_if_absent(item, now_ms).await {
                Ok(()) => return Ok(1),
                Err(StoreError::AlreadyExists) => {}
                Err(err) => return Err(err),
            }
        }
        Err(StoreError::Conflict)
    }
}
