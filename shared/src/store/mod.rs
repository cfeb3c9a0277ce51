//! Storage behind one small trait, [`RecordStore`], shaped for DynamoDB:
//! get, create-if-absent, update-if-version, put, delete, a counter; expiry
//! carried in the record and checked on every read. What is stored is
//! decided and sealed above the trait — sessions in
//! [`crate::session::StoredSessions`], OAuth records in
//! `oauth/records.rs` — so the backends here hold opaque bytes and
//! know nothing of sessions or tokens. The in-memory store is the embedded
//! default; DynamoDB serves several instances.

mod dynamo;
mod memory;
mod records;
mod stores;

pub use dynamo::{ATTEMPT_TIMEOUT, Connection, DynamoStore, MAX_ATTEMPTS, OPERATION_TIMEOUT};
pub use memory::{CAPPED_PREFIX, MemoryStore, per_user_share};
pub use records::{Entry, Record, RecordStore, Write};
pub use stores::Stores;

/// The one error type of the store boundary.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Create-if-absent found a live record (or a tombstone) under the key.
    #[error("a record with this key already exists")]
    AlreadyExists,
    /// The in-memory store's cap (`MAX_SESSIONS` stored sessions) is reached.
    #[error("the server holds its maximum of {0} sessions")]
    Full(usize),
    /// Update-if-version lost a race, or the record is gone.
    #[error("the record changed concurrently")]
    Conflict,
    /// The backing store failed; nothing was changed that the caller knows of.
    #[error("storage is unavailable: {0}")]
    Unavailable(String),
}
