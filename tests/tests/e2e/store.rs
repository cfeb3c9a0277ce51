//! What only one backend has, beyond the contract suite
//! (`store_contract/`, run against every backend): the memory store's
//! cap, and for DynamoDB the table dump (no plaintext secret), the TTL
//! attribute, one request per call, and table set-up.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType,
};
use malgomo::session::{Lookup, SessionId, StoredSessions};
use malgomo::store::{DynamoStore, MemoryStore, StoreError};
use malgomo_tests::dynamo;

use super::store_contract::{HOUR, NOW, Secrets, contains, logged_in_record, new_id, record};

// ---------------------------------------------------------------- memory only

/// The memory store's `MAX_SESSIONS` bounds the stored (logged-in)
/// sessions of the process; tombstones and expired records do not count.
#[tokio::test]
async fn memory_store_refuses_beyond_the_cap_until_sessions_expire() {
    let memory = Arc::new(MemoryStore::new(2));
    let sessions = StoredSessions::new(memory.clone());
    let short = record(NOW + 1_000);
    sessions.create(&new_id(), &short, NOW).await.unwrap();
    let long_lived = new_id();
    sessions
        .create(&long_lived, &record(NOW + HOUR), NOW)
        .await
        .unwrap();
    assert_eq!(
        sessions.create(&new_id(), &record(NOW + HOUR), NOW).await,
        Err(StoreError::Full(2)),
        "the third live session is refused"
    );
    // Ending a session frees room (its tombstone does not count).
    sessions
        .end(&long_lived.storage_key(), NOW + HOUR, NOW)
        .await
        .unwrap();
    let third = new_id();
    sessions
        .create(&third, &record(NOW + HOUR), NOW)
        .await
        .expect("room after an end");
    assert_eq!(
        sessions.create(&new_id(), &record(NOW + HOUR), NOW).await,
        Err(StoreError::Full(2)),
        "full again"
    );
    // Once the short one has expired it no longer counts.
    let later = NOW + 1_000;
    sessions
        .create(&new_id(), &record(later + HOUR), later)
        .await
        .expect("an expired session frees room");
    assert!(sessions.get(&third, later).await.unwrap().live().is_some());
    // Full of sessions, the store still takes every other record.
    use malgomo::store::RecordStore;
    memory
        .create_record("client#abc", b"{}", later + HOUR, later)
        .await
        .expect("the cap counts sessions only");
    assert_eq!(
        memory.increment("limit#abc", later + HOUR, later).await,
        Ok(1)
    );
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

#[tokio::test]
async fn dynamodb_dump_shows_no_plaintext_secret() {
    let store = dynamo::fresh_store(None).await;
    let sessions = StoredSessions::new(Arc::new(store.clone()));
    let mut needles: Vec<(String, String)> = vec![("owner@".into(), "owner@".into())];
    let mut ids = Vec::new();
    // The suite's writes: a login created, a login updated in, a refresh
    // rotated in, and one deleted.
    for round in 0..3 {
        let id = new_id();
        let secrets = Secrets::fresh();
        match round {
            0 => {
                sessions
                    .create(&id, &logged_in_record(&secrets), NOW)
                    .await
                    .unwrap();
            }
            _ => {
                sessions
                    .create(&id, &record(NOW + HOUR), NOW)
                    .await
                    .unwrap();
                sessions
                    .update(&id, &logged_in_record(&secrets), 1)
                    .await
                    .unwrap();
            }
        }
        if round == 2 {
            let rotated = Secrets::fresh();
            let mut again = logged_in_record(&secrets);
            again.login = Some(rotated.login());
            sessions.update(&id, &again, 2).await.unwrap();
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
            matches!(item.get("d"), Some(AttributeValue::B(_))),
            "the session is stored sealed (binary): {item:?}"
        );
    }
    // And the sealed logins still open for their own id.
    for id in &ids {
        let got = sessions
            .get(id, NOW)
            .await
            .map(Lookup::live)
            .unwrap()
            .unwrap();
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
    let sessions = StoredSessions::new(Arc::new(store.clone()));
    let id = new_id();
    let expires = NOW + HOUR + 123;
    sessions.create(&id, &record(expires), NOW).await.unwrap();
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
    sessions.update(&id, &record(later), 1).await.unwrap();
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
    let sessions = StoredSessions::new(Arc::new(store.clone()));
    store
        .check_table()
        .await
        .expect("fresh_store's table is usable");
    let id = new_id();
    let secrets = Secrets::fresh();
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
    sessions
        .create(&id, &logged_in_record(&secrets), NOW)
        .await
        .unwrap();
    expect("create", "PutItem");
    sessions
        .get(&id, NOW)
        .await
        .map(Lookup::live)
        .unwrap()
        .expect("stored");
    expect("get", "GetItem");
    sessions.update(&id, &record(NOW + HOUR), 1).await.unwrap();
    expect("update", "PutItem");
    assert_eq!(
        sessions.update(&id, &record(NOW + HOUR), 1).await,
        Err(StoreError::Conflict)
    );
    expect("a conflicting update", "PutItem");
    sessions
        .end(&id.storage_key(), NOW + HOUR, NOW)
        .await
        .unwrap();
    expect("end", "PutItem");
    sessions.end(&id.storage_key(), NOW, NOW).await.unwrap();
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
    let sessions = StoredSessions::new(Arc::new(store.clone()));
    assert!(store.check_table().await.is_err(), "not there yet");
    store.create_table().await.expect("first create_table");
    store.check_table().await.expect("usable after create");
    let id = new_id();
    sessions
        .create(&id, &record(NOW + HOUR), NOW)
        .await
        .unwrap();
    store
        .create_table()
        .await
        .expect("second create_table is a no-op");
    store.check_table().await.expect("still usable");
    assert!(
        sessions
            .get(&id, NOW)
            .await
            .map(Lookup::live)
            .unwrap()
            .is_some(),
        "a second create_table keeps the data"
    );
}
