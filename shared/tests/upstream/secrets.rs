//! Tokens, passwords and the anon key never reach a `Debug` or `Display`.

use std::time::Duration;

use malgomo::domain::Secret;
use malgomo::renewal::{Outcome, with_fresh_token};
use malgomo::upstream::UpstreamError;
use malgomo_sim::accounts::DEMO_ANON_KEY;

use crate::helpers::{OWNER_A, TestUpstream, now};

fn assert_hidden(printed: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!secret.is_empty());
        assert!(!printed.contains(secret), "{printed} shows a secret");
    }
}

#[tokio::test]
async fn debug_of_grant_token_set_and_secret_never_shows_the_tokens() {
    let t = TestUpstream::spawn().await;
    let grant = t.login(OWNER_A).await;
    let access = grant.tokens.access_token.expose().to_owned();
    let refresh = grant
        .tokens
        .refresh_token
        .as_ref()
        .expect("a refresh token")
        .expose()
        .to_owned();
    let secrets = [access.as_str(), refresh.as_str()];
    // The JWT body alone is secret enough to matter.
    let jwt_payload = access.split('.').nth(1).expect("a JWT");

    for printed in [
        format!("{grant:?}"),
        format!("{grant:#?}"),
        format!("{:?}", grant.tokens),
        format!("{:#?}", grant.tokens),
        format!("{:?}", grant.tokens.access_token),
        format!("{}", grant.tokens.access_token),
        format!("{:?}", grant.tokens.refresh_token),
    ] {
        assert_hidden(&printed, &secrets);
        assert_hidden(&printed, &[jwt_payload]);
    }
    // Still useful: the non-secret parts show.
    let printed = format!("{grant:?}");
    assert!(printed.contains(OWNER_A), "{printed}");
}

#[tokio::test]
async fn debug_of_a_renewed_outcome_never_shows_the_tokens() {
    let t = TestUpstream::spawn().await;
    t.sim.set_token_lifetime(Duration::ZERO);
    let tokens = t.login(OWNER_A).await.tokens;
    t.sim.set_token_lifetime(Duration::from_secs(3600));
    let auth = t.upstream.auth.clone();
    let api = &t.upstream.api;
    let outcome: Outcome<_> = with_fresh_token(
        &tokens,
        now(),
        move |tokens| async move { auth.refresh(&tokens).await.map(|grant| grant.tokens) },
        move |token| async move { api.me(&token).await },
    )
    .await;
    let renewed = outcome.renewed.as_ref().expect("renewed");
    let secrets = [
        tokens.access_token.expose(),
        renewed.access_token.expose(),
        renewed
            .refresh_token
            .as_ref()
            .expect("a refresh token")
            .expose(),
    ];
    assert_hidden(&format!("{outcome:?}"), &secrets);
}

#[tokio::test]
async fn clients_and_errors_never_show_the_anon_key_or_password() {
    let t = TestUpstream::spawn().await;
    assert_hidden(&format!("{:?}", t.upstream), &[DEMO_ANON_KEY]);
    let password = "a-wrong-password-123";
    let err = t.try_login(OWNER_A, password).await.unwrap_err();
    assert_eq!(err, UpstreamError::InvalidCredentials);
    assert_hidden(&format!("{err:?} {err}"), &[password, DEMO_ANON_KEY]);
    assert_eq!(format!("{:?}", Secret::new(password)), "Secret(***)");
}
