//! Token lifecycle: `with_fresh_token` spends at most one refresh, and the
//! refresh-token family rules (rotation, replay window, revocation).

use std::time::Duration;

use malgomo::renewal::{Outcome, with_fresh_token};
use malgomo::upstream::{Me, TokenSet, UpstreamError};

use crate::helpers::{OWNER_A, TestUpstream, now};

/// `me` through the lifecycle, refreshing with the real auth client.
async fn fresh_me(t: &TestUpstream, tokens: &TokenSet) -> Outcome<Me> {
    let auth = t.upstream.auth.clone();
    let api = &t.upstream.api;
    with_fresh_token(
        tokens,
        now(),
        move |tokens| async move { auth.refresh(&tokens).await.map(|grant| grant.tokens) },
        move |token| async move { api.me(&token).await },
    )
    .await
}

/// A token set whose access token the backend already refuses as expired.
async fn expired_login(t: &TestUpstream) -> TokenSet {
    t.sim.set_token_lifetime(Duration::ZERO);
    let tokens = t.login(OWNER_A).await.tokens;
    t.sim.set_token_lifetime(Duration::from_secs(3600));
    t.sim.reset_counters();
    tokens
}

#[tokio::test]
async fn known_expiry_refreshes_before_the_call() {
    let t = TestUpstream::spawn().await;
    let tokens = expired_login(&t).await;
    assert!(tokens.is_expired_at(now()));

    let outcome = fresh_me(&t, &tokens).await;
    assert_eq!(outcome.result.expect("me succeeds").email, OWNER_A);
    let renewed = outcome.renewed.expect("the new token set is handed back");
    assert_ne!(renewed.refresh_token, tokens.refresh_token, "rotated");
    assert_ne!(renewed.access_token, tokens.access_token);
    assert!(!renewed.is_expired_at(now()));
    let counters = t.sim.counters();
    assert_eq!(counters.refreshes, 1);
    assert_eq!(counters.request_count("me"), 1, "no 401 round trip");
}

#[tokio::test]
async fn refused_token_refreshes_once_and_retries_once() {
    let t = TestUpstream::spawn().await;
    let mut tokens = expired_login(&t).await;
    // The server cannot tell it is expired: only the backend's 401 says so.
    tokens.expires_at = None;

    let outcome = fresh_me(&t, &tokens).await;
    assert_eq!(outcome.result.expect("me succeeds").email, OWNER_A);
    let renewed = outcome.renewed.expect("the new token set is handed back");
    assert!(renewed.refresh_token.is_some());
    assert_ne!(renewed.refresh_token, tokens.refresh_token, "rotated");
    let counters = t.sim.counters();
    assert_eq!(counters.refreshes, 1);
    assert_eq!(counters.request_count("refresh"), 1);
    assert_eq!(counters.request_count("me"), 2, "the 401, then the retry");

    // The renewed set works on its own, with no further refresh.
    let again = fresh_me(&t, &renewed).await;
    assert!(again.result.is_ok() && again.renewed.is_none());
    assert_eq!(t.sim.counters().refreshes, 1);
}

#[tokio::test]
async fn a_refused_renewed_token_does_not_refresh_twice() {
    let t = TestUpstream::spawn().await;
    let mut tokens = expired_login(&t).await;
    tokens.expires_at = None;
    // Every token minted from now on is born expired too.
    t.sim.set_token_lifetime(Duration::ZERO);

    let outcome = fresh_me(&t, &tokens).await;
    assert!(
        matches!(outcome.result, Err(UpstreamError::Unauthorized(_))),
        "{:?}",
        outcome.result
    );
    // The old refresh token is spent: the new set must still reach the caller.
    assert!(outcome.renewed.is_some());
    let counters = t.sim.counters();
    assert_eq!(counters.request_count("refresh"), 1);
    assert_eq!(counters.request_count("me"), 2);
}

#[tokio::test]
async fn failed_refresh_is_unauthorized_without_a_retry() {
    let t = TestUpstream::spawn().await;
    let tokens = t.login(OWNER_A).await.tokens;
    t.upstream
        .auth
        .logout(&tokens.access_token)
        .await
        .expect("logout");
    t.sim.reset_counters();

    let outcome = fresh_me(&t, &tokens).await;
    assert!(
        matches!(outcome.result, Err(UpstreamError::Unauthorized(_))),
        "{:?}",
        outcome.result
    );
    assert!(outcome.renewed.is_none());
    let counters = t.sim.counters();
    assert_eq!(counters.request_count("me"), 1);
    assert_eq!(counters.request_count("refresh"), 1);
}

#[tokio::test]
async fn bearer_without_refresh_token_is_unauthorized_without_refresh() {
    let t = TestUpstream::spawn().await;
    let expired = expired_login(&t).await;
    let tokens = TokenSet::bearer(expired.access_token);
    assert!(
        tokens.expires_at.is_some(),
        "the expiry is read from the JWT"
    );

    let outcome = fresh_me(&t, &tokens).await;
    assert!(
        matches!(outcome.result, Err(UpstreamError::Unauthorized(_))),
        "{:?}",
        outcome.result
    );
    assert!(outcome.renewed.is_none());
    let counters = t.sim.counters();
    assert_eq!(counters.request_count("refresh"), 0);
    assert_eq!(counters.request_count("me"), 1);
}

#[tokio::test]
async fn replay_inside_the_window_returns_the_current_pair() {
    let t = TestUpstream::spawn().await;
    let r1 = t.login(OWNER_A).await.tokens;
    let r2 = t
        .upstream
        .auth
        .refresh(&r1)
        .await
        .expect("first refresh")
        .tokens;
    assert_ne!(r2.refresh_token, r1.refresh_token);

    let replayed = t.upstream.auth.refresh(&r1).await.expect("replay").tokens;
    assert_eq!(replayed.refresh_token, r2.refresh_token, "no new rotation");
    let counters = t.sim.counters();
    assert_eq!((counters.refreshes, counters.refresh_reuses), (1, 1));
    // Nothing was revoked: the current token still rotates.
    let r3 = t.upstream.auth.refresh(&r2).await.expect("second refresh");
    assert_ne!(r3.tokens.refresh_token, r2.refresh_token);
    assert_eq!(t.sim.counters().refreshes, 2);
}

#[tokio::test]
async fn replay_after_the_window_revokes_the_whole_family() {
    let t = TestUpstream::spawn().await;
    let window = Duration::from_millis(50);
    t.sim.set_reuse_window(window);
    let r1 = t.login(OWNER_A).await.tokens;
    let r2 = t.upstream.auth.refresh(&r1).await.expect("refresh").tokens;
    // A time-based rule: step just past the window.
    tokio::time::sleep(window + Duration::from_millis(30)).await;

    let err = t.upstream.auth.refresh(&r1).await.unwrap_err();
    assert!(matches!(err, UpstreamError::Unauthorized(_)), "{err:?}");
    let err = t.upstream.auth.refresh(&r2).await.unwrap_err();
    assert!(
        matches!(err, UpstreamError::Unauthorized(_)),
        "the current token died with its family: {err:?}"
    );
    for access in [&r2.access_token, &r1.access_token] {
        let err = t.upstream.api.me(access).await.unwrap_err();
        assert!(matches!(err, UpstreamError::Unauthorized(_)), "{err:?}");
    }
    let counters = t.sim.counters();
    assert_eq!((counters.refreshes, counters.refresh_reuses), (1, 0));
}
