//! Mode A (`PUBLIC_URL` set), the way a client meets it: discovery, the
//! 401 challenge on `/mcp`, the whole flow from registration to revocation,
//! and the mode-A tools. CORS for browser clients, server-side renewal of
//! the upstream token and two instances on one table have files of their
//! own (`oauth_cors.rs`, `oauth_renewal.rs`, `oauth_instances.rs`).

use malgomo_tests::oauth as support;
use malgomo_tests::{request, text};
use serde_json::json;
use support::*;

// ---------------------------------------------------------------- discovery

#[tokio::test]
async fn protected_resource_metadata_at_both_paths() {
    let app = spawn().await;
    for path in [
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
    ] {
        let answer = app.get(path).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        let doc = answer.json();
        assert_eq!(doc["resource"], format!("{}/mcp", app.base), "{path}");
        assert_eq!(doc["authorization_servers"], json!([app.base]), "{path}");
        assert!(
            doc["scopes_supported"]
                .as_array()
                .is_some_and(|s| s.contains(&json!("mcp"))),
            "{doc}"
        );
    }
}

#[tokio::test]
async fn authorization_server_metadata_at_both_paths() {
    let app = spawn().await;
    assert!(!app.base.ends_with('/'));
    for path in [
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
    ] {
        let answer = app.get(path).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        let doc = answer.json();
        assert_eq!(
            doc["issuer"], app.base,
            "{path}: issuer is PUBLIC_URL exactly"
        );
        assert_eq!(doc["authorization_endpoint"], app.url("/authorize"));
        assert_eq!(doc["token_endpoint"], app.url("/token"));
        assert_eq!(doc["registration_endpoint"], app.url("/register"));
        assert_eq!(doc["revocation_endpoint"], app.url("/revoke"));
        assert_eq!(doc["response_types_supported"], json!(["code"]));
        assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
        let grants = doc["grant_types_supported"]
            .as_array()
            .expect("grant types");
        assert!(grants.contains(&json!("authorization_code")), "{doc}");
        assert!(grants.contains(&json!("refresh_token")), "{doc}");
        let methods = doc["token_endpoint_auth_methods_supported"]
            .as_array()
            .expect("auth methods");
        assert!(methods.contains(&json!("none")), "{doc}");
        assert!(methods.contains(&json!("client_secret_post")), "{doc}");
        assert_eq!(doc["client_id_metadata_document_supported"], true);
        assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
    }
}

#[tokio::test]
async fn a_public_url_with_a_trailing_slash_gives_a_slashless_issuer() {
    let (listener, base) = bind().await;
    let app = spawn_on(listener, &format!("{base}/"), Shared::default()).await;
    let doc = app
        .get("/.well-known/oauth-authorization-server")
        .await
        .json();
    assert_eq!(doc["issuer"], base);
    assert_eq!(doc["token_endpoint"], format!("{base}/token"));
    let doc = app
        .get("/.well-known/oauth-protected-resource/mcp")
        .await
        .json();
    assert_eq!(doc["resource"], format!("{base}/mcp"));
    assert_eq!(doc["authorization_servers"], json!([base]));
    let answer = app.call("garbage", KPIS, json!({})).await;
    assert!(
        answer
            .header("www-authenticate")
            .is_some_and(|c| c.contains(&format!(
                "resource_metadata=\"{base}/.well-known/oauth-protected-resource/mcp\""
            ))),
        "{:?}",
        answer.header("www-authenticate")
    );
}

// ------------------------------------------------------------ the challenge

#[tokio::test]
async fn mcp_without_a_bearer_is_401_with_one_challenge() {
    let app = spawn().await;
    let expected = format!(
        "Bearer resource_metadata=\"{}/.well-known/oauth-protected-resource/mcp\", scope=\"mcp\"",
        app.base
    );
    let initialize = request(
        0,
        "initialize",
        json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": { "name": "oauth-tests", "version": "0" }
        }),
    );
    let answers = [
        exchange(
            app.http
                .post(app.url("/mcp"))
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream")
                .body(initialize.to_string()),
        )
        .await,
        exchange(
            app.http
                .post(app.url("/mcp"))
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream")
                .body(
                    request(1, "tools/call", json!({ "name": KPIS, "arguments": {} })).to_string(),
                ),
        )
        .await,
        exchange(
            app.http
                .get(app.url("/mcp"))
                .header("accept", "text/event-stream"),
        )
        .await,
        exchange(
            app.http
                .delete(app.url("/mcp"))
                .header("mcp-session-id", "x"),
        )
        .await,
    ];
    for answer in answers {
        assert_eq!(answer.status, 401, "{}", answer.body);
        assert_eq!(answer.header_count("www-authenticate"), 1);
        assert_eq!(answer.header("www-authenticate"), Some(expected.as_str()));
    }
}

