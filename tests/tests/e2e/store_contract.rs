//! The storage contract, run once per backend: every case below is a test
//! of its own in `store_contract::memory` and in `store_contract::dynamo`
//! (moto on loopback), so one failing backend never hides the other. A new
//! backend passes this suite by adding one line at the bottom.
//!
//! First the record contract ([`RecordStore`]) itself, then sessions kept
//! through it ([`StoredSessions`]): Absent / Ended / Live, tombstones,
//! expiry on read, conditional updates, and sealing — the bytes a backend
//! holds never show a token, an email or the id.
//!
//! The two race cases (many writers on one version, many creators of one
//! id) run on the memory store only: they test the backend's atomicity,
//! which for DynamoDB is DynamoDB's own, and moto cannot stand in for it —
//! its server handles requests on threads with no lock around a
//! conditional write, so two racers can both win there (seen about once in
//! fifteen loaded runs). That the DynamoDB backend sends the conditions is
//! what the sequential cases check (a stale version, a second create).

use std::sync::Arc;

use malgomo::domain::{Role, Secret};
use malgomo::protocol::ProtocolVersion;
use malgomo::session::{
    Login, Lookup, SessionId, SessionKey, SessionRecord, StoredSessions, Versioned, stored,
};
use malgomo::store::{Record, RecordStore, StoreError};
use malgomo::upstream::{Me, TokenSet};

/// A fixed "now" (Unix ms) for the store calls; the stores take time as an
/// argument, so no clock is involved.
pub const NOW: i64 = 1_700_000_000_000;
/// A lifetime long enough that nothing expires by accident.
pub const HOUR: i64 = 3_600_000;

/// One `#[tokio::test]` per case, in a module per backend; cases after the
/// `;` run on that backend only.
macro_rules! contract_suite {
    ($backend:ident, $fresh:expr; $($only:ident),*) => {
        mod $backend {
            contract_suite!(@cases $fresh;
                record_create_then_get_round_trips,
                record_create_refuses_a_live_record_and_replaces_an_expired_one,
                record_get_checks_expiry_on_read,
                update_needs_the_current_version,
                put_replaces_whatever_is_there_and_takes_no_update,
                delete_removes_and_absent_is_fine,
                increment_counts_within_a_window_then_starts_again,
                session_create_then_get_round_trips_a_login,
                session_without_login_round_trips,
                session_second_create_is_already_exists,
                session_create_over_an_expired_record_succeeds,
                session_get_checks_expiry_on_read,
                session_update_with_the_right_version_bumps_it,
                session_update_with_a_stale_version_is_a_conflict,
                session_update_of_a_missing_record_is_a_conflict,
                session_end_leaves_a_tombstone_until_its_time,
                session_end_of_a_never_stored_session_is_a_tombstone_too,
                session_end_with_a_past_time_removes_the_record,
                session_is_sealed_above_the_store
            );
            $(contract_suite!(@cases $fresh; $only);)*
        }
    };
    (@cases $fresh:expr; $($case:ident),+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let store: std::sync::Arc<dyn malgomo::store::RecordStore> = $fresh;
                super::$case(store).await;
            }
        )+
    };
}

contract_suite!(
    memory,
    std::sync::Arc::new(malgomo::store::MemoryStore::new(1_000));
    concurrent_updates_on_one_version_exactly_one_wins,
    concurrent_creates_of_one_id_exactly_one_wins
);
contract_suite!(
    dynamo,
    std::sync::Arc::new(malgomo_tests::dynamo::fresh_store(None).await);
);

// ------------------------------------------------------------------ helpers

/// A fresh session id (the store does not care which key issued it).
pub fn new_id() -> SessionId {
    SessionKey::generate().issue(NOW, ProtocolVersion::V2025_11_25, None)
}

pub fn record(expires_at_ms: i64) -> SessionRecord {
    SessionRecord {
        protocol_version: ProtocolVersion::NEWEST_SESSIONFUL,
        owner: None,
        login: None,
        expires_at_ms,
        touched_at_ms: NOW,
        refresh_lease_until_ms: None,
    }
}

/// Distinctive secrets, so stored bytes can be searched for them.
pub struct Secrets {
    pub access: String,
    pub refresh: String,
    pub email: String,
}

