//! `/token` with a code, what must fail: the verifier, replayed, raced,
//! expired and foreign codes, the redirect URI, the client, the resource.

use malgomo_tests::oauth as support;

use std::time::Duration;

use support::*;

use super::*;

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