#[tokio::test]
async fn mcp_with_a_garbage_token_is_401_invalid_token() {
    let app = spawn().await;
    for garbage in [
        "garbage",
        "mga_not-a-real-token",
        "eyJhbGciOiJIUzI1NiJ9.e30.x",
    ] {
        let answer = app.call(garbage, KPIS, json!({})).await;
        assert_eq!(answer.status, 401, "{garbage}: {}", answer.body);
        assert_eq!(answer.header_count("www-authenticate"), 1);
        let challenge = answer.header("www-authenticate").unwrap();
        assert!(
            challenge.starts_with(&format!(
                "Bearer resource_metadata=\"{}/.well-known/oauth-protected-resource/mcp\"",
                app.base
            )),
            "{challenge}"
        );
        assert!(challenge.contains("scope=\"mcp\""), "{challenge}");
        assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
        assert_eq!(answer.error(), "invalid_token");
    }
}

// ------------------------------------------------------------ the happy path

#[tokio::test]
async fn register_authorize_sign_in_token_call_refresh_revoke() {
    let app = spawn().await;
    // Registration (DCR) of a public client.
    let registered = app
        .register(&json!({
            "redirect_uris": [REDIRECT],
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "client_name": "Flow test client",
        }))
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    assert_eq!(registered.header("cache-control"), Some("no-store"));
    let doc = registered.json();
    let client_id = doc["client_id"].as_str().expect("client_id").to_owned();
    assert!(doc.get("client_secret").is_none(), "{doc}");
    assert_eq!(doc["redirect_uris"], json!([REDIRECT]));

    // The sign-in page names the client, has the form, CSRF and CSP.
    let authorize = app.authorize_with(&client_id, REDIRECT, &[]).await;
    assert_eq!(authorize.status, 200, "{}", authorize.body);
    let csp = authorize.header("content-security-policy").expect("CSP");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let page = SignInPage::parse(&authorize);
    assert!(page.html.contains("Flow test client"));
    assert!(page.html.contains("name=\"email\""));
    assert!(page.html.contains("name=\"password\""));

    // Sign-in → 303 to the client with code, state and iss.
    let login = app.login(&page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(login.status, 303, "{}", login.body);
    let location = login.location();
    assert!(location.as_str().starts_with(REDIRECT), "{location}");
    assert_eq!(param(&location, "state").as_deref(), Some(STATE));
    assert_eq!(param(&location, "iss").as_deref(), Some(app.base.as_str()));
    let code = param(&location, "code").expect("code");

    // Code → tokens.
    let token = app.exchange_code(&client_id, &code, REDIRECT).await;
    assert_eq!(token.status, 200, "{}", token.body);
    assert_eq!(token.header("cache-control"), Some("no-store"));
    let body = token.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "mcp");
    assert_eq!(
        body["expires_in"],
        24 * 60 * 60,
        "default access-token lifetime"
    );
    let first = Tokens::from(&token);
    assert!(
        !first.access.starts_with("eyJ"),
        "our own token, not Supabase's"
    );

    // tools/call through an MCP session, as a client does.
    let mut mcp = app.mcp(&first.access);
    mcp.initialize("2025-06-18").await;
    assert!(mcp.session.is_some());
    let kpis = mcp.call_tool(KPIS, json!({})).await;
    assert_eq!(kpis["isError"], false, "{kpis}");
    let status = mcp.call_tool("malgomo_status", json!({})).await;
    assert_eq!(status["isError"], false, "{status}");
    let report = &status["structuredContent"];
    assert_eq!(report["via"], "oauth", "{status}");
    assert_eq!(report["email"], OWNER, "{status}");
    assert_eq!(report["logged_in"], true, "{status}");

    // Refresh rotates both tokens.
    let refreshed = app.refresh(&client_id, &first.refresh).await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    assert_eq!(refreshed.header("cache-control"), Some("no-store"));
    let second = Tokens::from(&refreshed);
    assert_ne!(second.access, first.access);
    assert_ne!(second.refresh, first.refresh);
    app.assert_works(&second.access).await;
    // What the code does: rotation issues a new access token and leaves the
    // old one valid until its own expiry (or until the grant is revoked).
    app.assert_works(&first.access).await;
    // The session moves to the new token (it is bound to the grant).
    mcp.bearer = Some(second.access.clone());
    assert_eq!(mcp.call_tool(KPIS, json!({})).await["isError"], false);

    // Revocation: 200, and every token of the grant stops at once.
    let revoked = app.revoke(&client_id, &second.access).await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    app.assert_refused(&second.access).await;
    app.assert_refused(&first.access).await;
    app.refresh(&client_id, &second.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
    // Revoking again (an unknown token now) is still 200.
    assert_eq!(app.revoke(&client_id, &second.access).await.status, 200);
}

#[tokio::test]
async fn revoking_the_refresh_token_revokes_the_grant() {
    let app = spawn().await;
    let (client, tokens) = app.connect().await;
    app.assert_works(&tokens.access).await;
    assert_eq!(app.revoke(&client.id, &tokens.refresh).await.status, 200);
    app.assert_refused(&tokens.access).await;
    app.refresh(&client.id, &tokens.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn codex_style_request_without_resource_gets_our_audience() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let code = app
        .code_with(&client.id, REDIRECT, &[("resource", "")])
        .await;
    let answer = app
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
            ("client_id", &client.id),
        ])
        .await;
    let tokens = Tokens::from(&answer);
    // Audience-bound to our /mcp: accepted there.
    app.assert_works(&tokens.access).await;
    let refreshed = app.refresh(&client.id, &tokens.refresh).await;
    app.assert_works(&Tokens::from(&refreshed).access).await;
}

