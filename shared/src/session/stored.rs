//! Sessions kept through the record contract ([`RecordStore`]). Only
//! sessions that hold something (a login) are stored: an id without a
//! record is a session that never stored anything (see [`SessionId`]).
//!
//! The whole record is serialised and sealed here, above the trait, with a
//! key derived from the session id — which only the client holds; the
//! store holds only the id's hash as the key (`session#<sha256>`). So no
//! backend ever sees a token, an email or an id, and a dump of the store
//! opens nothing. An ended session is a tombstone under the same key: the
//! plain marker `ended`, put unconditionally, expiring when the id would
//! have expired anyway. Every call is one store call on one key.

use std::sync::Arc;

use super::{SessionId, SessionRecord, seal};
use crate::store::{CAPPED_PREFIX, Record, RecordStore, StoreError};

/// Where session records live among the store's keys: the class the memory
/// store's cap counts (`MAX_SESSIONS`).
pub const KEY_PREFIX: &str = CAPPED_PREFIX;

/// The bytes of a tombstone. A sealed record is never this short (a nonce
/// and a tag alone are longer), so the two cannot be confused.
const ENDED: &[u8] = b"ended";

/// A record with the version its next conditional update must name.
#[derive(Clone, Debug, PartialEq)]
pub struct Versioned {
    pub record: SessionRecord,
    pub version: u64,
}

