//! Attacks on the authorization server (issue 9, attacks 2–6), replayed
//! and refused: SSRF through metadata documents, open redirects, revocation
//! without the secret, burning codes, and unbounded unauthenticated work.

use malgomo::limits;
use malgomo_tests::document::DocumentHost;
use malgomo_tests::oauth as support;
use malgomo_tests::reqwest;
use serde_json::json;
use support::*;

// ------------------------------------------------------------------- SSRF

#[tokio::test]
async fn metadata_documents_on_non_global_addresses_are_never_fetched() {
    let app = spawn().await;
    let host = DocumentHost::start().await;
    // The harness reaches the host (loopback is allowed for a loopback
    // PUBLIC_URL), so a refusal below is the guard's doing.
    let reachable = host.url("127.0.0.1", "/client.json");
    let page = app.authorize_with(&reachable, REDIRECT, &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(host.fetches(), 1);
    for disguised in [
        "[::ffff:127.0.0.1]",   // IPv4-mapped loopback: a dual-stack socket reaches it
        "[::127.0.0.1]",        // IPv4-compatible
        "[64:ff9b::7f00:1]",    // NAT64 of 127.0.0.1
        "[64:ff9b::a9fe:a9fe]", // NAT64 of the metadata service
        "[2002:a00:1::]",       // 6to4 of 10.0.0.1
        "198.18.0.1",
        "240.0.0.1",
        "192.0.0.192",
    ] {
        let client_id = host.url(disguised, "/client.json");
        let answer = app.authorize_with(&client_id, REDIRECT, &[]).await;
        answer.assert_error_page(400);
        assert!(answer.header("location").is_none());
    }
    assert_eq!(host.fetches(), 1, "no disguised address was fetched");
}

// ---------------------------------------------------------- open redirect

#[tokio::test]
async fn a_self_registered_redirect_is_not_an_open_redirector() {
    let app = spawn().await;
    let evil = "https://evil.example/cb";
    let client = app.register_public(&[evil]).await;
    // The replayed attack: no PKCE, so the request is malformed.
    let answer = app
        .authorize(&[
            ("client_id", client.id.as_str()),
            ("redirect_uri", evil),
            ("response_type", "code"),
        ])
        .await;
    answer.assert_error_page(400);
    assert!(!answer.body.contains("evil.example/cb?"), "{}", answer.body);
    // Whatever else is wrong before the user is asked, we do not redirect.
    for changes in [
        &[("response_type", "token")][..],
        &[("code_challenge_method", "plain")][..],
        &[("resource", "https://other.example/mcp")][..],
    ] {
        let answer = app.authorize_with(&client.id, evil, changes).await;
        answer.assert_error_page(400);
    }
}

// ---------------------------------------------------------------- /revoke

#[tokio::test]
async fn revoke_with_a_forged_refresh_secret_revokes_nothing() {
    let app = spawn().await;
    let (client, tokens) = app.connect().await;
    let grant = tokens.refresh_grant();
    for forged in [
        format!("{grant}.anything"),
        format!("{grant}."),
        grant.to_owned(),
    ] {
        let answer = app.revoke(&client.id, &forged).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    app.assert_works(&tokens.access).await;
    // The real one still revokes.
    assert_eq!(app.revoke(&client.id, &tokens.refresh).await.status, 200);
    app.assert_refused(&tokens.access).await;
}

// ------------------------------------------------------------------ codes

async fn exchange_wrongly(app: &OAuthApp, client_id: &str, code: &str, verifier: &str) -> Answer {
    let resource = app.resource();
    app.token(&[
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier),
        ("client_id", client_id),
        ("resource", &resource),
    ])
    .await
}

#[tokio::test]
async fn a_failed_exchange_does_not_burn_the_code() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let other = app.register_public(&[REDIRECT]).await;
    let code = app.code(&client.id).await;
    // Whoever saw the code: a wrong verifier, then the wrong client.
    exchange_wrongly(&app, &client.id, &code, WRONG_VERIFIER)
        .await
        .assert_oauth_error(400, "invalid_grant");
    exchange_wrongly(&app, &other.id, &code, VERIFIER)
        .await
        .assert_oauth_error(400, "invalid_grant");
    // The rightful client still gets its tokens, and they stay good.
    let tokens = Tokens::from(&app.exchange_code(&client.id, &code, REDIRECT).await);
    app.assert_works(&tokens.access).await;
}

