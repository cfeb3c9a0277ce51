//! The session storage contract as a property: any interleaving of create,
//! update, end (a tombstone, or removal), get and the passing of time, issued through two handles
//! (two instances' clients of one store), behaves like the reference model
//! below — and so keeps its invariants: a record's version only grows while
//! it lives, nothing comes back after a delete, and an expired record is
//! never read. Sessions go through [`StoredSessions`] (sealed, over the
//! record contract), on the in-memory store and on the DynamoDB store (moto
//! on loopback).

use std::collections::HashMap;
use std::sync::Arc;

use malgomo::protocol::ProtocolVersion;
use malgomo::session::{Lookup, SessionId, SessionKey, SessionRecord, StoredSessions, Versioned};
use malgomo::store::{DynamoStore, MemoryStore, RecordStore, StoreError};
use malgomo_tests::dynamo;
use proptest::prelude::*;

const IDS: usize = 3;
const START_MS: i64 = 1_800_000_000_000;

#[derive(Clone, Debug)]
enum Op {
    /// Create with this lifetime (ms).
    Create {
        handle: usize,
        id: usize,
        ttl: i64,
    },
    /// Update naming the version this handle last saw (1 if none).
    Update {
        handle: usize,
        id: usize,
        ttl: i64,
    },
    /// End the session, its tombstone living this long (ms; 0 = removed).
    End {
        handle: usize,
        id: usize,
        until: i64,
    },
    Get {
        handle: usize,
        id: usize,
    },
    /// Time passes.
    Advance(i64),
}

fn op() -> impl Strategy<Value = Op> {
    let handle = 0..2usize;
    let id = 0..IDS;
    let ttl = 1..4i64;
    prop_oneof![
        1 => (handle.clone(), id.clone(), ttl.clone())
            .prop_map(|(handle, id, ttl)| Op::Create { handle, id, ttl: ttl * 1000 }),
        3 => (handle.clone(), id.clone(), ttl)
            .prop_map(|(handle, id, ttl)| Op::Update { handle, id, ttl: ttl * 1000 }),
        1 => (handle.clone(), id.clone(), 0..3i64)
            .prop_map(|(handle, id, until)| Op::End { handle, id, until: until * 1000 }),
        3 => (handle, id).prop_map(|(handle, id)| Op::Get { handle, id }),
        1 => (1..2500i64).prop_map(Op::Advance),
    ]
}

/// What a stored record is, for the model: its version, expiry and which
/// write put it there (carried in `touched_at_ms`).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Stored {
    version: u64,
    expires_at_ms: i64,
    write: i64,
}

/// The contract, as plainly as it can be said.
#[derive(Default)]
struct Model {
    records: HashMap<usize, Stored>,
    /// Tombstones: the time until which each ended id stays ended.
    ended: HashMap<usize, i64>,
    /// How many times each id was created: a record's life.
    lives: HashMap<usize, u32>,
    /// Ids ended and not created since.
    deleted: std::collections::HashSet<usize>,
}

impl Model {
    fn live(&self, id: usize, now: i64) -> Option<Stored> {
        self.records
            .get(&id)
            .copied()
            .filter(|stored| stored.expires_at_ms > now)
    }

    fn tombstoned(&self, id: usize, now: i64) -> bool {
        self.ended.get(&id).is_some_and(|until| *until > now)
    }
}

fn record(expires_at_ms: i64, write: i64) -> SessionRecord {
    SessionRecord {
        protocol_version: ProtocolVersion::V2025_06_18,
        owner: None,
        login: None,
        expires_at_ms,
        touched_at_ms: write,
        refresh_lease_until_ms: None,
    }
}

fn observed(result: &Result<Versioned, StoreError>) -> Result<Stored, StoreError> {
    result.clone().map(|stored| Stored {
        version: stored.version,
        expires_at_ms: stored.record.expires_at_ms,
        write: stored.record.touched_at_ms,
    })
}