impl Secrets {
    pub fn fresh() -> Self {
        let tag = new_id().storage_key()[..32].to_owned();
        Self {
            access: format!("eyJhbGciOiJIUzI1NiJ9.access-{tag}"),
            refresh: format!("refresh-{tag}"),
            email: format!("owner@agency-{tag}.test"),
        }
    }

    pub fn login(&self) -> Login {
        Login {
            tokens: TokenSet {
                access_token: Secret::new(self.access.clone()),
                refresh_token: Some(Secret::new(self.refresh.clone())),
                expires_at: Some(NOW / 1000 + 3600),
            },
            me: Me {
                user_id: "6f1c2d8e-0000-4000-8000-000000000001".into(),
                email: self.email.clone(),
                agency_id: "agency-a".into(),
                agency_name: "Agency A".into(),
                role: Role::Owner,
            },
        }
    }
}

pub fn logged_in_record(secrets: &Secrets) -> SessionRecord {
    SessionRecord {
        owner: Some("identity-hash-0123456789abcdef".into()),
        login: Some(secrets.login()),
        refresh_lease_until_ms: Some(NOW + 20_000),
        ..record(NOW + HOUR)
    }
}

/// True when `needle` occurs in `haystack`, ignoring ASCII case.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let lower = haystack.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    lower.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The session's live record, which must be there.
async fn live(sessions: &StoredSessions, id: &SessionId, now_ms: i64) -> Versioned {
    let lookup = sessions.get(id, now_ms).await.expect("the store reads");
    lookup.live().expect("a live session")
}

/// Asserts the live record and version under `id` at `now_ms`.
async fn assert_live(
    sessions: &StoredSessions,
    id: &SessionId,
    now_ms: i64,
    expected: (SessionRecord, u64),
    why: &str,
) {
    let got = live(sessions, id, now_ms).await;
    assert_eq!((got.record, got.version), expected, "{why}");
}

fn key() -> String {
    format!("test#{}", new_id().storage_key())
}

// ----------------------------------------------------------- record contract

async fn record_create_then_get_round_trips(store: Arc<dyn RecordStore>) {
    let key = key();
    let data = [0u8, 1, 2, 255, b'x'];
    store
        .create_record(&key, &data, NOW + HOUR, NOW)
        .await
        .unwrap();
    assert_eq!(
        store.get_record(&key, NOW + 1).await,
        Ok(Some(Record {
            data: data.to_vec(),
            version: 1,
            expires_at_ms: NOW + HOUR
        })),
        "the bytes come back exactly, at version 1, with their expiry"
    );
    assert_eq!(
        store.get_record(&self::key(), NOW).await,
        Ok(None),
        "another key finds nothing"
    );
}

async fn record_create_refuses_a_live_record_and_replaces_an_expired_one(
    store: Arc<dyn RecordStore>,
) {
    let key = key();
    store
        .create_record(&key, b"first", NOW + 1_000, NOW)
        .await
        .unwrap();
    store
        .update_record(&key, b"first", NOW + 1_000, 1)
        .await
        .unwrap();
    assert_eq!(
        store
            .create_record(&key, b"second", NOW + HOUR, NOW + 999)
            .await,
        Err(StoreError::AlreadyExists),
        "create-if-absent refuses a live record"
    );
    let kept = store.get_record(&key, NOW + 999).await.unwrap().unwrap();
    assert_eq!(
        (kept.data.as_slice(), kept.version),
        (&b"first"[..], 2),
        "the refused create changed nothing"
    );
    store
        .create_record(&key, b"third", NOW + HOUR, NOW + 1_000)
        .await
        .expect("an expired (not yet swept) record does not block a create");
    let fresh = store.get_record(&key, NOW + 1_000).await.unwrap().unwrap();
    assert_eq!(
        (fresh.data.as_slice(), fresh.version),
        (&b"third"[..], 1),
        "a new life starts at version 1"
    );
}

async fn record_get_checks_expiry_on_read(store: Arc<dyn RecordStore>) {
    let key = key();
    let expires = NOW + 5_000;
    store.create_record(&key, b"x", expires, NOW).await.unwrap();
    assert!(
        store.get_record(&key, expires - 1).await.unwrap().is_some(),
        "alive 1 ms before"
    );
    assert_eq!(
        store.get_record(&key, expires).await,
        Ok(None),
        "expired at expires_at_ms (still stored: moto never sweeps TTL)"
    );
    assert_eq!(
        store.get_record(&key, expires + 10 * HOUR).await,
        Ok(None),
        "long expired"
    );
    assert_eq!(
        store
            .get_record(&key, i64::MIN)
            .await
            .map(|r| r.map(|r| r.version)),
        Ok(Some(1)),
        "read as of the earliest time, a still-stored expired record is seen (sessions rely on it)"
    );
}

