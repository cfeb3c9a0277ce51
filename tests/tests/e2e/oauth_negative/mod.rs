//! Mode A, what must fail and how: `/authorize` (PKCE, redirect URI,
//! client, resource), `/token` (verifier, codes, refresh rotation, client
//! authentication, resource) and bearer validation on `/mcp` — each with
//! its exact status and error code.
//!
//! One file an endpoint: `/authorize` (`authorize.rs`), `/token` with a
//! code (`token.rs`) and with a refresh token (`refresh.rs`), `/revoke`
//! (`revoke.rs`), and the bearer on `/mcp` (`bearer.rs`); the assertions
//! and the app with a code they share are here.

mod authorize;
mod bearer;
mod refresh;
mod revoke;
mod token;

use malgomo_tests::oauth as support;

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
