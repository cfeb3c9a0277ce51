//! Mode A, what must fail and how: `/authorize` (PKCE, redirect URI,
//! client, resource), `/token` (verifier, codes, refresh rotation, client
//! authentication, resource) and bearer validation on `/mcp` — each with
//! its exact status and error code.

use malgomo_tests::oauth as support;

use std::time::Duration;

use support::*;

/// Asserts an error found before the user is asked is shown on our page,
/// naming `error`, and the client's redirect URI is not followed.
fn assert_error_shown(answer: &Answer, error: &str) {
    answer.assert_error_page(400);
    assert!(answer.body.contains(error), "{}", answer.body);
    assert!(
        !answer.body.contains("name=\"csrf_token\""),
        "{}",
        answer.body
    );
}

/// A fresh app, a public client on [`REDIRECT`], and a code issued to it.
async fn with_code() -> (OAuthApp, Client, String) {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let code = app.code(&client.id).await;
    (app, client, code)
}

// --------------------------------------------------------------- /authorize

/// One `#[tokio::test]` a row: authorization requests of a registered
/// client with the row's parameters changed, each refused on our page with
/// the row's error (see [`assert_error_shown`]).
macro_rules! authorize_refusals {
    ($($name:ident: [$($params:expr),+ $(,)?] => $error:literal;)*) => {$(
        #[tokio::test]
        async fn $name() {
            let app = spawn().await;
            let client = app.register_public(&[REDIRECT]).await;
            let rows: &[&[(&str, &str)]] = &[$($params),+];
            for params in rows {
                let answer = app.authorize_with(&client.id, REDIRECT, params).await;
                assert_error_shown(&answer, $error);
            }
        }
    )*};
}

authorize_refusals! {
    // A challenge without its method is not S256 either.
    authorize_without_pkce_shows_invalid_request: [
        &[("code_challenge", ""), ("code_challenge_method", "")],
        &[("code_challenge_method", "")],
    ] => "invalid_request";
    authorize_with_plain_pkce_shows_invalid_request:
        [&[("code_challenge", VERIFIER), ("code_challenge_method", "plain")]] => "invalid_request";
    authorize_with_another_response_type_shows_unsupported_response_type:
        [&[("response_type", "token")]] => "unsupported_response_type";
}

#[tokio::test]
async fn authorize_with_a_wrong_redirect_uri_shows_an_error_page() {
    let app = spawn().await;
    let client = app
        .register_public(&[REDIRECT, "https://app.example/cb"])
        .await;
    for wrong in [
        "https://evil.example/cb",
        "https://app.example/cb/extra",
        "https://app.example:8443/cb",
        "http://127.0.0.1:4444/other",
        "not a uri",
    ] {
        let answer = app.authorize_with(&client.id, wrong, &[]).await;
        answer.assert_error_page(400);
        assert!(!answer.body.contains("name=\"csrf_token\""), "{wrong}");
    }
    // Two registered URIs and none named: which one is unknown.
    app.authorize_with(&client.id, "", &[])
        .await
        .assert_error_page(400);
}

#[tokio::test]
async fn authorize_for_an_unknown_client_shows_an_error_page() {
    let app = spawn().await;
    app.authorize_with("mcc_unknown", REDIRECT, &[])
        .await
        .assert_error_page(400);
    app.authorize_with("", REDIRECT, &[])
        .await
        .assert_error_page(400);
}

#[tokio::test]
async fn authorize_for_another_resource_shows_invalid_target() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    for other in [
        "https://other.example/mcp",
        &format!("{}/other", app.base),
        &app.base.clone(),
    ] {
        let answer = app
            .authorize_with(&client.id, REDIRECT, &[("resource", other)])
            .await;
        assert_error_shown(&answer, "invalid_target");
    }
}

// ------------------------------------------------------------------- /token