async fn update_needs_the_current_version(store: Arc<dyn RecordStore>) {
    let key = key();
    assert_eq!(
        store.update_record(&key, b"x", NOW + HOUR, 1).await,
        Err(StoreError::Conflict),
        "nothing to update"
    );
    assert_eq!(
        store.get_record(&key, NOW).await,
        Ok(None),
        "a failed update creates nothing"
    );
    store
        .create_record(&key, b"v1", NOW + HOUR, NOW)
        .await
        .unwrap();
    assert_eq!(
        store.update_record(&key, b"v2", NOW + 2 * HOUR, 1).await,
        Ok(2)
    );
    assert_eq!(
        store.update_record(&key, b"v3", NOW + 2 * HOUR, 2).await,
        Ok(3),
        "versions keep counting"
    );
    for stale in [0, 1, 2, 7] {
        assert_eq!(
            store.update_record(&key, b"late", NOW + HOUR, stale).await,
            Err(StoreError::Conflict),
            "version {stale} is not the current one (3)"
        );
    }
    assert_eq!(
        store.get_record(&key, NOW).await,
        Ok(Some(Record {
            data: b"v3".to_vec(),
            version: 3,
            expires_at_ms: NOW + 2 * HOUR
        })),
        "the update moved the expiry; the losing updates changed nothing"
    );
}

