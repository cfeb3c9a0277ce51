//! Mode A for browser clients: CORS on discovery, registration, token and
//! revocation.

use malgomo_tests::oauth as support;
use serde_json::json;
use support::*;

#[tokio::test]
async fn browser_clients_get_cors_on_discovery_register_token_and_revoke() {
    let app = spawn().await;
    let paths = [
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
        "/register",
        "/token",
        "/revoke",
    ];
    for path in paths {
        let preflight = exchange(
            app.http
                .request(reqwest::Method::OPTIONS, app.url(path))
                .header("origin", BROWSER_ORIGIN)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type"),
        )
        .await;
        assert!(
            preflight.status == 200 || preflight.status == 204,
            "{path}: preflight {}",
            preflight.status
        );
        assert_eq!(
            preflight.header("access-control-allow-origin"),
            Some(BROWSER_ORIGIN),
            "{path}"
        );
        assert!(
            preflight
                .header("access-control-allow-methods")
                .is_some_and(|m| m.contains("POST")),
            "{path}"
        );
    }
    for path in &paths[..4] {
        let answer = exchange(app.http.get(app.url(path)).header("origin", BROWSER_ORIGIN)).await;
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(
            answer.header("access-control-allow-origin"),
            Some(BROWSER_ORIGIN),
            "{path}"
        );
    }
    let registered = exchange(
        app.http
            .post(app.url("/register"))
            .header("origin", BROWSER_ORIGIN)
            .header("content-type", "application/json")
            .body(
                json!({ "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none" })
                    .to_string(),
            ),
    )
    .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    assert_eq!(
        registered.header("access-control-allow-origin"),
        Some(BROWSER_ORIGIN)
    );
    let client_id = registered.json()["client_id"].as_str().unwrap().to_owned();
    // Error answers carry CORS too, so a browser client can read them.
    let token = exchange(
        app.post_form(
            "/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", "mgc_nope"),
                ("client_id", &client_id),
            ],
        )
        .header("origin", BROWSER_ORIGIN),
    )
    .await;
    token.assert_oauth_error(400, "invalid_grant");
    assert_eq!(
        token.header("access-control-allow-origin"),
        Some(BROWSER_ORIGIN)
    );
    let revoke = exchange(
        app.post_form(
            "/revoke",
            &[("token", "mga_nope"), ("client_id", &client_id)],
        )
        .header("origin", BROWSER_ORIGIN),
    )
    .await;
    assert_eq!(revoke.status, 200, "{}", revoke.body);
    assert_eq!(
        revoke.header("access-control-allow-origin"),
        Some(BROWSER_ORIGIN)
    );
}
