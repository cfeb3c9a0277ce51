//! One behaviour suite for the session store, run against both
//! implementations: the embedded `MemoryStore` and the `DynamoStore` on a
//! DynamoDB wire-protocol server on loopback (moto). Then the checks that
//! only one of them has: the memory cap, and for DynamoDB the table dump
//! (no plaintext secret), the TTL attribute, and table set-up.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType,
};
use malgomo::domain::{Role, Secret};
use malgomo::protocol::ProtocolVersion;
use malgomo::session::{Login, SessionId, SessionKey, SessionRecord};
use malgomo::store::{DynamoStore, Lookup, MemoryStore, SessionStore, StoreError, Versioned};
use malgomo::upstream::{Me, TokenSet};
use malgomo_tests::dynamo;

/// A fixed "now" (Unix ms) for the store calls; the stores take time as an
/// argument, so no clock is involved.
const NOW: i64 = 1_700_000_000_000;
/// A lifetime long enough that nothing expires by accident.
const HOUR: i64 = 3_600_000;

type Named = (&'static str, Arc<dyn SessionStore>);

/// Both stores, fresh: a memory store with room to spare and a DynamoDB
/// store on its own table.
async fn stores() -> Vec<Named> {
    vec![
        ("memory", Arc::new(MemoryStore::new(1_000))),
        ("dynamodb", Arc::new(dynamo::fresh_store(None).await)),
    ]
}

/// A fresh session id (the store does not care which key issued it).
fn new_id() -> SessionId {
    SessionKey::generate().issue(NOW, ProtocolVersion::V2025_11_25, None)
}

fn record(expires_at_ms: i64) -> SessionRecord {
    SessionRecord {
        protocol_version: ProtocolVersion::NEWEST_SESSIONFUL,
        owner: None,
        login: None,
        expires_at_ms,
        touched_at_ms: NOW,
        refresh_lease_until_ms: None,
    }
}

/// Distinctive secrets, so a dump can be searched for them.
struct Secrets {
    access: String,
    refresh: String,
    email: String,
}

impl Secrets {
    fn new() -> Self {
        let tag = new_id().storage_key()[..32].to_owned();
        Self {
            access: format!("eyJhbGciOiJIUzI1NiJ9.access-{tag}"),
            refresh: format!("refresh-{tag}"),
            email: format!("owner@agency-{tag}.test"),
        }
    }

    fn login(&self) -> Login {
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

fn logged_in_record(secrets: &Secrets) -> SessionRecord {
    SessionRecord {
        owner: Some("identity-hash-0123456789abcdef".into()),
        login: Some(secrets.login()),
        refresh_lease_until_ms: Some(NOW + 20_000),
        ..record(NOW + HOUR)
    }
}

// ---------------------------------------------------------------- both stores

#[tokio::test]
async fn create_then_get_round_trips_a_login() {
    for (name, store) in stores().await {
        let id = new_id();
        let secrets = Secrets::new();
        let stored = logged_in_record(&secrets);
        let created = store.create(&id, &stored, NOW).await;
        assert_eq!(
            created,
            Ok(Versioned {
                record: stored.clone(),
                version: 1
            }),
            "{name}: create answers version 1 and the record"
        );
        let got = store.get(&id, NOW + 1).await.map(Lookup::live);
        assert_eq!(
            got,
            Ok(Some(Versioned {
                record: stored.clone(),
                version: 1
            })),
            "{name}: get returns exactly what was created (login, Me, owner, lease)"
        );
        // Another id finds nothing: records are keyed by their own id.
        assert_eq!(
            store.get(&new_id(), NOW + 1).await.map(Lookup::live),
            Ok(None),
            "{name}: an unknown id finds nothing"
        );
    }
}

#[tokio::test]
async fn create_without_login_round_trips() {
    for (name, store) in stores().await {
        let id = new_id();
        let plain = record(NOW + HOUR);
        store.create(&id, &plain, NOW).await.unwrap();
        let got = store.get(&id, NOW).await.map(Lookup::live).unwrap();
        assert_eq!(
            got.map(|v| (v.record, v.version)),
            Some((plain, 1)),
            "{name}: a record without login round-trips"
        );
    }
}

#[tokio::test]
async fn second_create_with_the_same_id_is_already_exists() {
    for (name, store) in stores().await {
        let id = new_id();
        let first = record(NOW + HOUR);
        store.create(&id, &first, NOW).await.unwrap();
        let second = SessionRecord {
            owner: Some("someone-else".into()),
            ..record(NOW + 2 * HOUR)
        };
        assert_eq!(
            store.create(&id, &second, NOW + 1).await,
            Err(StoreError::AlreadyExists),
            "{name}: create-if-absent refuses a live record"
        );
        let kept = store
            .get(&id, NOW + 1)
            .await
            .map(Lookup::live)
            .unwrap()
            .unwrap();
        assert_eq!(
            (kept.record, kept.version),
            (first, 1),
            "{name}: the refused create changed nothing"
        );
    }
}

#[tokio::test]
async fn create_over_an_expired_record_succeeds() {
    for (name, store) in stores().await {
        let id = new_id();
        store.create(&id, &record(NOW + 1_000), NOW).await.unwrap();
        // Bump the old record's version, so a "fresh" version 1 is visible.
        store.update(&id, &record(NOW + 1_000), 1).await.unwrap();
        let later = NOW + 1_000;
        let fresh = SessionRecord {
            owner: Some("new-owner".into()),
            ..record(later + HOUR)
        };
        assert_eq!(
            store.create(&id, &fresh, later).await,
            Ok(Versioned {
                record: fresh.clone(),
                version: 1
            }),
            "{name}: an expired (not yet swept) record does not block a create"
        );
        let got = store
            .get(&id, later)
            .await
            .map(Lookup::live)
            .unwrap()
            .unwrap();
        assert_eq!(
            (got.record, got.version),
            (fresh, 1),
            "{name}: the new record replaced the expired one"
        );
    }
}

#[tokio::test]
async fn get_checks_expiry_on_read() {
    for (name, store) in stores().await {
        let id = new_id();
        let expires = NOW + 5_000;
        store.create(&id, &record(expires), NOW).await.unwrap();
        assert!(
            store
                .get(&id, expires - 1)
                .await
                .map(Lookup::live)
                .unwrap()
                .is_some(),
            "{name}: alive 1 ms before its expiry"
        );
        assert_eq!(
            store.get(&id, expires).await.map(Lookup::live),
            Ok(None),
            "{name}: expired at expires_at_ms (the record is still stored; moto never sweeps TTL)"
        );
        assert_eq!(
            store.get(&id, expires + 10 * HOUR).await.map(Lookup::live),
            Ok(None),
            "{name}: long expired"
        );
    }
}

#[tokio::test]
async fn update_with_the_right_version_bumps_it() {
    for (name, store) in stores().await {
        let id = new_id();
        store.create(&id, &record(NOW + HOUR), NOW).await.unwrap();
        let secrets = Secrets::new();
        let changed = logged_in_record(&secrets);
        assert_eq!(
            store.update(&id, &changed, 1).await,
            Ok(Versioned {
                record: changed.clone(),
                version: 2
            }),
            "{name}: update answers version + 1 and the new record"
        );
        assert_eq!(
            store.get(&id, NOW).await.map(Lookup::live),
            Ok(Some(Versioned {
                record: changed.clone(),
                version: 2
            })),
            "{name}: get sees the update"
        );
        // And again: versions keep counting.
        let cleared = SessionRecord {
            login: None,
            refresh_lease_until_ms: None,
            ..changed
        };
        assert_eq!(
            store.update(&id, &cleared, 2).await.map(|v| v.version),
            Ok(3),
            "{name}: second update"
        );
        let got = store
            .get(&id, NOW)
            .await
            .map(Lookup::live)
            .unwrap()
            .unwrap();
        assert_eq!(
            (got.record, got.version),
            (cleared, 3),
            "{name}: a removed login and lease are gone after update"
        );
    }
}

#[tokio::test]
async fn update_with_a_stale_version_is_a_conflict() {
    for (name, store) in stores().await {
        let id = new_id();
        let original = record(NOW + HOUR);
        store.create(&id, &original, NOW).await.unwrap();
        let first = SessionRecord {
            owner: Some("first".into()),
            ..original.clone()
        };
        store.update(&id, &first, 1).await.unwrap();
        let late = SessionRecord {
            owner: Some("late".into()),
            ..original.clone()
        };
        assert_eq!(
            store.update(&id, &late, 1).await,
            Err(StoreError::Conflict),
            "{name}: version 1 is stale after one update"
        );
        assert_eq!(
            store.update(&id, &late, 7).await,
            Err(StoreError::Conflict),
            "{name}: a version from the future is a conflict too"
        );
        let got = store
            .get(&id, NOW)
            .await
            .map(Lookup::live)
            .unwrap()
            .unwrap();
        assert_eq!(
            (got.record, got.version),
            (first, 2),
            "{name}: the losing updates changed nothing"
        );
    }
}

#[tokio::test]
async fn update_of_a_missing_record_is_a_conflict() {
    for (name, store) in stores().await {
        let id = new_id();
        assert_eq!(
            store.update(&id, &record(NOW + HOUR), 1).await,
            Err(StoreError::Conflict),
            "{name}: nothing to update"
        );
        assert_eq!(
            store.get(&id, NOW).await.map(Lookup::live),
            Ok(None),
            "{name}: a failed update does not create the record"
        );
        // Nor after the record is removed.
        store.create(&id, &record(NOW + HOUR), NOW).await.unwrap();
        store.end(&id.storage_key(), NOW, NOW).await.unwrap();
        assert_eq!(
            store.update(&id, &record(NOW + HOUR), 1).await,
            Err(StoreError::Conflict),
            "{name}: update after removal"
        );
        assert_eq!(
            store.get(&id, NOW).await.map(Lookup::live),
            Ok(None),
            "{name}"
        );
    }
}

#[tokio::test]
async fn end_leaves_a_tombstone_until_its_time() {
    for (name, store) in stores().await {
        let id = new_id();
        let other = new_id();
        store.create(&id, &record(NOW + HOUR), NOW).await.unwrap();
        store
            .create(&other, &record(NOW + HOUR), NOW)
            .await
            .unwrap();
        let until = NOW + 5_000;
        store.end(&id.storage_key(), until, NOW).await.unwrap();
        assert_eq!(
            store.get(&id, NOW).await,
            Ok(Lookup::Ended),
            "{name}: the session reads as ended"
        );
        assert_eq!(
            store.create(&id, &record(NOW + HOUR), NOW + 1).await,
            Err(StoreError::AlreadyExists),
            "{name}: the tombstone blocks a first write"
        );
        assert_eq!(
            store.update(&id, &record(NOW + HOUR), 1).await,
            Err(StoreError::Conflict),
            "{name}: and an update of the old version"
        );
        assert!(
            store
                .get(&other, NOW)
                .await
                .map(Lookup::live)
                .unwrap()
                .is_some(),
            "{name}: another session is untouched"
        );
        // Past its time the tombstone no longer blocks the key.
        assert_eq!(
            store
                .create(&id, &record(until + HOUR), until)
                .await
                .map(|v| v.version),
            Ok(1),
            "{name}: create after the tombstone's time"
        );
    }
}

#[tokio::test]
async fn end_of_a_never_stored_session_is_a_tombstone_too() {
    for (name, store) in stores().await {
        let id = new_id();
        assert_eq!(store.get(&id, NOW).await, Ok(Lookup::Absent), "{name}");
        store.end(&id.storage_key(), NOW + HOUR, NOW).await.unwrap();
        assert_eq!(store.get(&id, NOW).await, Ok(Lookup::Ended), "{name}");
    }
}

#[tokio::test]
async fn end_with_a_past_time_removes_the_record() {
    for (name, store) in stores().await {
        let id = new_id();
        store.create(&id, &record(NOW + HOUR), NOW).await.unwrap();
        store.end(&id.storage_key(), NOW, NOW).await.unwrap();
        assert_eq!(
            store.get(&id, NOW).await,
            Ok(Lookup::Absent),
            "{name}: nothing is left behind"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_updates_on_one_version_exactly_one_wins() {
    const TASKS: usize = 12;
    for (name, store) in stores().await {
        let id = new_id();
        store.create(&id, &record(NOW + HOUR), NOW).await.unwrap();
        let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|task| {
                let (store, id, barrier) = (store.clone(), id.clone(), barrier.clone());
                tokio::spawn(async move {
                    let mine = SessionRecord {
                        owner: Some(format!("task-{task}")),
                        ..record(NOW + HOUR)
                    };
                    barrier.wait().await;
                    (task, store.update(&id, &mine, 1).await)
                })
            })
            .collect();
        let mut winners = Vec::new();
        for handle in tasks {
            let (task, outcome) = handle.await.expect("task finishes");
            match outcome {
                Ok(stored) => {
                    assert_eq!(stored.version, 2, "{name}: the winner gets version 2");
                    winners.push(task);
                }
                Err(StoreError::Conflict) => {}
                Err(other) => panic!("{name}: task {task} failed with {other:?}"),
            }
        }
        assert_eq!(
            winners.len(),
            1,
            "{name}: exactly one of {TASKS} concurrent updates wins, got {winners:?}"
        );
        let got = store
            .get(&id, NOW)
            .await
            .map(Lookup::live)
            .unwrap()
            .unwrap();
        assert_eq!(
            (got.record.owner, got.version),
            (Some(format!("task-{}", winners[0])), 2),
            "{name}: the stored record is the winner's"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_of_one_id_exactly_one_wins() {
    const TASKS: usize = 8;
    for (name, store) in stores().await {
        let id = new_id();
        let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|task| {
                let (store, id, barrier) = (store.clone(), id.clone(), barrier.clone());
                tokio::spawn(async move {
                    let mine = SessionRecord {
                        owner: Some(format!("task-{task}")),
                        ..record(NOW + HOUR)
                    };
                    barrier.wait().await;
                    store.create(&id, &mine, NOW).await
                })
            })
            .collect();
        let mut created = 0;
        for handle in tasks {
            match handle.await.expect("task finishes") {
                Ok(_) => created += 1,
                Err(StoreError::AlreadyExists) => {}
                Err(other) => panic!("{name}: create failed with {other:?}"),
            }
        }
        assert_eq!(created, 1, "{name}: exactly one create-if-absent wins");
    }
}

// ---------------------------------------------------------------- memory only

/// The memory store's `MAX_SESSIONS` bounds the stored (logged-in)
/// sessions of the process; tombstones and expired records do not count.
#[tokio::test]
async fn memory_store_refuses_beyond_the_cap_until_sessions_expire() {
    let store = MemoryStore::new(2);
    let short = record(NOW + 1_000);
    store.create(&new_id(), &short, NOW).await.unwrap();
    let long_lived = new_id();
    store
        .create(&long_lived, &record(NOW + HOUR), NOW)
        .await
        .unwrap();
    assert_eq!(
        store.create(&new_id(), &record(NOW + HOUR), NOW).await,
        Err(StoreError::Full(2)),
        "the third live session is refused"
    );
    // Ending a session frees room (its tombstone does not count).
    store
        .end(&long_lived.storage_key(), NOW + HOUR, NOW)
        .await
        .unwrap();
    let third = new_id();
    store
        .create(&third, &record(NOW + HOUR), NOW)
        .await
        .expect("room after an end");
    assert_eq!(
        store.create(&new_id(), &record(NOW + HOUR), NOW).await,
        Err(StoreError::Full(2)),
        "full again"
    );
    // Once the short one has expired it no longer counts.
    let later = NOW + 1_000;
    store
        .create(&new_id(), &record(later + HOUR), later)
        .await
        .expect("an expired session frees room");
    assert!(store.get(&third, later).await.unwrap().live().is_some());
}

// -------------------------------------------------------------- DynamoDB only

type Item = HashMap<String, AttributeValue>;

async fn scan(store: &DynamoStore) -> Vec<Item> {
    let client = dynamo::client(None).await;
    let mut items = Vec::new();
    let mut start: Option<Item> = None;
    loop {
        let page = client
            .scan()
            .table_name(store.table())
            .consistent_read(true)
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .expect("scan the table");
        items.extend(page.items().iter().cloned());
        match page.last_evaluated_key() {
            Some(key) if !key.is_empty() => start = Some(key.clone()),
            _ => return items,
        }
    }
}

/// Every piece of an attribute value, as bytes: strings, numbers, binary
/// (raw, as stored), and everything nested.
fn pieces(value: &AttributeValue, out: &mut Vec<Vec<u8>>) {
    match value {
        AttributeValue::S(s) | AttributeValue::N(s) => out.push(s.as_bytes().to_vec()),
        AttributeValue::B(b) => out.push(b.as_ref().to_vec()),
        AttributeValue::Ss(list) | AttributeValue::Ns(list) => {
            out.extend(list.iter().map(|s| s.as_bytes().to_vec()))
        }
        AttributeValue::Bs(list) => out.extend(list.iter().map(|b| b.as_ref().to_vec())),
        AttributeValue::L(list) => list.iter().for_each(|v| pieces(v, out)),
        AttributeValue::M(map) => map.iter().for_each(|(k, v)| {
            out.push(k.as_bytes().to_vec());
            pieces(v, out);
        }),
        other => out.push(format!("{other:?}").into_bytes()),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let lower = haystack.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    lower.windows(needle.len()).any(|w| w == needle.as_slice())
}

#[tokio::test]
async fn dynamodb_dump_shows_no_plaintext_secret() {
    let store = dynamo::fresh_store(None).await;
    let mut needles: Vec<(String, String)> = vec![("owner@".into(), "owner@".into())];
    let mut ids = Vec::new();
    // The suite's writes: a login created, a login updated in, a refresh
    // rotated in, and one deleted.
    for round in 0..3 {
        let id = new_id();
        let secrets = Secrets::new();
        match round {
            0 => {
                store
                    .create(&id, &logged_in_record(&secrets), NOW)
                    .await
                    .unwrap();
            }
            _ => {
                store.create(&id, &record(NOW + HOUR), NOW).await.unwrap();
                store
                    .update(&id, &logged_in_record(&secrets), 1)
                    .await
                    .unwrap();
            }
        }
        if round == 2 {
            let rotated = Secrets::new();
            let mut again = logged_in_record(&secrets);
            again.login = Some(rotated.login());
            store.update(&id, &again, 2).await.unwrap();
            needles.push(("rotated access token".into(), rotated.access.clone()));
            needles.push(("rotated refresh token".into(), rotated.refresh.clone()));
            needles.push(("rotated email".into(), rotated.email.clone()));
        }
        needles.push((format!("session id {round}"), id.expose().to_owned()));
        needles.push((
            format!("session id {round} without hyphens"),
            id.expose().replace('-', ""),
        ));
        needles.push((format!("access token {round}"), secrets.access.clone()));
        needles.push((format!("refresh token {round}"), secrets.refresh.clone()));
        needles.push((format!("email {round}"), secrets.email.clone()));
        ids.push(id);
    }
    let items = scan(&store).await;
    assert_eq!(items.len(), 3, "three sessions stored: {items:?}");
    for item in &items {
        let mut all = Vec::new();
        for (name, value) in item {
            all.push(name.as_bytes().to_vec());
            pieces(value, &mut all);
        }
        for (what, needle) in &needles {
            for piece in &all {
                assert!(
                    !contains(piece, needle.as_bytes()),
                    "the table dump shows the {what} in plaintext: {item:?}"
                );
            }
        }
        // The key is the hash, and the login is an opaque blob.
        let Some(AttributeValue::S(pk)) = item.get("pk") else {
            panic!("no string pk: {item:?}");
        };
        assert!(
            ids.iter()
                .any(|id| *pk == format!("session#{}", id.storage_key())),
            "pk is session#<sha256>: {pk}"
        );
        assert!(
            matches!(item.get("login"), Some(AttributeValue::B(_))),
            "the login is stored sealed (binary): {item:?}"
        );
    }
    // And the sealed logins still open for their own id.
    for id in &ids {
        let got = store.get(id, NOW).await.map(Lookup::live).unwrap().unwrap();
        assert!(got.record.login.is_some(), "the login opens again");
    }
}

fn ttl_of(item: &Item) -> i64 {
    match item.get("ttl") {
        Some(AttributeValue::N(n)) => n.parse().expect("ttl is an integer"),
        other => panic!("ttl must be a number attribute, got {other:?}"),
    }
}

async fn raw_item(store: &DynamoStore, id: &SessionId) -> Item {
    dynamo::client(None)
        .await
        .get_item()
        .table_name(store.table())
        .key(
            "pk",
            AttributeValue::S(format!("session#{}", id.storage_key())),
        )
        .consistent_read(true)
        .send()
        .await
        .expect("raw get")
        .item()
        .cloned()
        .expect("the item is there")
}

#[tokio::test]
async fn dynamodb_ttl_is_a_number_in_epoch_seconds() {
    let store = dynamo::fresh_store(None).await;
    let id = new_id();
    let expires = NOW + HOUR + 123;
    store.create(&id, &record(expires), NOW).await.unwrap();
    let ttl = ttl_of(&raw_item(&store, &id).await);
    assert!(
        (ttl - expires / 1000).abs() <= 1,
        "ttl {ttl} is epoch seconds ≈ {} (expires_at_ms / 1000)",
        expires / 1000
    );
    assert!(
        ttl >= expires.div_euclid(1000),
        "ttl {ttl} never makes DynamoDB delete before the record expires ({expires} ms)"
    );
    // An update moves it.
    let later = expires + 2 * HOUR;
    store.update(&id, &record(later), 1).await.unwrap();
    let ttl = ttl_of(&raw_item(&store, &id).await);
    assert!(
        (ttl - later / 1000).abs() <= 1,
        "after update ttl {ttl} ≈ {}",
        later / 1000
    );
}

#[tokio::test]
async fn dynamodb_each_store_call_is_one_request() {
    let counter = dynamo::Counter::default();
    let store = dynamo::fresh_store(Some(counter.clone())).await;
    store
        .check_table()
        .await
        .expect("fresh_store's table is usable");
    let id = new_id();
    let secrets = Secrets::new();
    let expect = |call: &'static str, op: &'static str| {
        let seen = counter.snapshot();
        counter.reset();
        assert_eq!(
            seen,
            [(op.to_owned(), 1)].into_iter().collect(),
            "{call} is exactly one {op}"
        );
    };
    counter.reset();
    store
        .create(&id, &logged_in_record(&secrets), NOW)
        .await
        .unwrap();
    expect("create", "PutItem");
    store
        .get(&id, NOW)
        .await
        .map(Lookup::live)
        .unwrap()
        .expect("stored");
    expect("get", "GetItem");
    store.update(&id, &record(NOW + HOUR), 1).await.unwrap();
    expect("update", "PutItem");
    assert_eq!(
        store.update(&id, &record(NOW + HOUR), 1).await,
        Err(StoreError::Conflict)
    );
    expect("a conflicting update", "PutItem");
    store.end(&id.storage_key(), NOW + HOUR, NOW).await.unwrap();
    expect("end", "PutItem");
    store.end(&id.storage_key(), NOW, NOW).await.unwrap();
    expect("end after its time", "DeleteItem");
}

#[tokio::test]
async fn dynamodb_check_table_explains_a_missing_table() {
    let table = format!("malgomo-missing-{}", new_id().log_tag());
    let store = DynamoStore::new(dynamo::client(None).await, table.clone());
    match store.check_table().await {
        Err(StoreError::Unavailable(message)) => {
            assert!(message.contains(&table), "names the table: {message}");
            assert!(
                message.contains("--create-table"),
                "says how to fix it: {message}"
            );
        }
        other => panic!("a missing table must fail the check, got {other:?}"),
    }
}

#[tokio::test]
async fn dynamodb_check_table_explains_a_table_without_ttl() {
    let table = format!("malgomo-nottl-{}", new_id().log_tag());
    let client = dynamo::client(None).await;
    client
        .create_table()
        .table_name(&table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("raw create_table without TTL");
    let store = DynamoStore::new(client, table.clone());
    match store.check_table().await {
        Err(StoreError::Unavailable(message)) => {
            assert!(message.contains(&table), "names the table: {message}");
            assert!(message.contains("TTL"), "says TTL is missing: {message}");
            assert!(
                message.contains("ttl"),
                "names the TTL attribute: {message}"
            );
        }
        other => panic!("a table without TTL must fail the check, got {other:?}"),
    }
    // create_table repairs it: the table is there, TTL gets enabled.
    store
        .create_table()
        .await
        .expect("create_table on an existing table without TTL enables TTL");
    store.check_table().await.expect("usable after repair");
}

#[tokio::test]
async fn dynamodb_create_table_is_idempotent() {
    let table = format!("malgomo-twice-{}", new_id().log_tag());
    let store = DynamoStore::new(dynamo::client(None).await, table);
    assert!(store.check_table().await.is_err(), "not there yet");
    store.create_table().await.expect("first create_table");
    store.check_table().await.expect("usable after create");
    let id = new_id();
    store.create(&id, &record(NOW + HOUR), NOW).await.unwrap();
    store
        .create_table()
        .await
        .expect("second create_table is a no-op");
    store.check_table().await.expect("still usable");
    assert!(
        store
            .get(&id, NOW)
            .await
            .map(Lookup::live)
            .unwrap()
            .is_some(),
        "a second create_table keeps the data"
    );
}