async fn put_replaces_whatever_is_there_and_takes_no_update(store: Arc<dyn RecordStore>) {
    let key = key();
    store
        .create_record(&key, b"live", NOW + HOUR, NOW)
        .await
        .unwrap();
    let until = NOW + 5_000;
    store.put_record(&key, b"marker", until).await.unwrap();
    assert_eq!(
        store.get_record(&key, NOW).await,
        Ok(Some(Record {
            data: b"marker".to_vec(),
            version: 0,
            expires_at_ms: until
        })),
        "the put replaced the live record, at version 0"
    );
    for version in [0, 1] {
        assert_eq!(
            store
                .update_record(&key, b"again", NOW + HOUR, version)
                .await,
            Err(StoreError::Conflict),
            "no update (naming {version}) changes a put record"
        );
    }
    assert_eq!(
        store
            .create_record(&key, b"again", NOW + HOUR, NOW + 1)
            .await,
        Err(StoreError::AlreadyExists),
        "a put record blocks a create while it lives"
    );
    store
        .put_record(&key, b"second marker", until + 1)
        .await
        .unwrap();
    assert_eq!(
        store.get_record(&key, NOW).await.unwrap().unwrap().data,
        b"second marker",
        "a put replaces a put"
    );
    store
        .create_record(&key, b"new life", until + HOUR, until + 1)
        .await
        .expect("create after the put expired");
    assert_eq!(
        store
            .get_record(&key, until + 1)
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    // A put on an absent key just stores it.
    let fresh = self::key();
    store.put_record(&fresh, b"marker", until).await.unwrap();
    assert!(store.get_record(&fresh, NOW).await.unwrap().is_some());
}

async fn delete_removes_and_absent_is_fine(store: Arc<dyn RecordStore>) {
    let key = key();
    store
        .delete_record(&key)
        .await
        .expect("deleting nothing is fine");
    store
        .create_record(&key, b"x", NOW + HOUR, NOW)
        .await
        .unwrap();
    store.delete_record(&key).await.unwrap();
    assert_eq!(store.get_record(&key, NOW).await, Ok(None));
    assert_eq!(
        store.update_record(&key, b"y", NOW + HOUR, 1).await,
        Err(StoreError::Conflict),
        "nothing comes back"
    );
    store
        .create_record(&key, b"z", NOW + HOUR, NOW)
        .await
        .expect("the key is free again");
}

async fn increment_counts_within_a_window_then_starts_again(store: Arc<dyn RecordStore>) {
    let key = key();
    let window = NOW + 60_000;
    for expected in 1..=3 {
        assert_eq!(
            store.increment(&key, window, NOW).await,
            Ok(expected),
            "count {expected}"
        );
    }
    assert_eq!(
        store.increment(&self::key(), window, NOW).await,
        Ok(1),
        "counters are per key"
    );
    assert_eq!(
        store.increment(&key, window + 60_000, window).await,
        Ok(1),
        "an expired window starts again at 1"
    );
    assert_eq!(
        store.increment(&key, window + 60_000, window + 1).await,
        Ok(2)
    );
}

// ---------------------------------------------------------- session contract

async fn session_create_then_get_round_trips_a_login(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    let stored = logged_in_record(&Secrets::fresh());
    assert_eq!(
        sessions.create(&id, &stored, NOW).await,
        Ok(Versioned {
            record: stored.clone(),
            version: 1
        }),
        "create answers version 1 and the record"
    );
    assert_eq!(
        sessions.get(&id, NOW + 1).await.map(Lookup::live),
        Ok(Some(Versioned {
            record: stored.clone(),
            version: 1
        })),
        "get returns exactly what was created (login, Me, owner, lease)"
    );
    assert_eq!(
        sessions.get(&new_id(), NOW + 1).await,
        Ok(Lookup::Absent),
        "an unknown id finds nothing"
    );
}

async fn session_without_login_round_trips(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    let plain = record(NOW + HOUR);
    sessions.create(&id, &plain, NOW).await.unwrap();
    let got = sessions.get(&id, NOW).await.map(Lookup::live).unwrap();
    assert_eq!(got.map(|v| (v.record, v.version)), Some((plain, 1)));
}

async fn session_second_create_is_already_exists(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    let first = record(NOW + HOUR);
    sessions.create(&id, &first, NOW).await.unwrap();
    let second = SessionRecord {
        owner: Some("someone-else".into()),
        ..record(NOW + 2 * HOUR)
    };
    assert_eq!(
        sessions.create(&id, &second, NOW + 1).await,
        Err(StoreError::AlreadyExists)
    );
    assert_live(
        &sessions,
        &id,
        NOW + 1,
        (first, 1),
        "the refused create changed nothing",
    )
    .await;
}

async fn session_create_over_an_expired_record_succeeds(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    sessions
        .create(&id, &record(NOW + 1_000), NOW)
        .await
        .unwrap();
    // Bump the old record's version, so a "fresh" version 1 is visible.
    sessions.update(&id, &record(NOW + 1_000), 1).await.unwrap();
    let later = NOW + 1_000;
    let fresh = SessionRecord {
        owner: Some("new-owner".into()),
        ..record(later + HOUR)
    };
    assert_eq!(
        sessions.create(&id, &fresh, later).await,
        Ok(Versioned {
            record: fresh.clone(),
            version: 1
        }),
        "an expired (not yet swept) record does not block a create"
    );
    assert_live(
        &sessions,
        &id,
        later,
        (fresh, 1),
        "the new record replaced the expired one",
    )
    .await;
}

async fn session_get_checks_expiry_on_read(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    let expires = NOW + 5_000;
    sessions.create(&id, &record(expires), NOW).await.unwrap();
    assert!(
        sessions
            .get(&id, expires - 1)
            .await
            .unwrap()
            .live()
            .is_some(),
        "alive 1 ms before its expiry"
    );
    assert_eq!(
        sessions.get(&id, expires).await,
        Ok(Lookup::Ended),
        "expired at expires_at_ms"
    );
    assert_eq!(
        sessions.get(&id, expires + 10 * HOUR).await,
        Ok(Lookup::Ended),
        "long expired"
    );
}

async fn session_update_with_the_right_version_bumps_it(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    sessions
        .create(&id, &record(NOW + HOUR), NOW)
        .await
        .unwrap();
    let changed = logged_in_record(&Secrets::fresh());
    assert_eq!(
        sessions.update(&id, &changed, 1).await,
        Ok(Versioned {
            record: changed.clone(),
            version: 2
        }),
        "update answers version + 1 and the new record"
    );
    assert_eq!(
        sessions.get(&id, NOW).await.map(Lookup::live),
        Ok(Some(Versioned {
            record: changed.clone(),
            version: 2
        })),
        "get sees the update"
    );
    let cleared = SessionRecord {
        login: None,
        refresh_lease_until_ms: None,
        ..changed
    };
    assert_eq!(
        sessions.update(&id, &cleared, 2).await.map(|v| v.version),
        Ok(3)
    );
    assert_live(
        &sessions,
        &id,
        NOW,
        (cleared, 3),
        "a removed login and lease are gone after update",
    )
    .await;
}

async fn session_update_with_a_stale_version_is_a_conflict(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    let original = record(NOW + HOUR);
    sessions.create(&id, &original, NOW).await.unwrap();
    let first = SessionRecord {
        owner: Some("first".into()),
        ..original.clone()
    };
    sessions.update(&id, &first, 1).await.unwrap();
    let late = SessionRecord {
        owner: Some("late".into()),
        ..original
    };
    for stale in [1, 7] {
        assert_eq!(
            sessions.update(&id, &late, stale).await,
            Err(StoreError::Conflict),
            "v{stale}"
        );
    }
    assert_live(
        &sessions,
        &id,
        NOW,
        (first, 2),
        "the losing updates changed nothing",
    )
    .await;
}

async fn session_update_of_a_missing_record_is_a_conflict(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    assert_eq!(
        sessions.update(&id, &record(NOW + HOUR), 1).await,
        Err(StoreError::Conflict)
    );
    assert_eq!(
        sessions.get(&id, NOW).await,
        Ok(Lookup::Absent),
        "a failed update creates nothing"
    );
    sessions
        .create(&id, &record(NOW + HOUR), NOW)
        .await
        .unwrap();
    sessions.end(&id.storage_key(), NOW, NOW).await.unwrap();
    assert_eq!(
        sessions.update(&id, &record(NOW + HOUR), 1).await,
        Err(StoreError::Conflict),
        "update after removal"
    );
    assert_eq!(sessions.get(&id, NOW).await, Ok(Lookup::Absent));
}

async fn session_end_leaves_a_tombstone_until_its_time(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let (id, other) = (new_id(), new_id());
    sessions
        .create(&id, &record(NOW + HOUR), NOW)
        .await
        .unwrap();
    sessions
        .create(&other, &record(NOW + HOUR), NOW)
        .await
        .unwrap();
    let until = NOW + 5_000;
    sessions.end(&id.storage_key(), until, NOW).await.unwrap();
    assert_eq!(
        sessions.get(&id, NOW).await,
        Ok(Lookup::Ended),
        "the session reads as ended"
    );
    assert_eq!(
        sessions.create(&id, &record(NOW + HOUR), NOW + 1).await,
        Err(StoreError::AlreadyExists),
        "the tombstone blocks a first write"
    );
    assert_eq!(
        sessions.update(&id, &record(NOW + HOUR), 1).await,
        Err(StoreError::Conflict),
        "and an update of the old version"
    );
    assert!(
        sessions.get(&other, NOW).await.unwrap().live().is_some(),
        "another session is untouched"
    );
    assert_eq!(
        sessions
            .create(&id, &record(until + HOUR), until)
            .await
            .map(|v| v.version),
        Ok(1),
        "past its time the tombstone no longer blocks the key"
    );
}

async fn session_end_of_a_never_stored_session_is_a_tombstone_too(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    assert_eq!(sessions.get(&id, NOW).await, Ok(Lookup::Absent));
    sessions
        .end(&id.storage_key(), NOW + HOUR, NOW)
        .await
        .unwrap();
    assert_eq!(sessions.get(&id, NOW).await, Ok(Lookup::Ended));
}

async fn session_end_with_a_past_time_removes_the_record(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store.clone());
    let id = new_id();
    sessions
        .create(&id, &record(NOW + HOUR), NOW)
        .await
        .unwrap();
    sessions.end(&id.storage_key(), NOW, NOW).await.unwrap();
    assert_eq!(
        sessions.get(&id, NOW).await,
        Ok(Lookup::Absent),
        "nothing is left behind"
    );
    let key = stored::key_of(&id.storage_key());
    assert_eq!(
        store.get_record(&key, NOW - HOUR).await,
        Ok(None),
        "not even an expired record"
    );
}