#[tokio::test]
async fn resource_with_a_trailing_slash_is_ours() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let slashed = format!("{}/", app.resource());
    let code = app
        .code_with(&client.id, REDIRECT, &[("resource", &slashed)])
        .await;
    let tokens = Tokens::from(&app.exchange_code(&client.id, &code, REDIRECT).await);
    app.assert_works(&tokens.access).await;
}

#[tokio::test]
async fn missing_scope_gets_the_default_scope_and_a_refresh_token() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let code = app.code_with(&client.id, REDIRECT, &[("scope", "")]).await;
    let answer = app.exchange_code(&client.id, &code, REDIRECT).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["scope"], "mcp");
    // Refresh tokens come whether or not offline_access was asked for.
    assert!(answer.json()["refresh_token"].as_str().is_some());
    let refreshed = app
        .refresh(&client.id, &Tokens::from(&answer).refresh)
        .await;
    assert_eq!(refreshed.json()["scope"], "mcp");

    let code = app
        .code_with(&client.id, REDIRECT, &[("scope", "offline_access")])
        .await;
    let answer = app.exchange_code(&client.id, &code, REDIRECT).await;
    assert_eq!(answer.json()["scope"], "mcp offline_access");
}

#[tokio::test]
async fn loopback_redirect_matches_any_port_and_localhost() {
    let app = spawn().await;
    let client = app.register_public(&["http://127.0.0.1/cb"]).await;
    for requested in ["http://127.0.0.1:54321/cb", "http://localhost:54321/cb"] {
        let page = app.authorize_with(&client.id, requested, &[]).await;
        assert_eq!(page.status, 200, "{requested}: {}", page.body);
        assert!(page.body.contains("Sign in to MalGomo"), "{requested}");
        // ... and the code goes to the port asked for, and exchanges.
        let code = app.code_with(&client.id, requested, &[]).await;
        let tokens = Tokens::from(&app.exchange_code(&client.id, &code, requested).await);
        app.assert_works(&tokens.access).await;
    }
    // Another path is not a match.
    app.authorize_with(&client.id, "http://127.0.0.1:54321/other", &[])
        .await
        .assert_error_page(400);
}

// ----------------------------------------------------- confidential clients

