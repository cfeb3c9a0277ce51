//! A touch on one instance while the other holds the refresh lease does
//! not lose the renewed token (a store that pauses at the lease).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use malgomo::session::{Lookup, SessionId, stored};
use malgomo::store::{Entry, Record, RecordStore, StoreError, Write};
use malgomo_tests::rpc::ping;
use malgomo_tests::{dynamo, text};
use serde_json::json;
use tokio::sync::oneshot;

use super::*;

/// A record store that pauses the request taking the refresh lease of one
/// session right after the lease is written, until the test lets it go;
/// everything else passes straight through. The store holds sessions
/// sealed, so the gate opens the watched session's record (it knows the id,
/// as the client does) to see the lease.
#[derive(Debug)]
struct LeaseGate {
    inner: Arc<dyn RecordStore>,
    /// The session whose lease write is held (set once it exists).
    watched: Mutex<Option<SessionId>>,
    #[allow(clippy::type_complexity)]
    gate: Mutex<Option<(oneshot::Sender<()>, oneshot::Receiver<()>)>>,
}

impl LeaseGate {
    /// True when `data`, written under `key`, is the watched session
    /// holding a refresh lease.
    fn is_lease(&self, key: &str, data: &[u8]) -> bool {
        let watched = self.watched.lock().unwrap().clone();
        let Some(id) = watched.filter(|id| key == stored::key_of(&id.storage_key())) else {
            return false;
        };
        let record = Record {
            data: data.to_vec(),
            version: 1,
            expires_at_ms: 0,
        };
        matches!(
            stored::open(&id, &record),
            Ok(Lookup::Live(session)) if session.record.refresh_lease_until_ms.is_some()
        )
    }
}

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl RecordStore for LeaseGate {
    fn get_record<'s, 'k, 'f>(
        &'s self,
        key: &'k str,
        now_ms: i64,
    ) -> Boxed<'f, Result<Option<Record>, StoreError>>
    where
        's: 'f,
        'k: 'f,
        Self: 'f,
    {
        self.inner.get_record(key, now_ms)
    }

    fn write<'s, 'e, 'f>(
        &'s self,
        entry: Entry<'e>,
        write: Write,
    ) -> Boxed<'f, Result<u64, StoreError>>
    where
        's: 'f,
        'e: 'f,
        Self: 'f,
    {
        Box::pin(async move {
            let outcome = self.inner.write(entry, write).await;
            let update = matches!(write, Write::Update { .. });
            if update && outcome.is_ok() && self.is_lease(entry.key, entry.data) {
                let gate = self.gate.lock().unwrap().take();
                if let Some((taken, go)) = gate {
                    let _ = taken.send(());
                    let _ = go.await;
                }
            }
            outcome
        })
    }

    fn delete_record<'s, 'k, 'f>(&'s self, key: &'k str) -> Boxed<'f, Result<(), StoreError>>
    where
        's: 'f,
        'k: 'f,
        Self: 'f,
    {
        self.inner.delete_record(key)
    }

    fn count<'s, 'e, 'f>(
        &'s self,
        counter: Entry<'e>,
        now_ms: i64,
    ) -> Boxed<'f, Result<u64, StoreError>>
    where
        's: 'f,
        'e: 'f,
        Self: 'f,
    {
        self.inner.count(counter, now_ms)
    }
}

/// An idle session (touch due) whose upstream token has expired: a
/// `tools/call` on one instance takes the refresh lease; meanwhile a plain
/// request on the other instance touches the session. The refresh must
/// still land in the session (the single-use refresh token is spent).
#[tokio::test]
async fn a_touch_during_the_refresh_lease_does_not_lose_the_renewed_token() {
    let (taken_tx, taken_rx) = oneshot::channel();
    let (go_tx, go_rx) = oneshot::channel();
    let gate = Arc::new(LeaseGate {
        inner: Arc::new(dynamo::fresh_store(None).await),
        watched: Mutex::new(None),
        gate: Mutex::new(Some((taken_tx, go_rx))),
    });
    let (a, b) = two_on(gate.clone(), Vec::new()).await;
    let on_a = a.logged_in(OWNER).await;
    *gate.watched.lock().unwrap() = Some(session_id(&on_a));
    let stale = expire_upstream_token(&a, &on_a).await;
    // Idle long enough that the next request touches the session.
    a.clock
        .advance(a.app.expiry.touch_every + Duration::from_secs(1));
    a.sim.reset_counters();

    let refreshing = {
        let on_a = on_a.clone();
        tokio::spawn(async move { on_a.call_tool(KPIS, json!({})).await })
    };
    taken_rx
        .await
        .expect("the tools/call takes the refresh lease");
    // While the lease is held: a ping through B, which touches the session.
    let answer = ping(&via(&on_a, &b)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    go_tx.send(()).expect("the refreshing call waits");
    let result = refreshing.await.expect("the call finishes");
    assert_eq!(
        result["isError"],
        false,
        "the refreshing call succeeds: {}",
        text(&result)
    );
    assert_one_refresh_and_settled(&a, &on_a, &stale).await;
    let again = on_a.call_tool(KPIS, json!({})).await;
    assert_eq!(again["isError"], false, "{again}");
    assert_eq!(a.sim.counters().refreshes, 1, "no second refresh");
}