/// What the store knows of a session id. `T` is how a live session is
/// held: opened ([`Versioned`], the default) or still [`Sealed`].
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup<T = Box<Versioned>> {
    /// Nothing stored: the session never wrote anything (or is long gone,
    /// which the id's own issue time tells).
    Absent,
    /// The session ended (DELETE, eviction) or its stored record expired:
    /// the id is unknown from now on.
    Ended,
    /// A live stored session.
    Live(T),
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

impl Lookup<Sealed> {
    /// The same, with a live record opened for session `id`.
    pub fn open(self, id: &SessionId) -> Result<Lookup, StoreError> {
        Ok(match self {
            Self::Live(sealed) => Lookup::Live(Box::new(sealed.open(id)?)),
            Self::Absent => Lookup::Absent,
            Self::Ended => Lookup::Ended,
        })
    }
}

/// A live session's item as stored, its record still sealed: enough to
/// know the session lives and when it expires. Only a request that needs
/// what the record holds (the login) opens it, so a `tools/list` or a
/// stream's tick decrypts nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct Sealed(Record);

impl Sealed {
    /// The stored idle expiry, Unix milliseconds.
    pub fn expires_at_ms(&self) -> i64 {
        self.0.expires_at_ms
    }

    /// The record, decrypted with the key session `id` derives; an error
    /// when it does not open (damaged, or not this id's).
    pub fn open(&self, id: &SessionId) -> Result<Versioned, StoreError> {
        let key = key_of(&id.storage_key());
        let record = seal::open(id, key.as_bytes(), &self.0.data)
            .and_then(|plain| serde_json::from_slice::<SessionRecord>(&plain).ok())
            .ok_or_else(damaged)?;
        Ok(Versioned {
            record,
            version: self.0.version,
        })
    }
}

/// The store key of the session whose id hashes to `storage_key`.
pub fn key_of(storage_key: &str) -> String {
    format!("{KEY_PREFIX}{storage_key}")
}

/// The session `id`'s record as stored bytes: sealed, bound to its key.
pub fn seal(id: &SessionId, record: &SessionRecord) -> Vec<u8> {
    let key = key_of(&id.storage_key());
    // Serialising our own plain structs cannot fail.
    let plain = serde_json::to_vec(record).expect("a session record serialises");
    seal::seal(id, key.as_bytes(), &plain)
}

/// What stored bytes say of session `id`: a tombstone, or its record.
pub fn open(id: &SessionId, stored: &Record) -> Result<Lookup, StoreError> {
    classify(stored.clone(), i64::MIN).open(id)
}

/// A stored item as of `now_ms`: a tombstone or an expired record is
/// `Ended`, anything else a live record, unopened.
fn classify(stored: Record, now_ms: i64) -> Lookup<Sealed> {
    if stored.data == ENDED || stored.is_expired_at(now_ms) {
        Lookup::Ended
    } else {
        Lookup::Live(Sealed(stored))
    }
}

/// A stored record that does not open for the id that names it.
pub(super) fn damaged() -> StoreError {
    StoreError::Unavailable("a stored session is damaged (does not open)".into())
}

/// The sessions of a [`RecordStore`].
#[derive(Clone, Debug)]
pub struct StoredSessions {
    records: Arc<dyn RecordStore>,
}

impl StoredSessions {
    pub fn new(records: Arc<dyn RecordStore>) -> Self {
        Self { records }
    }

    /// The record store the sessions live in.
    pub fn records(&self) -> &Arc<dyn RecordStore> {
        &self.records
    }

    /// The live record, a tombstone or expired record (`Ended`), or nothing.
    pub async fn get(&self, id: &SessionId, now_ms: i64) -> Result<Lookup, StoreError> {
        self.find(id, now_ms).await?.open(id)
    }

    /// Like [`Self::get`], with a live record left sealed: for a caller
    /// that needs to know the session lives, not what it holds.
    pub async fn find(&self, id: &SessionId, now_ms: i64) -> Result<Lookup<Sealed>, StoreError> {
        let key = key_of(&id.storage_key());
        // Read as of the earliest time, so an expired record that is still
        // stored is seen (and is `Ended`, as a tombstone is) rather than
        // taken for nothing; the expiry is checked here instead.
        Ok(match self.records.get_record(&key, i64::MIN).await? {
            None => Lookup::Absent,
            Some(stored) => classify(stored, now_ms),
        })
    }

    /// Stores a new record (version 1) unless a live one or a tombstone
    /// holds the key: the session's first write.
    pub async fn create(
        &self,
        id: &SessionId,
        record: &SessionRecord,
        now_ms: i64,
    ) -> Result<Versioned, StoreError> {
        let key = key_of(&id.storage_key());
        self.records
            .create_record(&key, &seal(id, record), record.expires_at_ms, now_ms)
            .await?;
        Ok(Versioned {
            record: record.clone(),
            version: 1,
        })
    }

    /// Replaces the record if its stored version is still `expected`;
    /// returns the new version. A tombstone is never replaced this way.
    pub async fn update(
        &self,
        id: &SessionId,
        record: &SessionRecord,
        expected: u64,
    ) -> Result<Versioned, StoreError> {
        let key = key_of(&id.storage_key());
        let version = self
            .records
            .update_record(&key, &seal(id, record), record.expires_at_ms, expected)
            .await?;
        Ok(Versioned {
            record: record.clone(),
            version,
        })
    }

    /// Ends the session stored under `storage_key` (a [`SessionId`]'s
    /// hash): whatever was there is replaced by a tombstone that lives until
    /// `until_ms`, so the id answers 404 until it would have expired anyway.
    /// With `until_ms` already past, the record is simply removed.
    pub async fn end(
        &self,
        storage_key: &str,
        until_ms: i64,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let key = key_of(storage_key);
        if until_ms <= now_ms {
            return self.records.delete_record(&key).await;
        }
        self.records.put_record(&key, ENDED, until_ms).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Role, Secret};
    use crate::protocol::ProtocolVersion;
    use crate::session::{Login, SessionKey};
    use crate::upstream::{Me, TokenSet};

    fn id() -> SessionId {
        SessionKey::generate().issue(0, ProtocolVersion::V2025_11_25, None)
    }

    fn logged_in() -> SessionRecord {
        SessionRecord {
            protocol_version: ProtocolVersion::V2025_11_25,
            owner: Some("owner-hash".into()),
            login: Some(Login {
                tokens: TokenSet {
                    access_token: Secret::new("access-token-in-the-clear"),
                    refresh_token: Some(Secret::new("refresh-token-in-the-clear")),
                    expires_at: Some(1),
                },
                me: Me {
                    user_id: "user-1".into(),
                    email: "someone@example.test".into(),
                    agency_id: "agency".into(),
                    agency_name: "Agency".into(),
                    role: Role::Owner,
                },
            }),
            expires_at_ms: 10,
            touched_at_ms: 0,
            refresh_lease_until_ms: None,
        }
    }

    fn stored(data: Vec<u8>) -> Record {
        Record {
            data,
            version: 3,
            expires_at_ms: 10,
        }
    }

    #[test]
    fn a_sealed_record_opens_for_its_own_id_only_and_shows_nothing() {
        let (mine, other) = (id(), id());
        let record = logged_in();
        let sealed = seal(&mine, &record);
        for needle in ["access-token", "refresh-token", "someone@", "owner-hash"] {
            let clear = sealed.windows(needle.len()).any(|w| w == needle.as_bytes());
            assert!(!clear, "{needle} is in the clear");
        }
        assert_eq!(
            open(&mine, &stored(sealed.clone())),
            Ok(Lookup::Live(Box::new(Versioned { record, version: 3 })))
        );
        assert!(matches!(
            open(&other, &stored(sealed)),
            Err(StoreError::Unavailable(_))
        ));
    }

    #[test]
    fn the_tombstone_is_a_plain_marker_and_damage_is_an_error() {
        let mine = id();
        assert_eq!(open(&mine, &stored(ENDED.to_vec())), Ok(Lookup::Ended));
        assert!(seal(&mine, &logged_in()).len() > ENDED.len());
        assert!(open(&mine, &stored(b"garbage".to_vec())).is_err());
        assert_eq!(key_of("abc"), "session#abc");
    }
}
