//! Sessions kept through the record contract ([`StoredSessions`]): Absent /
//! Ended / Live, tombstones, expiry on read, conditional updates.

use std::sync::Arc;

use malgomo::session::{Lookup, SessionRecord, StoredSessions, Versioned, stored};
use malgomo::store::{RecordStore, StoreError};

use super::*;

pub(super) async fn session_create_then_get_round_trips_a_login(store: Arc<dyn RecordStore>) {
    let (sessions, id) = sessions_and_id(store);
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

pub(super) async fn session_without_login_round_trips(store: Arc<dyn RecordStore>) {
    let (sessions, id) = sessions_and_id(store);
    let plain = record(NOW + HOUR);
    sessions.create(&id, &plain, NOW).await.unwrap();
    let got = sessions.get(&id, NOW).await.map(Lookup::live).unwrap();
    assert_eq!(got.map(|v| (v.record, v.version)), Some((plain, 1)));
}

pub(super) async fn session_second_create_is_already_exists(store: Arc<dyn RecordStore>) {
    let (sessions, id) = sessions_and_id(store);
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

pub(super) async fn session_create_over_an_expired_record_succeeds(store: Arc<dyn RecordStore>) {
    let (sessions, id) = sessions_and_id(store);
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

pub(super) async fn session_get_checks_expiry_on_read(store: Arc<dyn RecordStore>) {
    let (sessions, id) = sessions_and_id(store);
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

pub(super) async fn session_update_with_the_right_version_bumps_it(store: Arc<dyn RecordStore>) {
    let (sessions, id) = sessions_and_id(store);
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

pub(super) async fn session_update_with_a_stale_version_is_a_conflict(store: Arc<dyn RecordStore>) {
    let (sessions, id) = sessions_and_id(store);
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

pub(super) async fn session_update_of_a_missing_record_is_a_conflict(store: Arc<dyn RecordStore>) {
    let (sessions, id) = sessions_and_id(store);
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

pub(super) async fn session_end_leaves_a_tombstone_until_its_time(store: Arc<dyn RecordStore>) {
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

pub(super) async fn session_end_of_a_never_stored_session_is_a_tombstone_too(
    store: Arc<dyn RecordStore>,
) {
    let (sessions, id) = sessions_and_id(store);
    assert_eq!(sessions.get(&id, NOW).await, Ok(Lookup::Absent));
    sessions
        .end(&id.storage_key(), NOW + HOUR, NOW)
        .await
        .unwrap();
    assert_eq!(sessions.get(&id, NOW).await, Ok(Lookup::Ended));
}

pub(super) async fn session_end_with_a_past_time_removes_the_record(store: Arc<dyn RecordStore>) {
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
