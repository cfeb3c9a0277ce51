//! `MAX_SESSIONS` as a per-user bound ([`Sessions::per_user`]): each user has one index item listing
//! their logged-in sessions, oldest first; a login beyond the bound ends
//! the oldest. One read and one conditional write per login, whatever the
//! size of the table — nothing counts sessions across the table.

use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::session::{SessionId, Sessions};
use crate::store::StoreError;

/// How long an index item outlives its last login. A session that is still
/// in use after this long without any login of its user is no longer
/// counted (so the bound holds among logins of the last 30 days).
const INDEX_LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// One logged-in session of the user: its storage key and login time.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    k: String,
    at: i64,
}

/// Records that `id` now holds a login of `user_id` and ends the user's
/// oldest sessions beyond `MAX_SESSIONS`. Returns how many were ended.
pub async fn admit(
    sessions: Sessions<'_>,
    user_id: &str,
    id: &SessionId,
) -> Result<usize, StoreError> {
    let key = format!(
        "user-sessions#{}",
        crypto::sha256_hex(&format!("user:{user_id}"))
    );
    let mine = id.storage_key();
    let max = sessions.per_user;
    let records = sessions.stores.records;
    // Two logins of one user racing: the loser re-reads and tries again.
    for _ in 0..3 {
        let now = sessions.stores.now_ms();
        let current = records.get_record(&key, now).await?;
        let mut entries: Vec<Entry> = current
            .as_ref()
            .and_then(|record| serde_json::from_slice(&record.data).ok())
            .unwrap_or_default();
        entries.retain(|entry| entry.k != mine);
        entries.push(Entry {
            k: mine.clone(),
            at: now,
        });
        let excess = entries.len().saturating_sub(max);
        let evicted: Vec<Entry> = entries.drain(..excess).collect();
        // Serialising our own plain structs cannot fail.
        let data = serde_json::to_vec(&entries).expect("the index serialises");
        let expires = now.saturating_add(INDEX_LIFETIME_MS);
        let written = match &current {
            Some(record) => records
                .update_record(&key, &data, expires, record.version)
                .await
                .map(drop),
            None => records.create_record(&key, &data, expires, now).await,
        };
        match written {
            Ok(()) => {
                // An evicted id could be valid without an item for at most
                // one idle TTL more; the tombstone covers that.
                let until = sessions.expiry.deadline(now);
                for entry in &evicted {
                    sessions.stored.end(&entry.k, until, now).await?;
                }
                return Ok(evicted.len());
            }
            Err(StoreError::Conflict | StoreError::AlreadyExists) => continue,
            Err(err) => return Err(err),
        }
    }
    Err(StoreError::Conflict)
}
