//! The cache of documents fetched from clients (metadata documents, JWK
//! Sets): one rule for how long a copy is fresh and how long it is kept, and
//! one way a fetched copy is stored over the one loaded before.

use serde::Serialize;

use super::records::{Loaded, encode};
use crate::store::{StoreError, Stores};

/// Refetch a cached document after an hour; keep a copy for a week.
pub const FRESH_FOR_MS: i64 = 60 * 60 * 1000;
pub const KEEP_FOR_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Stores `value` under `key`, fetched at `now_ms`, for [`KEEP_FOR_MS`]: the
/// next version of `previous` (the copy loaded before), or a new record
/// when there was none. A lost race or a store failure is the caller's to
/// log, not to fail on: a copy not kept is fetched again.
pub async fn keep<T: Serialize, C>(
    stores: Stores<'_>,
    key: &str,
    value: &T,
    previous: Option<&Loaded<C>>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let data = encode(value);
    let until = now_ms + KEEP_FOR_MS;
    match previous {
        Some(old) => stores
            .records
            .update_record(key, &data, until, old.version)
            .await
            .map(drop),
        None => {
            stores
                .records
                .create_record(key, &data, until, now_ms)
                .await
        }
    }
}
