//! `/authorize`, what must fail: PKCE, the response type, the redirect URI,
//! the client and the resource, each shown on our page.

use malgomo_tests::oauth as support;

use support::*;

use super::*;

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
