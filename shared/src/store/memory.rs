//! The embedded store: a map in process memory with the same semantics as
//! the DynamoDB one (hashed keys, expiry on read, conditional writes,
//! tombstones). Expired entries are dropped on every write.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::records::{Record, RecordStore};
use super::{Lookup, SessionStore, StoreError, Versioned};
use crate::session::{SessionId, SessionRecord};

/// A stored session, or the tombstone of an ended one.
#[derive(Debug)]
enum Entry {
    Live(Box<Versioned>),
    Ended { until_ms: i64 },
}

impl Entry {
    fn is_expired_at(&self, now_ms: i64) -> bool {
        match self {
            Self::Live(stored) => stored.record.is_expired_at(now_ms),
            Self::Ended { until_ms } => *until_ms <= now_ms,
        }
    }
}

#[derive(Debug)]
pub struct MemoryStore {
    /// `MAX_SESSIONS`: at most this many stored (logged-in) sessions in
    /// this process, so memory stays bounded.
    max_sessions: usize,
    sessions: Mutex<HashMap<String, Entry>>,
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
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn get(&self, id: &SessionId, now_ms: i64) -> Result<Lookup, StoreError> {
        Ok(match lock(&self.sessions).get(&id.storage_key()) {
            None => Lookup::Absent,
            Some(Entry::Live(stored)) if !stored.record.is_expired_at(now_ms) => {
                Lookup::Live(stored.clone())
            }
            Some(_) => Lookup::Ended,
        })
    }

    async fn create(
        &self,
        id: &SessionId,
        record: &SessionRecord,
        now_ms: i64,
    ) -> Result<Versioned, StoreError> {
        let mut map = lock(&self.sessions);
        map.retain(|_, entry| !entry.is_expired_at(now_ms));
        let key = id.storage_key();
        if map.contains_key(&key) {
            return Err(StoreError::AlreadyExists);
        }
        let live = map
            .values()
            .filter(|entry| matches!(entry, Entry::Live(_)))
            .count();
        if live >= self.max_sessions {
            return Err(StoreError::Full(self.max_sessions));
        }
        let stored = Versioned {
            record: record.clone(),
            version: 1,
        };
        map.insert(key, Entry::Live(Box::new(stored.clone())));
        Ok(stored)
    }

    async fn update(
        &self,
        id: &SessionId,
        record: &SessionRecord,
        expected: u64,
    ) -> Result<Versioned, StoreError> {
        let mut map = lock(&self.sessions);
        match map.get_mut(&id.storage_key()) {
            Some(Entry::Live(stored)) if stored.version == expected => {
                **stored = Versioned {
                    record: record.clone(),
                    version: expected + 1,
                };
                Ok((**stored).clone())
            }
            _ => Err(StoreError::Conflict),
        }
    }

    async fn end(&self, storage_key: &str, until_ms: i64, now_ms: i64) -> Result<(), StoreError> {
        let mut map = lock(&self.sessions);
        map.retain(|_, entry| !entry.is_expired_at(now_ms));
        if until_ms > now_ms {
            map.insert(storage_key.to_owned(), Entry::Ended { until_ms });
        } else {
            map.remove(storage_key);
        }
        Ok(())
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
