//! `private_key_jwt` (RFC 7523) for metadata-document clients (issue 17):
//! ChatGPT's document shape served with its JWK Set from a loopback host,
//! the whole flow with signed assertions, each classic forgery refused,
//! key rotation with a bounded number of JWKS fetches, and a `jti` spent
//! once across two instances on one DynamoDB table.

use std::time::Duration;

use malgomo::clock::Clock;
use malgomo_tests::client_keys::{self, ASSERTION_TYPE, Key, jwks};
use malgomo_tests::key_host::KeyHost;
use malgomo_tests::oauth as support;
use serde_json::{Value, json};
use support::*;

fn now(app: &OAuthApp) -> i64 {
    app.clock.now_secs()
}

/// Claims of a good assertion by `client_id` to `app`'s token endpoint.
fn good(app: &OAuthApp, client_id: &str) -> Value {
    client_keys::claims(client_id, &format!("{}/token", app.public), now(app))
}

/// The code exchange of a `private_key_jwt` client, `client_id` in the form.
async fn exchange_signed(app: &Endpoint, client_id: &str, code: &str, assertion: &str) -> Answer {
    let resource = app.resource();
    app.token(&[
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
        ("client_id", client_id),
        ("resource", &resource),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", assertion),
    ])
    .await
}

/// A refresh naming the client only through the assertion's `iss`.
async fn refresh_signed(app: &Endpoint, refresh: &str, assertion: &str) -> Answer {
    app.token(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", assertion),
    ])
    .await
}

/// A mode-A app and a ChatGPT-shaped client signing with RSA fixture 1.
async fn chatgpt() -> (OAuthApp, KeyHost, Key) {
    let app = spawn().await;
    let key = Key::rsa(1, "chatgpt-1");
    let host = KeyHost::start(REDIRECT, jwks(&[&key])).await;
    (app, host, key)
}

#[tokio::test]
async fn the_metadata_advertises_private_key_jwt_and_its_algorithms() {
    let app = spawn().await;
    let doc = app
        .get("/.well-known/oauth-authorization-server")
        .await
        .json();
    for endpoint in ["token", "revocation"] {
        let methods = &doc[format!("{endpoint}_endpoint_auth_methods_supported")];
        assert!(
            methods
                .as_array()
                .unwrap()
                .contains(&json!("private_key_jwt")),
            "{methods}"
        );
        assert_eq!(
            doc[format!("{endpoint}_endpoint_auth_signing_alg_values_supported")],
            json!(["RS256", "ES256"])
        );
    }
}

#[tokio::test]
async fn a_chatgpt_shaped_client_connects_refreshes_and_revokes_with_assertions() {
    let (app, host, key) = chatgpt().await;
    let client_id = host.client_id();
    let page = app.authorize_with(&client_id, REDIRECT, &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let code = app.code(&client_id).await;
    let answer = exchange_signed(&app, &client_id, &code, &key.sign(&good(&app, &client_id))).await;
    let tokens = Tokens::from(&answer);
    app.assert_works(&tokens.access).await;

    // Refresh with a fresh assertion, the client named by its iss alone.
    app.clock.advance(Duration::from_secs(10));
    let refreshed = Tokens::from(
        &refresh_signed(&app, &tokens.refresh, &key.sign(&good(&app, &client_id))).await,
    );
    app.assert_works(&refreshed.access).await;

    // Revocation authenticates the same way; aud may name /revoke.
    let claims = client_keys::claims(&client_id, &format!("{}/revoke", app.public), now(&app));
    let revoked = exchange(app.post_form(
        "/revoke",
        &[
            ("token", &refreshed.access),
            ("client_id", &client_id),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &key.sign(&claims)),
        ],
    ))
    .await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    app.assert_refused(&refreshed.access).await;
    assert_eq!(host.jwks_fetches(), 1, "the JWK Set is cached");
}