#[tokio::test]
async fn a_few_failed_exchanges_invalidate_the_code() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let code = app.code(&client.id).await;
    for _ in 0..malgomo::oauth::CODE_FAILURES_ALLOWED {
        exchange_wrongly(&app, &client.id, &code, WRONG_VERIFIER)
            .await
            .assert_oauth_error(400, "invalid_grant");
    }
    let answer = app.exchange_code(&client.id, &code, REDIRECT).await;
    answer.assert_oauth_error(400, "invalid_grant");
    assert!(
        answer.body.contains("unknown or expired"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn a_real_replay_still_revokes() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let code = app.code(&client.id).await;
    let tokens = Tokens::from(&app.exchange_code(&client.id, &code, REDIRECT).await);
    // A failed replay (wrong verifier) changes nothing ...
    exchange_wrongly(&app, &client.id, &code, WRONG_VERIFIER)
        .await
        .assert_oauth_error(400, "invalid_grant");
    app.assert_works(&tokens.access).await;
    // ... a replay that passes every check revokes the grant.
    app.exchange_code(&client.id, &code, REDIRECT)
        .await
        .assert_oauth_error(400, "invalid_grant");
    app.assert_refused(&tokens.access).await;
}

// ------------------------------------------- bounded unauthenticated work

const ATTACKER: [u8; 4] = [127, 0, 0, 2];
const NEIGHBOUR: [u8; 4] = [127, 0, 0, 3];

async fn register_via(app: &OAuthApp, http: &reqwest::Client) -> Answer {
    exchange(
        http.post(app.url("/register"))
            .header("content-type", "application/json")
            .body(
                json!({ "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none" })
                    .to_string(),
            ),
    )
    .await
}

/// A correct authorization request's URL, for any HTTP client to GET.
fn authorize_url(app: &OAuthApp, client_id: &str) -> url::Url {
    let params = app.authorize_params(client_id, REDIRECT, &[]);
    let mut url = url::Url::parse(&app.url("/authorize")).expect("a URL");
    url.query_pairs_mut()
        .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
    url
}

#[tokio::test]
async fn registrations_are_limited_per_address() {
    let app = spawn().await;
    let attacker = malgomo_tests::http_from(ATTACKER);
    for n in 0..limits::REGISTER.max {
        let answer = register_via(&app, &attacker).await;
        assert_eq!(answer.status, 201, "registration {n}: {}", answer.body);
    }
    let refused = register_via(&app, &attacker).await;
    refused.assert_oauth_error(429, "temporarily_unavailable");
    let wait: u64 = refused
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    // Someone else is not affected.
    let answer = register_via(&app, &malgomo_tests::http_from(NEIGHBOUR)).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
}

#[tokio::test]
async fn authorization_requests_are_limited_per_address() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let url = authorize_url(&app, &client.id);
    let attacker = malgomo_tests::http_from(ATTACKER);
    for n in 0..limits::AUTHORIZE.max {
        let answer = exchange(attacker.get(url.clone())).await;
        assert_eq!(answer.status, 200, "request {n}: {}", answer.body);
    }
    let refused = exchange(attacker.get(url.clone())).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.header("retry-after").is_some());
    assert!(
        !refused.body.contains("csrf_token"),
        "no pending sign-in was made"
    );
    let answer = exchange(malgomo_tests::http_from(NEIGHBOUR).get(url)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn metadata_fetches_are_limited_per_address() {
    let app = spawn().await;
    let host = DocumentHost::start().await;
    let attacker = malgomo_tests::http_from(ATTACKER);
    let authorize = |client_id: String| authorize_url(&app, &client_id);
    for n in 0..limits::METADATA_FETCH.max {
        let client_id = host.url("127.0.0.1", &format!("/client-{n}.json"));
        let answer = exchange(attacker.get(authorize(client_id))).await;
        assert_eq!(answer.status, 200, "document {n}: {}", answer.body);
    }
    let fresh = host.url("127.0.0.1", "/one-more.json");
    let refused = exchange(attacker.get(authorize(fresh.clone()))).await;
    refused.assert_error_page(400);
    assert!(
        refused.body.contains("metadata fetches"),
        "{}",
        refused.body
    );
    assert_eq!(host.fetches(), limits::METADATA_FETCH.max);
    // A cached document costs no fetch and is still served.
    let cached = host.url("127.0.0.1", "/client-0.json");
    let answer = exchange(attacker.get(authorize(cached))).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    // Another address may still fetch.
    let answer = exchange(malgomo_tests::http_from(NEIGHBOUR).get(authorize(fresh))).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(host.fetches(), limits::METADATA_FETCH.max + 1);
}

#[tokio::test]
async fn registrations_never_used_expire_within_a_day_and_used_ones_live_on() {
    let app = spawn().await;
    let unused = app.register_public(&[REDIRECT]).await;
    let (used, tokens) = app.connect().await;
    app.clock
        .advance(std::time::Duration::from_secs(24 * 60 * 60 + 1));
    app.authorize_with(&unused.id, REDIRECT, &[])
        .await
        .assert_error_page(400);
    let page = app.authorize_with(&used.id, REDIRECT, &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    Tokens::from(&app.refresh(&used.id, &tokens.refresh).await);
}