/// Runs `ops` through two handles of one store and checks every answer
/// against the model.
async fn check(handles: [StoredSessions; 2], ops: Vec<Op>) -> Result<(), TestCaseError> {
    let key = SessionKey::generate();
    let ids: Vec<SessionId> = (0..IDS)
        .map(|_| key.issue(START_MS, ProtocolVersion::V2025_06_18, None))
        .collect();
    let mut model = Model::default();
    // The version each handle last named per id (for its updates), and the
    // (life, version) it last read.
    let mut seen: [HashMap<usize, u64>; 2] = [HashMap::new(), HashMap::new()];
    let mut read: [HashMap<usize, (u32, u64)>; 2] = [HashMap::new(), HashMap::new()];
    let mut now = START_MS;
    for (write, op) in (1i64..).zip(ops) {
        match op {
            Op::Advance(ms) => now += ms,
            Op::Create { handle, id, ttl } => {
                let got = handles[handle]
                    .create(&ids[id], &record(now + ttl, write), now)
                    .await;
                let blocked = model.live(id, now).is_some() || model.tombstoned(id, now);
                let want = match blocked {
                    true => Err(StoreError::AlreadyExists),
                    false => {
                        model.ended.remove(&id);
                        let stored = Stored {
                            version: 1,
                            expires_at_ms: now + ttl,
                            write,
                        };
                        model.records.insert(id, stored);
                        *model.lives.entry(id).or_default() += 1;
                        model.deleted.remove(&id);
                        Ok(stored)
                    }
                };
                prop_assert_eq!(observed(&got), want, "create #{}", write);
                if let Ok(stored) = got {
                    seen[handle].insert(id, stored.version);
                }
            }
            Op::Update { handle, id, ttl } => {
                let expected = seen[handle].get(&id).copied().unwrap_or(1);
                let got = handles[handle]
                    .update(&ids[id], &record(now + ttl, write), expected)
                    .await;
                let want = match model.records.get(&id) {
                    // Expired but not yet removed: the memory store sweeps
                    // expired records at create, DynamoDB at TTL; until then
                    // an update may still land (it never reads as live
                    // before it does). Both outcomes keep the contract.
                    Some(stored)
                        if stored.version == expected
                            && stored.expires_at_ms <= now
                            && got == Err(StoreError::Conflict) =>
                    {
                        model.records.remove(&id);
                        Err(StoreError::Conflict)
                    }
                    Some(stored) if stored.version == expected => {
                        let stored = Stored {
                            version: expected + 1,
                            expires_at_ms: now + ttl,
                            write,
                        };
                        model.records.insert(id, stored);
                        Ok(stored)
                    }
                    _ => Err(StoreError::Conflict),
                };
                prop_assert_eq!(
                    observed(&got),
                    want,
                    "update #{} naming v{}",
                    write,
                    expected
                );
                if let Ok(stored) = got {
                    seen[handle].insert(id, stored.version);
                }
            }
            Op::End { handle, id, until } => {
                let got = handles[handle]
                    .end(&ids[id].storage_key(), now + until, now)
                    .await;
                model.records.remove(&id);
                model.ended.remove(&id);
                if until > 0 {
                    model.ended.insert(id, now + until);
                }
                model.deleted.insert(id);
                prop_assert_eq!(got, Ok(()), "end #{}", write);
            }
            Op::Get { handle, id } => {
                let lookup = handles[handle].get(&ids[id], now).await;
                if model.tombstoned(id, now) {
                    prop_assert_eq!(&lookup, &Ok(Lookup::Ended), "get #{} of an ended id", write);
                }
                if !model.records.contains_key(&id) && !model.ended.contains_key(&id) {
                    prop_assert_eq!(&lookup, &Ok(Lookup::Absent), "get #{} of nothing", write);
                }
                let got = lookup.map(|found| found.live().and_then(|v| observed(&Ok(v)).ok()));
                let want = model.live(id, now);
                prop_assert_eq!(&got, &Ok(want), "get #{}", write);
                // The invariants, said outright (the model implies them).
                let found = got.ok().flatten();
                if model.deleted.contains(&id) {
                    prop_assert!(found.is_none(), "resurrected after delete");
                }
                if let Some(stored) = found {
                    prop_assert!(stored.expires_at_ms > now, "an expired record was read");
                    let life = model.lives.get(&id).copied().unwrap_or(0);
                    if let Some(&(before_life, before)) = read[handle].get(&id)
                        && before_life == life
                    {
                        prop_assert!(stored.version >= before, "version went back");
                    }
                    read[handle].insert(id, (life, stored.version));
                    seen[handle].insert(id, stored.version);
                }
            }
        }
    }
    Ok(())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_memory_store_keeps_the_contract(ops in prop::collection::vec(op(), 1..60)) {
        let store: Arc<dyn RecordStore> = Arc::new(MemoryStore::new(1000));
        let sessions = StoredSessions::new(store);
        runtime().block_on(check([sessions.clone(), sessions], ops))?;
    }
}

proptest! {
    // Each case is a fresh table on moto: fewer cases, same depth.
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn the_dynamodb_store_keeps_the_contract(ops in prop::collection::vec(op(), 1..60)) {
        runtime().block_on(async {
            let first = dynamo::fresh_store(None).await;
            // A second SDK client on the same table: another instance.
            let second = DynamoStore::new(dynamo::client(None).await, first.table());
            let handles = [first, second].map(|store| StoredSessions::new(Arc::new(store)));
            check(handles, ops).await
        })?;
    }
}
