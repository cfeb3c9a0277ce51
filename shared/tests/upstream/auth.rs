//! Supabase auth: the password grant's error classes, its rate limit, the
//! no-retry rule, logout, and a missing anon key.

use std::time::Duration;

use malgomo::domain::Secret;
use malgomo::upstream::{AuthClient, TokenSet, UpstreamError, build_client};
use malgomo_sim::accounts::DEMO_ANON_KEY;
use malgomo_sim::{Fault, Target};

use crate::helpers::{
    OWNER_A, OWNER_B, TestUpstream, UNCONFIRMED, email, now, refused_url, settings,
};

#[tokio::test]
async fn login_yields_a_token_set_and_the_email() {
    let t = TestUpstream::spawn().await;
    let grant = t.login(OWNER_A).await;
    assert_eq!(grant.email.as_deref(), Some(OWNER_A));
    assert!(!grant.tokens.access_token.is_empty());
    assert!(grant.tokens.can_refresh());
    let expires_at = grant
        .tokens
        .expires_at
        .expect("the answer carries expires_at");
    let lifetime = expires_at - now();
    assert!((3590..=3600).contains(&lifetime), "lifetime {lifetime}");
    assert_eq!(t.sim.counters().logins, 1);
}

#[tokio::test]
async fn login_matches_the_email_case_insensitively() {
    let t = TestUpstream::spawn().await;
    let grant = t.try_login("Owner@Agency-A.TEST", "owner-a-pass").await;
    assert_eq!(grant.expect("logs in").email.as_deref(), Some(OWNER_A));
}

#[tokio::test]
async fn wrong_password_is_invalid_credentials() {
    let t = TestUpstream::spawn().await;
    let err = t.try_login(OWNER_A, "not-the-password").await.unwrap_err();
    assert_eq!(err, UpstreamError::InvalidCredentials);
}

#[tokio::test]
async fn unknown_email_is_invalid_credentials() {
    let t = TestUpstream::spawn().await;
    let err = t
        .try_login("nobody@agency-a.test", "owner-a-pass")
        .await
        .unwrap_err();
    assert_eq!(err, UpstreamError::InvalidCredentials);
}

#[tokio::test]
async fn unconfirmed_email_with_the_right_password_is_email_not_confirmed() {
    let t = TestUpstream::spawn().await;
    let err = t
        .try_login(UNCONFIRMED, "unconfirmed-pass")
        .await
        .unwrap_err();
    assert_eq!(err, UpstreamError::EmailNotConfirmed);
    // Only the right password reveals that the email is unconfirmed.
    let err = t.try_login(UNCONFIRMED, "wrong").await.unwrap_err();
    assert_eq!(err, UpstreamError::InvalidCredentials);
}

#[tokio::test]
async fn injected_429_on_login_is_rate_limited_with_retry_after() {
    let t = TestUpstream::spawn().await;
    t.sim.inject(
        Target::Password,
        Fault::RateLimited {
            retry_after_secs: 7,
        },
        1,
    );
    let err = t.try_login(OWNER_A, "owner-a-pass").await.unwrap_err();
    assert_eq!(
        err,
        UpstreamError::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );
    assert!(err.to_string().contains("retry after 7 s"), "{err}");
    assert_eq!(
        t.requests("password"),
        1,
        "a rate-limited login is not retried"
    );
}

#[tokio::test]
async fn password_grant_rate_limit_is_rate_limited_with_retry_after() {
    let t = TestUpstream::spawn().await;
    t.sim.set_rate_limit(1);
    t.login(OWNER_A).await;
    let err = t.try_login(OWNER_A, "owner-a-pass").await.unwrap_err();
    let UpstreamError::RateLimited {
        retry_after: Some(wait),
    } = err
    else {
        panic!("expected rate limited with a Retry-After, got {err:?}");
    };
    assert!(
        (Duration::from_secs(1)..=Duration::from_secs(60)).contains(&wait),
        "{wait:?}"
    );
    // The IP bucket is shared: another email from the same client is throttled too.
    let err = t.try_login(OWNER_B, "owner-b-pass").await.unwrap_err();
    assert!(matches!(err, UpstreamError::RateLimited { .. }), "{err:?}");
    let counters = t.sim.counters();
    assert_eq!((counters.logins, counters.failed_logins), (1, 2));
    assert_eq!(counters.request_count("password"), 3);
}

#[tokio::test]
async fn password_grant_is_never_retried_on_5xx() {
    let t = TestUpstream::spawn().await;
    t.sim.inject(Target::Password, Fault::Status(503), 1);
    let err = t.try_login(OWNER_A, "owner-a-pass").await.unwrap_err();
    assert!(matches!(err, UpstreamError::Unavailable(_)), "{err:?}");
    assert_eq!(t.requests("password"), 1);
    assert_eq!(t.sim.counters().logins, 0);
}

