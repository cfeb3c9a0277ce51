//! Session storage behind one trait, shaped for DynamoDB: get,
//! create-if-absent, update-if-version, delete; expiry carried in the record
//! and checked on every read. The in-memory store is the embedded default.

mod dynamo;
mod memory;
mod records;
mod seal;

use async_trait::async_trait;

pub use dynamo::DynamoStore;
pub use memory::MemoryStore;
pub use records::{Record, RecordStore};

use crate::session::{SessionId, SessionRecord};

/// A record with the version its next conditional update must name.
#[derive(Clone, Debug, PartialEq)]
pub struct Versioned {
    pub record: SessionRecord,
    pub version: u64,
}

/// The one error type of the store boundary.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Create-if-absent found a live record under the key.
    #[error("a session with this id already exists")]
    AlreadyExists,
    /// The session cap (`MAX_SESSIONS`) is reached.
    #[error("the server holds its maximum of {0} sessions")]
    Full(usize),
    /// Update-if-version lost a race, or the record is gone.
    #[error("the session changed concurrently")]
    Conflict,
    /// The backing store failed; nothing was changed that the caller knows of.
    #[error("session storage is unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait SessionStore: Send + Sync + std::fmt::Debug {
    /// The live record, or `None` when absent or expired at `now_ms`.
    async fn get(&self, id: &SessionId, now_ms: i64) -> Result<Option<Versioned>, StoreError>;

    /// Stores a new record (version 1) unless a live one exists, and only
    /// while fewer than the cap are live.
    async fn create(
        &self,
        id: &SessionId,
        record: &SessionRecord,
        now_ms: i64,
    ) -> Result<Versioned, StoreError>;

    /// Replaces the record if its stored version is still `expected`;
    /// returns the new version.
    async fn update(
        &self,
        id: &SessionId,
        record: &SessionRecord,
        expected: u64,
    ) -> Result<Versioned, StoreError>;

    /// Removes the record; true when a live one was there.
    async fn delete(&self, id: &SessionId, now_ms: i64) -> Result<bool, StoreError>;
}