#[tokio::test]
async fn wrong_verifier_is_invalid_grant() {
    let (app, client, code) = with_code().await;
    let resource = app.resource();
    let answer = app
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", WRONG_VERIFIER),
            ("client_id", &client.id),
            ("resource", &resource),
        ])
        .await;
    answer.assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn missing_verifier_is_refused() {
    let (app, client, code) = with_code().await;
    let answer = app
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", &client.id),
        ])
        .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(
        ["invalid_request", "invalid_grant"].contains(&answer.error().as_str()),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn replayed_code_is_invalid_grant_and_revokes_what_it_issued() {
    let (app, client, code) = with_code().await;
    let first = Tokens::from(&app.exchange_code(&client.id, &code, REDIRECT).await);
    app.assert_works(&first.access).await;
    app.exchange_code(&client.id, &code, REDIRECT)
        .await
        .assert_oauth_error(400, "invalid_grant");
    app.assert_refused(&first.access).await;
    app.refresh(&client.id, &first.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn concurrent_exchanges_of_one_code_issue_at_most_one_pair() {
    let (app, client, code) = with_code().await;
    let (one, two) = tokio::join!(
        app.exchange_code(&client.id, &code, REDIRECT),
        app.exchange_code(&client.id, &code, REDIRECT)
    );
    let winners: Vec<&Answer> = [&one, &two]
        .into_iter()
        .filter(|a| a.status == 200)
        .collect();
    assert!(winners.len() <= 1, "{} / {}", one.body, two.body);
    for answer in [&one, &two] {
        if answer.status != 200 {
            answer.assert_oauth_error(400, "invalid_grant");
        }
    }
    // Whoever won, the replay revoked the grant.
    for winner in winners {
        app.assert_refused(&Tokens::from(winner).access).await;
    }
}

#[tokio::test]
async fn wrong_redirect_uri_at_token_is_invalid_grant() {
    let app = spawn().await;
    let client = app
        .register_public(&[REDIRECT, "http://127.0.0.1:5555/cb"])
        .await;
    let code = app.code(&client.id).await;
    app.exchange_code(&client.id, &code, "http://127.0.0.1:5555/cb")
        .await
        .assert_oauth_error(400, "invalid_grant");
    // Omitted, when the authorization request named one, is wrong too.
    let code = app.code(&client.id).await;
    app.token(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("code_verifier", VERIFIER),
        ("client_id", &client.id),
    ])
    .await
    .assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn a_redirect_uri_without_a_path_exchanges_as_sent() {
    let app = spawn().await;
    let redirect = "http://127.0.0.1:33418";
    let client = app.register_public(&[redirect]).await;
    let page = SignInPage::parse(&app.authorize_with(&client.id, redirect, &[]).await);
    let answer = app.login(&page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let code = param(&answer.location(), "code").expect("code");
    let tokens = Tokens::from(&app.exchange_code(&client.id, &code, redirect).await);
    app.assert_works(&tokens.access).await;
}

#[tokio::test]
async fn redirect_uri_omitted_at_authorize_may_be_omitted_at_token() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(
        &app.authorize_with(&client.id, REDIRECT, &[("redirect_uri", "")])
            .await,
    );
    let answer = app.login(&page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let location = answer.location();
    assert!(location.as_str().starts_with(REDIRECT), "{location}");
    let code = param(&location, "code").expect("code");
    let answer = app
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", VERIFIER),
            ("client_id", &client.id),
        ])
        .await;
    app.assert_works(&Tokens::from(&answer).access).await;
}

#[tokio::test]
async fn unknown_client_at_token_is_invalid_client() {
    let (app, client, code) = with_code().await;
    app.exchange_code("mcc_unknown", &code, REDIRECT)
        .await
        .assert_oauth_error(401, "invalid_client");
    // No client at all.
    app.token(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ])
    .await
    .assert_oauth_error(401, "invalid_client");
    // The code was not spent by those: its own client still exchanges it.
    Tokens::from(&app.exchange_code(&client.id, &code, REDIRECT).await);
}

#[tokio::test]
async fn code_of_another_client_is_invalid_grant() {
    let app = spawn().await;
    let mine = app.register_public(&[REDIRECT]).await;
    let other = app.register_public(&[REDIRECT]).await;
    let code = app.code(&mine.id).await;
    app.exchange_code(&other.id, &code, REDIRECT)
        .await
        .assert_oauth_error(400, "invalid_grant");
}

/// A fresh client's code exchanged `elapsed` after it was issued.
async fn exchange_after(elapsed: Duration) -> Answer {
    let (app, client, code) = with_code().await;
    app.clock.advance(elapsed);
    app.exchange_code(&client.id, &code, REDIRECT).await
}

#[tokio::test]
async fn expired_code_is_invalid_grant() {
    exchange_after(Duration::from_secs(61))
        .await
        .assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn code_just_inside_its_lifetime_still_exchanges() {
    Tokens::from(&exchange_after(Duration::from_secs(59)).await);
}
#[tokio::test]
async fn unknown_code_and_grant_type_are_refused() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    app.exchange_code(&client.id, "mgc_forged", REDIRECT)
        .await
        .assert_oauth_error(400, "invalid_grant");
    app.token(&[("grant_type", "password"), ("client_id", &client.id)])
        .await
        .assert_oauth_error(400, "unsupported_grant_type");
    app.token(&[
        ("grant_type", "client_credentials"),
        ("client_id", &client.id),
    ])
    .await
    .assert_oauth_error(400, "unsupported_grant_type");
    app.refresh(&client.id, "mgr_nope.nope")
        .await
        .assert_oauth_error(400, "invalid_grant");
    app.refresh(&client.id, "not-ours")
        .await
        .assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn token_for_another_resource_is_invalid_target() {
    let (app, client, code) = with_code().await;
    app.token(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
        ("client_id", &client.id),
        ("resource", "https://other.example/mcp"),
    ])
    .await
    .assert_oauth_error(400, "invalid_target");
    // And on refresh.
    let (client, tokens) = app.connect().await;
    app.token(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", &tokens.refresh),
        ("client_id", &client.id),
        ("resource", "https://other.example/mcp"),
    ])
    .await
    .assert_oauth_error(400, "invalid_target");
}