#[tokio::test]
async fn hung_password_grant_times_out_once_as_unavailable() {
    let t = TestUpstream::spawn().await;
    t.sim.inject(Target::Password, Fault::Hang, 1);
    let err = t.try_login(OWNER_A, "owner-a-pass").await.unwrap_err();
    assert_eq!(err, UpstreamError::Unavailable("timed out".into()));
    assert_eq!(t.requests("password"), 1);
}

#[tokio::test]
async fn malformed_grant_answer_is_malformed_and_leaks_no_token_fragment() {
    let t = TestUpstream::spawn().await;
    t.sim.inject(Target::Password, Fault::MalformedJson, 1);
    let err = t.try_login(OWNER_A, "owner-a-pass").await.unwrap_err();
    let UpstreamError::Malformed(message) = &err else {
        panic!("expected Malformed, got {err:?}");
    };
    // The simulator's truncated body is `{"access_token":"eyJhbGciOiJIUzI1NiIsInR5c`.
    assert!(!message.contains("eyJhbGci"), "{message}");
}

#[tokio::test]
async fn refresh_is_never_retried_on_5xx() {
    let t = TestUpstream::spawn().await;
    let grant = t.login(OWNER_A).await;
    t.sim.inject(Target::Refresh, Fault::Status(503), 1);
    let err = t.upstream.auth.refresh(&grant.tokens).await.unwrap_err();
    assert!(matches!(err, UpstreamError::Unavailable(_)), "{err:?}");
    assert_eq!(t.requests("refresh"), 1);
}

#[tokio::test]
async fn unknown_refresh_token_is_unauthorized() {
    let t = TestUpstream::spawn().await;
    let tokens = TokenSet {
        access_token: Secret::new("whatever"),
        refresh_token: Some(Secret::new("never-issued")),
        expires_at: None,
    };
    let err = t.upstream.auth.refresh(&tokens).await.unwrap_err();
    assert!(matches!(err, UpstreamError::Unauthorized(_)), "{err:?}");
}

#[tokio::test]
async fn bearer_without_refresh_token_is_unauthorized_without_a_request() {
    let t = TestUpstream::spawn().await;
    let tokens = TokenSet::bearer(Secret::new("client-supplied"));
    let err = t.upstream.auth.refresh(&tokens).await.unwrap_err();
    assert!(matches!(err, UpstreamError::Unauthorized(_)), "{err:?}");
    assert_eq!(t.requests("refresh"), 0);
}

#[tokio::test]
async fn logout_ends_the_session_and_its_tokens() {
    let t = TestUpstream::spawn().await;
    let grant = t.login(OWNER_A).await;
    t.upstream
        .auth
        .logout(&grant.tokens.access_token)
        .await
        .expect("logout succeeds");
    assert_eq!(t.sim.counters().logouts, 1);

    let err = t.upstream.auth.refresh(&grant.tokens).await.unwrap_err();
    assert!(matches!(err, UpstreamError::Unauthorized(_)), "{err:?}");
    let err = t.upstream.api.me(&grant.tokens.access_token).await;
    assert!(
        matches!(err, Err(UpstreamError::Unauthorized(_))),
        "{err:?}"
    );
    // A second logout: the session had already ended.
    let err = t.upstream.auth.logout(&grant.tokens.access_token).await;
    assert!(
        matches!(err, Err(UpstreamError::Unauthorized(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn missing_anon_key_is_not_configured_and_sends_nothing() {
    for anon_key in [None, Some(Secret::new(""))] {
        let t = TestUpstream::spawn_with_anon_key(anon_key).await;
        let before = t.sim.counters();
        let tokens = TokenSet {
            access_token: Secret::new("access"),
            refresh_token: Some(Secret::new("refresh")),
            expires_at: None,
        };
        let auth = &t.upstream.auth;
        let login = auth
            .password_grant(&email(OWNER_A), &Secret::new("owner-a-pass"))
            .await;
        assert_eq!(login.unwrap_err(), UpstreamError::NotConfigured);
        assert_eq!(
            auth.refresh(&tokens).await.unwrap_err(),
            UpstreamError::NotConfigured
        );
        assert_eq!(
            auth.logout(&tokens.access_token).await.unwrap_err(),
            UpstreamError::NotConfigured
        );
        assert_eq!(t.sim.counters(), before, "no request reached the simulator");
    }
}

#[tokio::test]
async fn refused_connection_on_login_is_unavailable() {
    let auth = AuthClient::new(
        build_client(settings()).expect("CA certificates load"),
        refused_url(),
        Some(Secret::new(DEMO_ANON_KEY)),
    );
    let err = auth
        .password_grant(&email(OWNER_A), &Secret::new("owner-a-pass"))
        .await
        .unwrap_err();
    assert_eq!(err, UpstreamError::Unavailable("connection failed".into()));
}
