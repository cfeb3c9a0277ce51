//! The embedded store: a map in process memory with the same semantics as
//! the DynamoDB one (expiry on read, conditional writes, version-0 puts).
//! Expired records are dropped on every create.
//!
//! It also bounds the process: at most `MAX_SESSIONS` live session records
//! (keys under [`CAPPED_PREFIX`], where the session layer keeps its records,
//! that were created, not put — an ended session's tombstone is not
//! counted), so memory stays bounded
//! however many users log in. A create beyond it is `Full`, and
//! [`RecordStore::room_for`] says so beforehand. One user holds at most a
//! tenth of it ([`per_user_share`]), so one account cannot fill it. The count runs
//! over the map; the store is one process's, so that is cheap enough.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::StoreError;
use super::records::{Entry, Record, RecordStore, Write};

/// The keys the cap counts. The store owns the rule and stays opaque: it
/// counts a class of keys, not sessions; `session::KEY_PREFIX` is this, so
/// session records are the class.
pub const CAPPED_PREFIX: &str = "session#";

#[derive(Debug)]
pub struct MemoryStore {
    /// `MAX_SESSIONS`: at most this many live session records.
    max_sessions: usize,
    records: Mutex<HashMap<String, Record>>,
}

impl MemoryStore {
    pub fn new(max_sessions: usize) -> Self {
        Self {
            max_sessions,
            records: Mutex::new(HashMap::new()),
        }
    }
}

impl MemoryStore {
    /// `Full` when the live session records fill the cap.
    fn check_room(&self, records: &HashMap<String, Record>) -> Result<(), StoreError> {
        let live = records
            .iter()
            .filter(|(key, record)| is_session(key, record))
            .count();
        if live >= self.max_sessions {
            return Err(StoreError::Full(self.max_sessions));
        }
        Ok(())
    }
}

/// Counted against the cap: a live session record (a tombstone has
/// version 0).
fn is_session(key: &str, record: &Record) -> bool {
    key.starts_with(CAPPED_PREFIX) && record.version > 0
}

/// The logged-in sessions one user may hold in a memory store capped at
/// `max_sessions`: a tenth of the cap (at least one), so that one account
/// logging in again and again ends its own oldest sessions long before the
/// process is full for everyone else.
pub fn per_user_share(max_sessions: usize) -> usize {
    (max_sessions / 10).max(1)
}

/// A panic while holding the lock cannot leave a half-written record (every
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

    async fn write(&self, entry: Entry<'_>, write: Write) -> Result<u64, StoreError> {
        let mut records = lock(&self.records);
        match write {
            Write::Create { now_ms } => {
                records.retain(|_, record| !record.is_expired_at(now_ms));
                if records.contains_key(entry.key) {
                    return Err(StoreError::AlreadyExists);
                }
                if entry.key.starts_with(CAPPED_PREFIX) {
                    self.check_room(&records)?;
                }
            }
            Write::Update { expected } => {
                if records.get(entry.key).map(|record| record.version) != Some(expected) {
                    return Err(StoreError::Conflict);
                }
            }
            Write::Put => {}
        }
        let version = write.version();
        records.insert(entry.key.to_owned(), entry.record(version));
        Ok(version)
    }

    async fn room_for(&self, key: &str, now_ms: i64) -> Result<(), StoreError> {
        if !key.starts_with(CAPPED_PREFIX) {
            return Ok(());
        }
        let mut records = lock(&self.records);
        records.retain(|_, record| !record.is_expired_at(now_ms));
        match records.get(key) {
            Some(record) if is_session(key, record) => Ok(()),
            _ => self.check_room(&records),
        }
    }

    async fn delete_record(&self, key: &str) -> Result<(), StoreError> {
        lock(&self.records).remove(key);
        Ok(())
    }

    async fn count(&self, counter: Entry<'_>, now_ms: i64) -> Result<u64, StoreError> {
        let mut records = lock(&self.records);
        let fresh = || counter.record(0);
        let record = records
            .entry(counter.key.to_owned())
            .and_modify(|record| {
                if record.is_expired_at(now_ms) {
                    *record = fresh();
                }
            })
            .or_insert_with(fresh);
        // The count is the version: one more per increment.
        record.version += 1;
        Ok(record.version)
    }
}
