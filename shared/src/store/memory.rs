//! The embedded store: a map in process memory with the same semantics as
//! the DynamoDB one (hashed keys, expiry on read, conditional writes).

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::records::{Record, RecordStore};
use super::{SessionStore, StoreError, Versioned};
use crate::session::{SessionId, SessionRecord};

#[derive(Debug)]
pub struct MemoryStore {
    max_sessions: usize,
    sessions: Mutex<HashMap<String, Versioned>>,
    records: Mutex<HashMap<String, Record>>,
}

impl MemoryStore {
    pub fn new(max_sessions: usize) -> Self {
        Self {
            max_sessions,
            sessions: Mutex::new(HashMap::new()),
            records: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Versioned>> {
        // A panic while holding the lock cannot leave a half-written entry
        // (every write is one insert/remove), so a poisoned map is usable.
        self.sessions
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn get(&self, id: &SessionId, now_ms: i64) -> Result<Option<Versioned>, StoreError> {
        let map = self.lock();
        Ok(map
            .get(&id.storage_key())
            .filter(|stored| !stored.record.is_expired_at(now_ms))
            .cloned())
    }

    async fn create(
        &self,
        id: &SessionId,
        record: &SessionRecord,
        now_ms: i64,
    ) -> Result<Versioned, StoreError> {
        let mut map = self.lock();
        map.retain(|_, stored| !stored.record.is_expired_at(now_ms));
        let key = id.storage_key();
        if map.contains_key(&key) {
            return Err(StoreError::AlreadyExists);
        }
        if map.len() >= self.max_sessions {
            return Err(StoreError::Full(self.max_sessions));
        }
        let stored = Versioned {
            record: record.clone(),
            version: 1,
        };
        map.insert(key, stored.clone());
        Ok(stored)
    }

    async fn update(
        &self,
        id: &SessionId,
        record: &SessionRecord,
        expected: u64,
    ) -> Result<Versioned, StoreError> {
        let mut map = self.lock();
        let Some(stored) = map.get_mut(&id.storage_key()) else {
            return Err(StoreError::Conflict);
        };
        if stored.version != expected {
            return Err(StoreError::Conflict);
        }
        *stored = Versioned {
            record: record.clone(),
            version: expected + 1,
        };
        Ok(stored.clone())
    }

    async fn delete(&self, id: &SessionId, now_ms: i64) -> Result<bool, StoreError> {
        let removed = self.lock().remove(&id.storage_key());
        Ok(removed.is_some_and(|stored| !stored.record.is_expired_at(now_ms)))
    }
}

/// A panic while holding a lock cannot leave a half-written entry (every
/// write is one insert/remove), so a poisoned map is still usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

#[async_trait]
impl RecordStore for MemoryStore {
    async fn get_record(&self, key: &str, now_ms: i64) -> Result<Option<Record>, StoreError> {
        Ok(lock(&self.records)
            .get(key)
            .filter(|record| !record.is_expired_at(now_ms))
            .cloned())
    }

    async fn create_record(
        &self,
        key: &str,
        data: &[u8],
        expires_at_ms: i64,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut records = lock(&self.records);
        if records.get(key).is_some_and(|r| !r.is_expired_at(now_ms)) {
            return Err(StoreError::AlreadyExists);
        }
        records.insert(
            key.to_owned(),
            Record {
                data: data.to_vec(),
                version: 1,
                expires_at_ms,
            },
        );
        Ok(())
    }

    async fn update_record(
        &self,
        key: &str,
        data: &[u8],
        expires_at_ms: i64,
        expected: u64,
    ) -> Result<u64, StoreError> {
        let mut records = lock(&self.records);
        match records.get_mut(key) {
            Some(record) if record.version == expected => {
                *record = Record {
                    data: data.to_vec(),
                    version: expected + 1,
                    expires_at_ms,
                };
                Ok(expected + 1)
            }
            _ => Err(StoreError::Conflict),
        }
    }

    async fn delete_record(&self, key: &str) -> Result<(), StoreError> {
        lock(&self.records).remove(key);
        Ok(())
    }

    async fn increment(
        &self,
        key: &str,
        expires_at_ms: i64,
        now_ms: i64,
    ) -> Result<u64, StoreError> {
        let mut records = lock(&self.records);
        let record = records
            .entry(key.to_owned())
            .and_modify(|record| {
                if record.is_expired_at(now_ms) {
                    *record = Record {
                        data: Vec::new(),
                        version: 0,
                        expires_at_ms,
                    };
                }
            })
            .or_insert_with(|| Record {
                data: Vec::new(),
                version: 0,
                expires_at_ms,
            });
        // The count is the version: one more per increment.
        record.version += 1;
        Ok(record.version)
    }
}