// ------------------------------------------------------------- refresh rules

/// A grant whose first refresh token is rotated, then presented again
/// `elapsed` later: the app, the client, the first and the rotated pair,
/// and the answer to the second presentation.
async fn reuse_after(elapsed: Duration) -> (OAuthApp, Client, Tokens, Tokens, Answer) {
    let app = spawn().await;
    let (client, first) = app.connect().await;
    let rotated = Tokens::from(&app.refresh(&client.id, &first.refresh).await);
    app.clock.advance(elapsed);
    let reused = app.refresh(&client.id, &first.refresh).await;
    (app, client, first, rotated, reused)
}

#[tokio::test]
async fn refresh_reuse_within_the_grace_window_returns_the_current_pair() {
    let (app, client, _, rotated, reused) = reuse_after(Duration::from_secs(29)).await;
    assert_eq!(reused.status, 200, "{}", reused.body);
    let reused = Tokens::from(&reused);
    assert_eq!(reused.access, rotated.access);
    assert_eq!(reused.refresh, rotated.refresh);
    app.assert_works(&rotated.access).await;
    // The current token still rotates normally afterwards.
    let next = Tokens::from(&app.refresh(&client.id, &rotated.refresh).await);
    assert_ne!(next.access, rotated.access);
    app.assert_works(&next.access).await;
}

#[tokio::test]
async fn refresh_replay_after_the_grace_window_revokes_the_grant() {
    let (app, client, first, rotated, replayed) = reuse_after(Duration::from_secs(31)).await;
    replayed.assert_oauth_error(400, "invalid_grant");
    app.assert_refused(&rotated.access).await;
    app.assert_refused(&first.access).await;
    app.refresh(&client.id, &rotated.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn concurrent_refreshes_with_one_token_get_the_same_pair() {
    let app = spawn().await;
    let (client, tokens) = app.connect().await;
    let (one, two) = tokio::join!(
        app.refresh(&client.id, &tokens.refresh),
        app.refresh(&client.id, &tokens.refresh)
    );
    let (one, two) = (Tokens::from(&one), Tokens::from(&two));
    assert_eq!(one, two);
    assert_ne!(one.refresh, tokens.refresh);
    app.assert_works(&one.access).await;
}

#[tokio::test]
async fn a_refresh_token_two_rotations_old_is_a_replay() {
    let app = spawn().await;
    let (client, first) = app.connect().await;
    let second = Tokens::from(&app.refresh(&client.id, &first.refresh).await);
    let third = Tokens::from(&app.refresh(&client.id, &second.refresh).await);
    app.refresh(&client.id, &first.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
    app.assert_refused(&third.access).await;
}

#[tokio::test]
async fn refresh_token_of_another_client_is_invalid_grant() {
    let app = spawn().await;
    let (_, tokens) = app.connect().await;
    let other = app.register_public(&[REDIRECT]).await;
    app.refresh(&other.id, &tokens.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
}

// -------------------------------------------------------------- /mcp bearer

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

/// Another client revoking one of a grant's tokens (`which`): answered
/// 200, as RFC 7009 asks, and nothing is revoked.
async fn assert_another_client_cannot_revoke(which: fn(&Tokens) -> &str) {
    let app = spawn().await;
    let (_, tokens) = app.connect().await;
    let other = app.register_public(&[REDIRECT]).await;
    assert_eq!(app.revoke(&other.id, which(&tokens)).await.status, 200);
    app.assert_works(&tokens.access).await;
}

#[tokio::test]
async fn revoke_by_another_client_does_not_revoke_but_answers_200() {
    assert_another_client_cannot_revoke(|tokens| &tokens.refresh).await;
}

#[tokio::test]
async fn revoking_another_clients_access_token_does_not_revoke_it() {
    assert_another_client_cannot_revoke(|tokens| &tokens.access).await;
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