/// What the backend holds of a session, read raw through the trait: the
/// key is the id's hash, and the bytes show no token, email, owner or id —
/// after a create, an update that rotates the tokens, and an end.
async fn session_is_sealed_above_the_store(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store.clone());
    let id = new_id();
    let (first, rotated) = (Secrets::fresh(), Secrets::fresh());
    let key = stored::key_of(&id.storage_key());
    assert!(
        key.starts_with("session#") && !key.contains(id.expose()),
        "{key}"
    );
    let mut record = logged_in_record(&first);
    sessions.create(&id, &record, NOW).await.unwrap();
    let created = store
        .get_record(&key, NOW)
        .await
        .unwrap()
        .expect("stored under session#<hash>");
    record.login = Some(rotated.login());
    sessions.update(&id, &record, 1).await.unwrap();
    let updated = store.get_record(&key, NOW).await.unwrap().unwrap();
    for (when, raw) in [("created", &created), ("updated", &updated)] {
        for (what, needle) in [
            ("access token", &first.access),
            ("refresh token", &first.refresh),
            ("email", &first.email),
            ("rotated access token", &rotated.access),
            ("rotated refresh token", &rotated.refresh),
            ("rotated email", &rotated.email),
            ("owner", &"identity-hash-0123456789abcdef".to_owned()),
            ("session id", &id.expose().to_owned()),
            ("agency", &"Agency A".to_owned()),
        ] {
            assert!(
                !contains(&raw.data, needle.as_bytes()),
                "{when}: the backend holds the {what} in the clear"
            );
        }
    }
    // Only this id opens it; a copy under another session's key does not.
    let other = new_id();
    assert!(
        stored::open(&other, &updated).is_err(),
        "another id's key does not open it"
    );
    assert!(
        sessions.get(&id, NOW).await.unwrap().live().is_some(),
        "its own id opens it"
    );
    // The tombstone holds nothing of the session.
    sessions
        .end(&id.storage_key(), NOW + HOUR, NOW)
        .await
        .unwrap();
    let tombstone = store.get_record(&key, NOW).await.unwrap().unwrap();
    assert_eq!(tombstone.data, b"ended", "a tombstone is the plain marker");
}

