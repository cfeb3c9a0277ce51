//! The session store contract as a property: any interleaving of create,
//! update, delete, get and the passing of time, issued through two handles
//! (two instances' clients of one store), behaves like the reference model
//! below — and so keeps its invariants: a record's version only grows while
//! it lives, nothing comes back after a delete, and an expired record is
//! never read. Run against the in-memory store and the DynamoDB store
//! (moto on loopback).

use std::collections::HashMap;
use std::sync::Arc;

use malgomo::protocol::ProtocolVersion;
use malgomo::session::{SessionId, SessionRecord};
use malgomo::store::{DynamoStore, MemoryStore, SessionStore, StoreError, Versioned};
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
    Delete {
        handle: usize,
        id: usize,
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
        1 => (handle.clone(), id.clone()).prop_map(|(handle, id)| Op::Delete { handle, id }),
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
    /// How many times each id was created: a record's life.
    lives: HashMap<usize, u32>,
    /// Ids deleted and not created since.
    deleted: std::collections::HashSet<usize>,
}

impl Model {
    fn live(&self, id: usize, now: i64) -> Option<Stored> {
        self.records
            .get(&id)
            .copied()
            .filter(|stored| stored.expires_at_ms > now)
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
async fn check(handles: [Arc<dyn SessionStore>; 2], ops: Vec<Op>) -> Result<(), TestCaseError> {
    let ids: Vec<SessionId> = (0..IDS).map(|_| SessionId::generate()).collect();
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
                let want = match model.live(id, now) {
                    Some(_) => Err(StoreError::AlreadyExists),
                    None => {
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
            Op::Delete { handle, id } => {
                let got = handles[handle].delete(&ids[id], now).await;
                let want = model.live(id, now).is_some();
                model.records.remove(&id);
                model.deleted.insert(id);
                prop_assert_eq!(got, Ok(want), "delete #{}", write);
            }
            Op::Get { handle, id } => {
                let got = handles[handle]
                    .get(&ids[id], now)
                    .await
                    .map(|found| found.and_then(|v| observed(&Ok(v)).ok()));
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
        let store: Arc<dyn SessionStore> = Arc::new(MemoryStore::new(1000));
        runtime().block_on(check([store.clone(), store], ops))?;
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
            check([Arc::new(first), Arc::new(second)], ops).await
        })?;
    }
}
