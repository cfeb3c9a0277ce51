//! The bearer on `/mcp`: revoked, expired, foreign and upstream tokens are
//! 401; the access token lifetime is configurable.

use malgomo_tests::oauth as support;

use std::time::Duration;

use support::*;

#[tokio::test]
async fn revoked_token_is_401() {
    let app = spawn().await;
    let (client, tokens) = app.connect().await;
    app.assert_works(&tokens.access).await;
    let revoked = app.revoke(&client.id, &tokens.access).await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    assert_eq!(revoked.header("cache-control"), Some("no-store"));
    app.assert_refused(&tokens.access).await;
}

#[tokio::test]
async fn an_upstream_supabase_token_is_not_a_bearer_here() {
    let app = spawn().await;
    let grant = app
        .app
        .upstream
        .auth
        .password_grant(
            &malgomo::domain::Email::parse(OWNER).expect("email"),
            &malgomo::domain::Secret::new(OWNER_PASSWORD),
        )
        .await
        .expect("password grant");
    app.assert_refused(grant.tokens.access_token.expose()).await;
}

#[tokio::test]
async fn expired_access_token_is_401() {
    let app = spawn().await;
    let (_, tokens) = app.connect().await;
    app.clock.advance(Duration::from_secs(24 * 60 * 60 - 60));
    app.sim
        .set_token_lifetime(Duration::from_secs(48 * 60 * 60));
    app.assert_works(&tokens.access).await;
    app.clock.advance(Duration::from_secs(61));
    app.assert_refused(&tokens.access).await;
}

#[tokio::test]
async fn access_token_lifetime_is_configurable() {
    let (listener, base) = bind().await;
    let app = spawn_on(
        listener,
        &base,
        Shared {
            env: vec![("OAUTH_ACCESS_TOKEN_TTL_SECS", "600".into())],
            ..Default::default()
        },
    )
    .await;
    let client = app.register_public(&[REDIRECT]).await;
    let code = app.code(&client.id).await;
    let answer = app.exchange_code(&client.id, &code, REDIRECT).await;
    assert_eq!(answer.json()["expires_in"], 600);
    let tokens = Tokens::from(&answer);
    app.clock.advance(Duration::from_secs(601));
    app.assert_refused(&tokens.access).await;
    // The refresh token outlives it and gets a fresh access token.
    let refreshed = Tokens::from(&app.refresh(&client.id, &tokens.refresh).await);
    app.assert_works(&refreshed.access).await;
}

#[tokio::test]
async fn a_token_from_an_instance_with_another_public_url_is_401() {
    // Same table, same upstream, another PUBLIC_URL: the audience differs.
    let store: std::sync::Arc<malgomo::store::MemoryStore> =
        std::sync::Arc::new(malgomo::store::MemoryStore::new(100));
    let sim = std::sync::Arc::new(malgomo_sim::Simulator::start(0).await.expect("simulator"));
    let shared = || Shared {
        sim: Some(sim.clone()),
        store: Some(store.clone()),
        records: Some(store.clone()),
        ..Default::default()
    };
    let (listener_a, base_a) = bind().await;
    let (listener_b, base_b) = bind().await;
    let a = spawn_on(listener_a, &base_a, shared()).await;
    let b = spawn_on(listener_b, &base_b, shared()).await;
    let (_, tokens) = a.connect().await;
    a.assert_works(&tokens.access).await;
    b.assert_refused(&tokens.access).await;
}