#[tokio::test]
async fn forged_assertions_are_refused_and_change_nothing() {
    let (app, host, key) = chatgpt().await;
    let client_id = host.client_id();
    let code = app.code(&client_id).await;
    let other_key = Key::rsa(2, "chatgpt-1");
    let t = now(&app);
    let with = |change: &dyn Fn(&mut Value)| {
        let mut claims = good(&app, &client_id);
        change(&mut claims);
        claims
    };
    let forgeries: Vec<(&str, String)> = vec![
        (
            "alg none",
            client_keys::unsigned("chatgpt-1", &good(&app, &client_id)),
        ),
        (
            "HS256 keyed with the public key",
            client_keys::hmac_with(&key.public_bytes(), "chatgpt-1", &good(&app, &client_id)),
        ),
        (
            "unknown kid",
            Key::rsa(1, "made-up").sign(&good(&app, &client_id)),
        ),
        (
            "another key, same kid",
            other_key.sign(&good(&app, &client_id)),
        ),
        (
            "wrong iss",
            key.sign(&with(&|c| c["iss"] = "https://evil.example/c.json".into())),
        ),
        (
            "wrong sub",
            key.sign(&with(&|c| c["sub"] = "someone-else".into())),
        ),
        (
            "wrong aud",
            key.sign(&with(&|c| c["aud"] = "https://evil.example/token".into())),
        ),
        ("expired", key.sign(&with(&|c| c["exp"] = (t - 120).into()))),
        (
            "exp far ahead",
            key.sign(&with(&|c| c["exp"] = (t + 2 * 3600).into())),
        ),
        (
            "no jti",
            key.sign(&with(&|c| {
                c.as_object_mut().unwrap().remove("jti");
            })),
        ),
        (
            "ES256 from an RS256-only client",
            Key::ec("chatgpt-1").sign(&good(&app, &client_id)),
        ),
        ("not a JWS", "not.a.jws".to_owned()),
    ];
    for (name, forged) in &forgeries {
        let answer = exchange_signed(&app, &client_id, &code, forged).await;
        answer.assert_oauth_error(401, "invalid_client");
        assert!(
            !answer.body.contains("access_token"),
            "{name}: {}",
            answer.body
        );
    }
    // A signature made for other claims does not carry over.
    let genuine = key.sign(&good(&app, &client_id));
    let (head, signature) = genuine.rsplit_once('.').unwrap();
    let (header, _) = head.split_once('.').unwrap();
    let swapped = key.sign(&with(&|c| c["iss"] = "x".into()));
    let swapped_claims = swapped.split('.').nth(1).unwrap();
    let spliced = format!("{header}.{swapped_claims}.{signature}");
    exchange_signed(&app, &client_id, &code, &spliced)
        .await
        .assert_oauth_error(401, "invalid_client");
    // Wrong assertion type; and no assertion at all for a private_key_jwt-only client.
    let wrong_type = app
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
            ("client_id", &client_id),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
            ),
            ("client_assertion", &genuine),
        ])
        .await;
    wrong_type.assert_oauth_error(401, "invalid_client");
    app.exchange_code(&client_id, &code, REDIRECT)
        .await
        .assert_oauth_error(401, "invalid_client");
    // None of that touched the code: the genuine assertion still exchanges it.
    let tokens = Tokens::from(&exchange_signed(&app, &client_id, &code, &genuine).await);
    app.assert_works(&tokens.access).await;
    // And that assertion, replayed, is refused.
    refresh_signed(&app, &tokens.refresh, &genuine)
        .await
        .assert_oauth_error(401, "invalid_client");
}

#[tokio::test]
async fn a_rotated_key_works_after_one_refetch_and_made_up_kids_cost_one_fetch() {
    let (app, host, old) = chatgpt().await;
    let client_id = host.client_id();
    let code = app.code(&client_id).await;
    let tokens = Tokens::from(
        &exchange_signed(&app, &client_id, &code, &old.sign(&good(&app, &client_id))).await,
    );
    assert_eq!(host.jwks_fetches(), 1);

    // The client rotates to a new key (after our refetch interval).
    app.clock.advance(Duration::from_secs(6 * 60));
    let new = Key::rsa(2, "chatgpt-2");
    host.set_jwks(jwks(&[&new]));
    let rotated = Tokens::from(
        &refresh_signed(&app, &tokens.refresh, &new.sign(&good(&app, &client_id))).await,
    );
    assert_eq!(host.jwks_fetches(), 2, "one refetch for the new kid");
    app.assert_works(&rotated.access).await;
    // The old key is gone from the set we now hold.
    refresh_signed(&app, &rotated.refresh, &old.sign(&good(&app, &client_id)))
        .await
        .assert_oauth_error(401, "invalid_client");
    assert_eq!(host.jwks_fetches(), 2, "just fetched: no refetch");

    // Made-up kids, twice in a row, later: one fetch between them.
    app.clock.advance(Duration::from_secs(6 * 60));
    for n in 0..2 {
        let forged = Key::rsa(2, &format!("made-up-{n}")).sign(&good(&app, &client_id));
        refresh_signed(&app, &rotated.refresh, &forged)
            .await
            .assert_oauth_error(401, "invalid_client");
    }
    assert_eq!(
        host.jwks_fetches(),
        3,
        "a flood of unknown kids costs one fetch"
    );
    // The grant was never touched by the refused attempts.
    let again = Tokens::from(
        &refresh_signed(&app, &rotated.refresh, &new.sign(&good(&app, &client_id))).await,
    );
    app.assert_works(&again.access).await;
}

