//! `renewal::renew` against the simulator, over an in-memory token home:
//! what it hands back, and that the lease holder stores its renewed pair
//! through storage faults. (Across instances and stores: the tests crate.)

use std::sync::Mutex;

use async_trait::async_trait;
use malgomo::clock::SystemClock;
use malgomo::domain::Secret;
use malgomo::renewal::{self, Home, Keeper};
use malgomo::store::StoreError;
use malgomo::upstream::{AuthClient, TokenSet, UpstreamError, build_client};

use crate::helpers::{Canned, OWNER_A, TestUpstream, now, settings};

/// A record holding a token set, its lease and version, whose writes of a
/// renewed pair can be made to fail with a storage fault.
struct Kept {
    state: Mutex<(Tokens, u64)>,
    failing_writes: Mutex<u32>,
}

/// The record: the tokens and their lease.
type Tokens = (TokenSet, Option<i64>);

impl Kept {
    fn new(tokens: TokenSet) -> Self {
        Self {
            state: Mutex::new(((tokens, None), 1)),
            failing_writes: Mutex::new(0),
        }
    }

    fn tokens(&self) -> TokenSet {
        self.state.lock().unwrap().0.0.clone()
    }

    fn lease(&self) -> Option<i64> {
        self.state.lock().unwrap().0.1
    }
}

#[async_trait]
impl Keeper for &Kept {
    type Record = Tokens;

    async fn read(&self) -> Result<(Tokens, u64), UpstreamError> {
        Ok(self.state.lock().unwrap().clone())
    }

    fn tokens(&self, record: &Tokens) -> Result<TokenSet, UpstreamError> {
        Ok(record.0.clone())
    }

    fn renewed(&self, record: &mut Tokens, tokens: &TokenSet) -> Result<(), UpstreamError> {
        record.0 = tokens.clone();
        Ok(())
    }

    fn lease(record: &Tokens) -> Option<i64> {
        record.1
    }

    fn set_lease(record: &mut Tokens, until_ms: Option<i64>) {
        record.1 = until_ms;
    }

    async fn dead(&self, record: Tokens) -> Result<Option<Tokens>, UpstreamError> {
        Ok(Some(record))
    }

    async fn save(&self, record: &Tokens, expected: u64) -> Result<u64, StoreError> {
        let mut state = self.state.lock().unwrap();
        {
            // A write of new tokens is a renewed pair.
            let mut failing = self.failing_writes.lock().unwrap();
            if *failing > 0 && record.0 != state.0.0 {
                *failing -= 1;
                return Err(StoreError::Unavailable("throttled".into()));
            }
        }
        if state.1 != expected {
            return Err(StoreError::Conflict);
        }
        state.0 = record.clone();
        state.1 += 1;
        Ok(state.1)
    }
}

/// A token set the app and the backend both count as expired.
async fn expired(t: &TestUpstream) -> TokenSet {
    t.sim.set_token_lifetime(std::time::Duration::ZERO);
    let tokens = t.login(OWNER_A).await.tokens;
    t.sim
        .set_token_lifetime(std::time::Duration::from_secs(3600));
    tokens
}

#[tokio::test]
async fn a_token_someone_else_renewed_is_handed_back_without_a_refresh() {
    let t = TestUpstream::spawn().await;
    let stale = expired(&t).await;
    let current = t.login(OWNER_A).await.tokens;
    t.sim.reset_counters();
    let kept = Kept::new(current.clone());
    let got = renewal::renew(&Home::over(&kept), &t.upstream.auth, &SystemClock, &stale)
        .await
        .expect("renewed");
    assert_eq!(got, current);
    assert_eq!(t.requests("refresh"), 0);
}

/// A call that queued past the lifetime of a renewal made meanwhile gets a
/// token that works, not the one that expired while it waited.
#[tokio::test]
async fn a_renewal_by_someone_else_that_has_expired_too_is_renewed_again() {
    let t = TestUpstream::spawn().await;
    let stale = expired(&t).await;
    let renewed_long_ago = expired(&t).await;
    t.sim.reset_counters();
    let kept = Kept::new(renewed_long_ago.clone());
    let got = renewal::renew(&Home::over(&kept), &t.upstream.auth, &SystemClock, &stale)
        .await
        .expect("renewed");
    assert!(!got.is_expired_at(now()), "a token that works");
    assert_ne!(got.refresh_token, renewed_long_ago.refresh_token, "rotated");
    assert_eq!(kept.tokens(), got, "stored");
    assert_eq!(kept.lease(), None, "lease released");
    assert_eq!(t.sim.counters().refreshes, 1);
}

#[tokio::test]
async fn the_lease_holder_stores_its_renewed_pair_through_storage_faults() {
    let t = TestUpstream::spawn().await;
    let stale = expired(&t).await;
    t.sim.reset_counters();
    let kept = Kept::new(stale.clone());
    *kept.failing_writes.lock().unwrap() = 3;
    let got = renewal::renew(&Home::over(&kept), &t.upstream.auth, &SystemClock, &stale)
        .await
        .expect("renewed despite three failed saves");
    assert_eq!(kept.tokens(), got, "the renewed pair is stored");
    assert_eq!(kept.lease(), None, "lease released");
    assert_eq!(*kept.failing_writes.lock().unwrap(), 0, "all faults met");
    assert_eq!(t.sim.counters().refreshes, 1, "one refresh");
}

#[tokio::test]
async fn only_a_refused_refresh_token_ends_the_login() {
    let t = TestUpstream::spawn().await;
    let mut stale = expired(&t).await;
    stale.refresh_token = Some(Secret::new("never-issued"));
    let kept = Kept::new(stale.clone());
    let err = renewal::renew(&Home::over(&kept), &t.upstream.auth, &SystemClock, &stale)
        .await
        .unwrap_err();
    assert!(matches!(err, UpstreamError::Unauthorized(_)), "{err:?}");

    // Older auth services answer in the OAuth shape; a 401 without a code
    // refuses the server's key, not the user's refresh token.
    for (status, body, ends) in [
        (
            400,
            r#"{"error":"invalid_grant","error_description":"Invalid Refresh Token"}"#,
            true,
        ),
        (
            400,
            r#"{"code":400,"error_code":"session_expired","msg":"expired"}"#,
            true,
        ),
        (401, r#"{"message":"Invalid API key"}"#, false),
        (
            400,
            r#"{"code":400,"error_code":"validation_failed","msg":"?"}"#,
            false,
        ),
    ] {
        let canned = Canned::start(status, body).await;
        let auth = AuthClient::new(
            build_client(settings()).expect("CA certificates load"),
            canned.base.clone(),
            Some(Secret::new("anon")),
        );
        let err = auth.refresh(&stale).await.unwrap_err();
        assert_eq!(
            matches!(err, UpstreamError::Unauthorized(_)),
            ends,
            "{status} {body}: {err:?}"
        );
    }
}