/// `tasks` writes of one session, each with its own record (owner
/// `task-<n>`), released together by a barrier; their outcomes by task.
async fn race(
    sessions: &StoredSessions,
    id: &SessionId,
    tasks: usize,
    create: bool,
) -> Vec<Result<Versioned, StoreError>> {
    let barrier = Arc::new(tokio::sync::Barrier::new(tasks));
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let (sessions, id, barrier) = (sessions.clone(), id.clone(), barrier.clone());
            tokio::spawn(async move {
                let mine = SessionRecord {
                    owner: Some(format!("task-{task}")),
                    ..record(NOW + HOUR)
                };
                barrier.wait().await;
                match create {
                    true => sessions.create(&id, &mine, NOW).await,
                    false => sessions.update(&id, &mine, 1).await,
                }
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for handle in handles {
        outcomes.push(handle.await.expect("task finishes"));
    }
    outcomes
}

async fn concurrent_updates_on_one_version_exactly_one_wins(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    sessions
        .create(&id, &record(NOW + HOUR), NOW)
        .await
        .unwrap();
    let mut winners = Vec::new();
    for (task, outcome) in race(&sessions, &id, 12, false)
        .await
        .into_iter()
        .enumerate()
    {
        match outcome {
            Ok(stored) => {
                assert_eq!(stored.version, 2, "the winner gets version 2");
                winners.push(task);
            }
            Err(StoreError::Conflict) => {}
            Err(other) => panic!("task {task} failed with {other:?}"),
        }
    }
    assert_eq!(
        winners.len(),
        1,
        "exactly one of 12 concurrent updates wins, got {winners:?}"
    );
    let got = live(&sessions, &id, NOW).await;
    assert_eq!(
        (got.record.owner, got.version),
        (Some(format!("task-{}", winners[0])), 2),
        "the stored record is the winner's"
    );
}

async fn concurrent_creates_of_one_id_exactly_one_wins(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store);
    let id = new_id();
    let mut created = 0;
    for outcome in race(&sessions, &id, 8, true).await {
        match outcome {
            Ok(_) => created += 1,
            Err(StoreError::AlreadyExists) => {}
            Err(other) => panic!("create failed with {other:?}"),
        }
    }
    assert_eq!(created, 1, "exactly one create-if-absent wins");
}
