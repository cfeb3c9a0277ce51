//! The record contract ([`RecordStore`]): create, get, update, put, delete and
//! the counter, with expiry checked on every read.

use std::sync::Arc;

use malgomo::store::{Record, RecordStore, StoreError};

use super::*;

pub(super) async fn record_create_then_get_round_trips(store: Arc<dyn RecordStore>) {
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

pub(super) async fn record_create_refuses_a_live_record_and_replaces_an_expired_one(
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

pub(super) async fn record_get_checks_expiry_on_read(store: Arc<dyn RecordStore>) {
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

pub(super) async fn update_needs_the_current_version(store: Arc<dyn RecordStore>) {
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

pub(super) async fn put_replaces_whatever_is_there_and_takes_no_update(
    store: Arc<dyn RecordStore>,
) {
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

pub(super) async fn delete_removes_and_absent_is_fine(store: Arc<dyn RecordStore>) {
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

pub(super) async fn increment_counts_within_a_window_then_starts_again(
    store: Arc<dyn RecordStore>,
) {
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