#[tokio::test]
async fn client_secret_post_needs_the_right_secret() {
    let app = spawn().await;
    let client = app.register_confidential("client_secret_post").await;
    let secret = client.secret.clone().expect("a secret");
    let resource = app.resource();
    let exchange_with = |code: String, secret: Option<String>| {
        let (client_id, resource) = (client.id.clone(), resource.clone());
        let app = &app;
        async move {
            let mut pairs = vec![
                ("grant_type", "authorization_code".to_owned()),
                ("code", code),
                ("redirect_uri", REDIRECT.to_owned()),
                ("code_verifier", VERIFIER.to_owned()),
                ("client_id", client_id),
                ("resource", resource),
            ];
            if let Some(secret) = secret {
                pairs.push(("client_secret", secret));
            }
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.token(&pairs).await
        }
    };
    // Wrong secret, and no secret: 401 invalid_client (the code survives).
    let code = app.code(&client.id).await;
    exchange_with(code.clone(), Some("mcs_wrong".into()))
        .await
        .assert_oauth_error(401, "invalid_client");
    exchange_with(code.clone(), None)
        .await
        .assert_oauth_error(401, "invalid_client");
    // The right one: 200.
    let answer = exchange_with(code, Some(secret.clone())).await;
    let tokens = Tokens::from(&answer);
    app.assert_works(&tokens.access).await;
    // Refresh also authenticates the client.
    app.refresh(&client.id, &tokens.refresh)
        .await
        .assert_oauth_error(401, "invalid_client");
    let refreshed = app
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &tokens.refresh),
            ("client_id", &client.id),
            ("client_secret", &secret),
        ])
        .await;
    app.assert_works(&Tokens::from(&refreshed).access).await;
}

#[tokio::test]
async fn http_basic_client_authentication_works() {
    let app = spawn().await;
    for method in ["client_secret_basic", "client_secret_post"] {
        let client = app.register_confidential(method).await;
        let secret = client.secret.clone().unwrap();
        let code = app.code(&client.id).await;
        let pairs = [
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ];
        let wrong = exchange(
            app.post_form("/token", &pairs)
                .basic_auth(&client.id, Some("mcs_wrong")),
        )
        .await;
        wrong.assert_oauth_error(401, "invalid_client");
        let right = exchange(
            app.post_form("/token", &pairs)
                .basic_auth(&client.id, Some(&secret)),
        )
        .await;
        let tokens = Tokens::from(&right);
        app.assert_works(&tokens.access).await;
        // Revocation authenticates the same way.
        let revoked = exchange(
            app.post_form("/revoke", &[("token", tokens.access.as_str())])
                .basic_auth(&client.id, Some(&secret)),
        )
        .await;
        assert_eq!(revoked.status, 200, "{method}: {}", revoked.body);
        app.assert_refused(&tokens.access).await;
    }
}

// -------------------------------------------------------------- mode A tools

#[tokio::test]
async fn login_tool_explains_that_sign_in_happens_at_connect() {
    let app = spawn().await;
    let (_, tokens) = app.connect().await;
    let answer = app
        .call(
            &tokens.access,
            "malgomo_login",
            json!({ "email": OWNER, "password": OWNER_PASSWORD }),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let result = answer.json()["result"].clone();
    assert_eq!(result["isError"], false, "{result}");
    let said = text(&result);
    assert!(said.contains("connect"), "{said}");
    assert!(said.contains(OWNER), "{said}");
    // No password grant happened for it: only the sign-in page's one.
    assert_eq!(app.sim.counters().logins, 1);
}

#[tokio::test]
async fn login_tool_without_arguments_explains_that_sign_in_happens_at_connect() {
    let app = spawn().await;
    let (_, tokens) = app.connect().await;
    let answer = app.call(&tokens.access, "malgomo_login", json!({})).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.json();
    assert!(body.get("error").is_none(), "{body}");
    let result = &body["result"];
    assert_eq!(result["isError"], false, "{result}");
    assert!(text(result).contains("connect"), "{result}");
}

#[tokio::test]
async fn logout_tool_revokes_the_grant() {
    let app = spawn().await;
    let (client, tokens) = app.connect().await;
    let mut mcp = app.mcp(&tokens.access);
    mcp.initialize("2025-06-18").await;
    let result = mcp.call_tool("malgomo_logout", json!({})).await;
    assert_eq!(result["isError"], false, "{result}");
    assert!(text(&result).contains(OWNER), "{result}");
    app.assert_refused(&tokens.access).await;
    let (status, _) = mcp
        .rpc("tools/call", json!({ "name": KPIS, "arguments": {} }))
        .await;
    assert_eq!(status, 401);
    app.refresh(&client.id, &tokens.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
}
