//! `renewal::renew` against the simulator, over an in-memory token home:
//! what it hands back, and that the lease holder stores its renewed pair
//! through storage faults. (Across instances and stores: the tests crate.)

use std::sync::Mutex;

use async_trait::async_trait;
use malgomo::clock::SystemClock;
use malgomo::domain::Secret;
use malgomo::upstream::renewal::{self, Held, TokenHome, Write};
use malgomo::upstream::{AuthClient, TokenSet, UpstreamError, build_client};

use crate::helpers::{Canned, OWNER_A, TestUpstream, now, settings};

/// A record holding a token set, its lease and version, whose writes can
/// be made to fail with a storage fault.
struct Home {
    state: Mutex<(TokenSet, Option<i64>, u64)>,
    failing_writes: Mutex<u32>,
}

impl Home {
    fn new(tokens: TokenSet) -> Self {
        Self {
            state: Mutex::new((tokens, None, 1)),
            failing_writes: Mutex::new(0),
        }
    }

    fn tokens(&self) -> TokenSet {
        self.state.lock().unwrap().0.clone()
    }

    fn lease(&self) -> Option<i64> {
        self.state.lock().unwrap().1
    }
}

#[async_trait]
impl TokenHome for Home {
    async fn load(&self) -> Result<Held, UpstreamError> {
        let (tokens, leased_until_ms, version) = self.state.lock().unwrap().clone();
        Ok(Held {
            tokens,
            leased_until_ms,
            version,
        })
    }

    async fn write(&self, version: u64, write: Write<'_>) -> Result<Option<u64>, UpstreamError> {
        {
            let mut failing = self.failing_writes.lock().unwrap();
            if *failing > 0 && matches!(write, Write::Renewed(_)) {
                *failing -= 1;
                return Err(UpstreamError::Unavailable(
                    "session storage: throttled".into(),
                ));
            }
        }
        let mut state = self.state.lock().unwrap();
        if state.2 != version {
            return Ok(None);
        }
        match write {
            Write::Lease(until) => state.1 = Some(until),
            Write::Renewed(tokens) => *state = (tokens.clone(), None, state.2),
            Write::Dead | Write::Release => state.1 = None,
        }
        state.2 += 1;
        Ok(Some(state.2))
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
    let home = Home::new(current.clone());
    let got = renewal::renew(&home, &t.upstream.auth, &SystemClock, &stale)
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
    let home = Home::new(renewed_long_ago.clone());
    let got = renewal::renew(&home, &t.upstream.auth, &SystemClock, &stale)
        .await
        .expect("renewed");
    assert!(!got.is_expired_at(now()), "a token that works");
    assert_ne!(got.refresh_token, renewed_long_ago.refresh_token, "rotated");
    assert_eq!(home.tokens(), got, "stored");
    assert_eq!(home.lease(), None, "lease released");
    assert_eq!(t.sim.counters().refreshes, 1);
}

#[tokio::test]
async fn the_lease_holder_stores_its_renewed_pair_through_storage_faults() {
    let t = TestUpstream::spawn().await;
    let stale = expired(&t).await;
    t.sim.reset_counters();
    let home = Home::new(stale.clone());
    *home.failing_writes.lock().unwrap() = 3;
    let got = renewal::renew(&home, &t.upstream.auth, &SystemClock, &stale)
        .await
        .expect("renewed despite three failed saves");
    assert_eq!(home.tokens(), got, "the renewed pair is stored");
    assert_eq!(home.lease(), None, "lease released");
    assert_eq!(*home.failing_writes.lock().unwrap(), 0, "all faults met");
    assert_eq!(t.sim.counters().refreshes, 1, "one refresh");
}

#[tokio::test]
async fn only_a_refused_refresh_token_ends_the_login() {
    let t = TestUpstream::spawn().await;
    let mut stale = expired(&t).await;
    stale.refresh_token = Some(Secret::new("never-issued"));
    let home = Home::new(stale.clone());
    let err = renewal::renew(&home, &t.upstream.auth, &SystemClock, &stale)
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