#[tokio::test]
async fn a_document_that_also_lists_none_may_use_pkce_alone_but_never_a_bad_assertion() {
    let (app, host, key) = chatgpt().await;
    let client_id = host.client_id();
    let mut document = host.chatgpt_document(REDIRECT);
    document["token_endpoint_auth_methods_supported"] = json!(["none", "private_key_jwt"]);
    host.set_document(document);
    let code = app.code(&client_id).await;
    // A presented assertion that fails is refused, not downgraded.
    let forged = client_keys::unsigned(key.kid(), &good(&app, &client_id));
    exchange_signed(&app, &client_id, &code, &forged)
        .await
        .assert_oauth_error(401, "invalid_client");
    let tokens = Tokens::from(&app.exchange_code(&client_id, &code, REDIRECT).await);
    app.assert_works(&tokens.access).await;
}

#[tokio::test]
async fn an_inline_es256_key_set_works() {
    let app = spawn().await;
    let key = Key::ec("ec-1");
    let host = KeyHost::start(REDIRECT, json!({ "keys": [] })).await;
    let mut document = host.chatgpt_document(REDIRECT);
    let object = document.as_object_mut().unwrap();
    object.remove("jwks_uri");
    object.insert("jwks".into(), jwks(&[&key]));
    object.insert("token_endpoint_auth_signing_alg".into(), "ES256".into());
    host.set_document(document);
    let client_id = host.client_id();
    let code = app.code(&client_id).await;
    let tokens = Tokens::from(
        &exchange_signed(&app, &client_id, &code, &key.sign(&good(&app, &client_id))).await,
    );
    app.assert_works(&tokens.access).await;
    assert_eq!(host.jwks_fetches(), 0);
}

#[tokio::test]
async fn documents_with_unusable_authentication_are_refused() {
    let app = spawn().await;
    let key = Key::rsa(1, "k");
    let host = KeyHost::start(REDIRECT, jwks(&[&key])).await;
    let base = host.chatgpt_document(REDIRECT);
    type Change<'a> = &'a dyn Fn(&mut serde_json::Map<String, Value>);
    let cases: [(&str, Change); 5] = [
        ("no keys", &|d| {
            d.remove("jwks_uri");
        }),
        ("both jwks and jwks_uri", &|d| {
            d.insert("jwks".into(), jwks(&[&key]));
        }),
        ("HS256", &|d| {
            d.insert("token_endpoint_auth_signing_alg".into(), "HS256".into());
        }),
        ("a shared secret", &|d| {
            d.insert(
                "token_endpoint_auth_method".into(),
                "client_secret_basic".into(),
            );
        }),
        ("a private jwks_uri scheme", &|d| {
            d.insert("jwks_uri".into(), "ftp://127.0.0.1/jwks.json".into());
        }),
    ];
    for (name, change) in cases {
        let mut document = base.clone();
        change(document.as_object_mut().unwrap());
        // A fresh URL each time: documents are cached by URL.
        let client_id = format!("{}?case={}", host.client_id(), name.replace(' ', "-"));
        document["client_id"] = client_id.clone().into();
        host.set_document(document);
        let answer = app.authorize_with(&client_id, REDIRECT, &[]).await;
        assert_eq!(answer.status, 400, "{name}: {}", answer.body);
    }
}

#[tokio::test]
async fn a_jti_is_spent_once_across_two_instances_on_one_table() {
    let (a, b) = two_on_one_table().await;
    let key = Key::rsa(1, "chatgpt-1");
    let host = KeyHost::start(REDIRECT, jwks(&[&key])).await;
    let client_id = host.client_id();
    let code = a.code(&client_id).await;
    let assertion = key.sign(&good(&a, &client_id));
    let tokens = Tokens::from(&exchange_signed(&a, &client_id, &code, &assertion).await);
    // The same assertion, to the other instance and to the first.
    refresh_signed(&b, &tokens.refresh, &assertion)
        .await
        .assert_oauth_error(401, "invalid_client");
    refresh_signed(&a, &tokens.refresh, &assertion)
        .await
        .assert_oauth_error(401, "invalid_client");
    // A fresh one works on B, and the grant is intact.
    let refreshed =
        Tokens::from(&refresh_signed(&b, &tokens.refresh, &key.sign(&good(&b, &client_id))).await);
    a.assert_works(&refreshed.access).await;
}
