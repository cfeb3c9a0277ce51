//! Storage of the OAuth server's records (clients, codes, grants, tokens,
//! counters) behind one small trait, shaped like the session store: opaque
//! data under a string key, a version for conditional writes, an expiry
//! carried in the record and checked on every read. Keys of secret things
//! are hashes; secret fields are sealed by the caller before they get here.

use async_trait::async_trait;

use super::StoreError;

/// A stored record: the caller's bytes, its version and its expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub data: Vec<u8>,
    pub version: u64,
    pub expires_at_ms: i64,
}

impl Record {
    pub fn is_expired_at(&self, now_ms: i64) -> bool {
        self.expires_at_ms <= now_ms
    }
}

#[async_trait]
pub trait RecordStore: Send + Sync + std::fmt::Debug {
    /// The live record under `key`.
    async fn get_record(&self, key: &str, now_ms: i64) -> Result<Option<Record>, StoreError>;

    /// Stores a new record (version 1) unless a live one exists.
    async fn create_record(
        &self,
        key: &str,
        data: &[u8],
        expires_at_ms: i64,
        now_ms: i64,
    ) -> Result<(), StoreError>;

    /// Replaces the record if its version is still `expected`; returns the new version.
    async fn update_record(
        &self,
        key: &str,
        data: &[u8],
        expires_at_ms: i64,
        expected: u64,
    ) -> Result<u64, StoreError>;

    /// Removes the record (absent is fine).
    async fn delete_record(&self, key: &str) -> Result<(), StoreError>;

    /// Adds one to the counter under `key` (created with `expires_at_ms`
    /// when absent or expired) and returns the new count: a fixed-window
    /// rate limit shared by every instance.
    async fn increment(
        &self,
        key: &str,
        expires_at_ms: i64,
        now_ms: i64,
    ) -> Result<u64, StoreError>;

    /// Checks that the backing store is usable (a table exists, expiry is
    /// on). Only hosts that can afford a round trip call it: the local
    /// server at start and the `health` function; the `mcp` and `oauth`
    /// functions serve their first request without it.
    async fn check(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
