//! The one storage contract: opaque bytes under a string key, a version for
//! conditional writes, an expiry carried in the record and checked on every
//! read. Sessions ([`crate::session::StoredSessions`]) and the OAuth
//! server's records (`oauth/records.rs`) are both kept through it.
//!
//! A backend stores bytes and never learns what they mean: callers
//! serialise and seal every secret before it gets here, and keys of secret
//! things are hashes. So a backend cannot store a secret in the clear, and
//! a new one implements only this trait (and passes the contract suite in
//! `tests/tests/e2e/store_contract/`). Every call is one request on one
//! key: nothing reads a number of records that grows with the store.

use async_trait::async_trait;

use super::StoreError;

/// A stored record: the caller's bytes, its version and its expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub data: Vec<u8>,
    /// 1 when created, one more per update; 0 for a record written by
    /// [`RecordStore::put_record`], which no update names.
    pub version: u64,
    pub expires_at_ms: i64,
}

impl Record {
    pub fn is_expired_at(&self, now_ms: i64) -> bool {
        self.expires_at_ms <= now_ms
    }
}

/// What a write stores under a key: the caller's bytes and their expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    pub key: &'a str,
    pub data: &'a [u8],
    pub expires_at_ms: i64,
}

impl<'a> Entry<'a> {
    pub fn new(key: &'a str, data: &'a [u8], expires_at_ms: i64) -> Self {
        Self {
            key,
            data,
            expires_at_ms,
        }
    }

    /// The record this entry is stored as, with `version`.
    pub fn record(&self, version: u64) -> Record {
        Record {
            data: self.data.to_vec(),
            version,
            expires_at_ms: self.expires_at_ms,
        }
    }
}

/// The condition a write is made on: the three writes of [`RecordStore`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// [`RecordStore::create_record`]: unless a live record holds the key at `now_ms`.
    Create { now_ms: i64 },
    /// [`RecordStore::update_record`]: if the stored version is still
    /// `expected` (never 0: the caller refuses that before it asks).
    Update { expected: u64 },
    /// [`RecordStore::put_record`]: whatever is there.
    Put,
}

impl Write {
    /// The version the written record carries.
    pub fn version(self) -> u64 {
        match self {
            Self::Create { .. } => 1,
            Self::Update { expected } => expected + 1,
            Self::Put => 0,
        }
    }
}

/// The store contract. A backend implements [`Self::get_record`],
/// [`Self::write`], [`Self::delete_record`] and [`Self::count`]; the
/// callers' methods below are spelt here once, on top of them.
#[async_trait]
pub trait RecordStore: Send + Sync + std::fmt::Debug {
    /// The live record under `key`; `None` when absent or expired at
    /// `now_ms`. Read at `i64::MIN`, an expired record still stored (not yet
    /// swept) is returned: the caller then checks the expiry itself.
    async fn get_record(&self, key: &str, now_ms: i64) -> Result<Option<Record>, StoreError>;

    /// Stores `entry` with the version of `write` if its condition holds;
    /// returns that version. `AlreadyExists` when a create meets a live
    /// record, `Conflict` when an update meets another version or none.
    async fn write(&self, entry: Entry<'_>, write: Write) -> Result<u64, StoreError>;

    /// Removes the record (absent is fine).
    async fn delete_record(&self, key: &str) -> Result<(), StoreError>;

    /// [`Self::increment`] of the counter `counter.key` (its data is empty).
    async fn count(&self, counter: Entry<'_>, now_ms: i64) -> Result<u64, StoreError>;

    /// Stores a new record (version 1) unless a live one holds the key
    /// (`AlreadyExists`); an expired one is replaced.
    async fn create_record(
        &self,
        key: &str,
        data: &[u8],
        expires_at_ms: i64,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let entry = Entry::new(key, data, expires_at_ms);
        self.write(entry, Write::Create { now_ms }).await.map(drop)
    }

    /// Replaces the record if its version is still `expected`; returns the
    /// new version. `Conflict` when the version differs, the record is gone,
    /// or `expected` is 0 (a put record is never updated).
    async fn update_record(
        &self,
        key: &str,
        data: &[u8],
        expires_at_ms: i64,
        expected: u64,
    ) -> Result<u64, StoreError> {
        // Version 0 is a put record's: never updated, so no request.
        if expected == 0 {
            return Err(StoreError::Conflict);
        }
        let entry = Entry::new(key, data, expires_at_ms);
        self.write(entry, Write::Update { expected }).await
    }

    /// Replaces whatever is under `key`, unconditionally, with a record of
    /// version 0: a marker (an ended session's tombstone) that blocks
    /// [`Self::create_record`] until it expires and that no update changes.
    async fn put_record(
        &self,
        key: &str,
        data: &[u8],
        expires_at_ms: i64,
    ) -> Result<(), StoreError> {
        self.write(Entry::new(key, data, expires_at_ms), Write::Put)
            .await
            .map(drop)
    }

    /// Adds one to the counter under `key` (created with `expires_at_ms`
    /// when absent or expired) and returns the new count: a fixed-window
    /// rate limit shared by every instance.
    async fn increment(
        &self,
        key: &str,
        expires_at_ms: i64,
        now_ms: i64,
    ) -> Result<u64, StoreError> {
        self.count(Entry::new(key, &[], expires_at_ms), now_ms)
            .await
    }

    /// Whether [`Self::create_record`] of `key` could be refused as `Full`
    /// now: `Err(Full)` when the store holds its cap of records like it and
    /// `key` is not already one of them. Lets a caller refuse before it does
    /// costly work whose result it could not keep (a login asking the
    /// backend). A store without a cap always has room.
    async fn room_for(&self, _key: &str, _now_ms: i64) -> Result<(), StoreError> {
        Ok(())
    }

    /// Checks that the backing store is usable (a table exists, expiry is
    /// on). Only hosts that can afford a round trip call it: the local
    /// server at start and the `health` function; the `mcp` and `oauth`
    /// functions serve their first request without it.
    async fn check(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
