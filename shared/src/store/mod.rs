//! Session storage behind one trait, shaped for DynamoDB: get,
//! create-if-absent, update-if-version, end (a tombstone); expiry carried in
//! the record and checked on every read. Only sessions that hold something
//! (a login) are stored: an id without an item is a session that never
//! stored anything (see [`crate::session::SessionId`]). The in-memory store
//! is the embedded default.

mod dynamo;
mod memory;
mod records;
mod seal;

use async_trait::async_trait;

pub use dynamo::{ATTEMPT_TIMEOUT, Connection, DynamoStore, MAX_ATTEMPTS, OPERATION_TIMEOUT};
pub use memory::MemoryStore;
pub use records::{Record, RecordStore};

use crate::session::{SessionId, SessionRecord};

/// A record with the version its next conditional update must name.
#[derive(Clone, Debug, PartialEq)]
pub struct Versioned {
    pub record: SessionRecord,
    pub version: u64,
}

/// What the store knows of a session id.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// Nothing stored: the session never wrote anything (or is long gone,
    /// which the id's own issue time tells).
    Absent,
    /// The session ended (DELETE, eviction) or its stored record expired:
    /// the id is unknown from now on.
    Ended,
    /// A live stored session.
    Live(Box<Versioned>),
}

impl Lookup {
    /// The live record, if any.
    pub fn live(self) -> Option<Versioned> {
        match self {
            Self::Live(stored) => Some(*stored),
            Self::Absent | Self::Ended => None,
        }
    }
}

/// The one error type of the store boundary.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Create-if-absent found a live record (or a tombstone) under the key.
    #[error("a session with this id already exists or has ended")]
    AlreadyExists,
    /// The in-memory store's cap (`MAX_SESSIONS` stored sessions) is reached.
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
    /// The live record, a tombstone or expired record (`Ended`), or nothing.
    async fn get(&self, id: &SessionId, now_ms: i64) -> Result<Lookup, StoreError>;

    /// Stores a new record (version 1) unless a live one or a tombstone
    /// holds the key: the session's first write.
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

    /// Ends the session stored under `storage_key` (a [`SessionId`]'s
    /// hash): whatever was there is replaced by a tombstone that lives until
    /// `until_ms`, so the id answers 404 until it would have expired anyway.
    /// With `until_ms` already past, the record is simply removed.
    async fn end(&self, storage_key: &str, until_ms: i64, now_ms: i64) -> Result<(), StoreError>;
}
