//! Mode A, the client-facing edges: Dynamic Client Registration (what is
//! accepted and refused, the size cap) and the sign-in page and form
//! (escaping, CSRF, the password never echoed, the login rate limit).

use malgomo::limits::password::{PER_ADDRESS, PER_PAIR};
use malgomo_tests::UNBUDGETED;
use malgomo_tests::oauth as support;

use serde_json::json;
use support::*;

// ------------------------------------------------------------- registration

#[tokio::test]
async fn a_client_in_use_outlives_its_first_thirty_days() {
    let app = spawn().await;
    let (client, first) = app.connect().await;
    // Day 20: the client refreshes, which extends its registration.
    app.clock
        .advance(std::time::Duration::from_secs(20 * 24 * 3600));
    let second = Tokens::from(&app.refresh(&client.id, &first.refresh).await);
    // Day 40: past the first 30 days, the client is still known.
    app.clock
        .advance(std::time::Duration::from_secs(20 * 24 * 3600));
    let third = app.refresh(&client.id, &second.refresh).await;
    assert_eq!(third.status, 200, "{}", third.body);
}

#[tokio::test]
async fn an_unused_client_expires_after_thirty_days() {
    let app = spawn().await;
    let client = app.register_public(&["http://127.0.0.1/callback"]).await;
    app.clock
        .advance(std::time::Duration::from_secs(31 * 24 * 3600));
    app.authorize_with(&client.id, "http://127.0.0.1/callback", &[])
        .await
        .assert_error_page(400);
}

#[tokio::test]
async fn dangerous_redirect_schemes_are_refused_at_registration() {
    let app = spawn().await;
    for uri in [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "http://example.com/cb",
        "http://192.168.1.10/cb",
        "https://app.example/cb#fragment",
        "/relative/cb",
    ] {
        let answer = app
            .register(&json!({ "redirect_uris": [uri], "token_endpoint_auth_method": "none" }))
            .await;
        answer.assert_oauth_error(400, "invalid_redirect_uri");
        // One bad URI among good ones spoils the registration.
        let answer = app
            .register(&json!({
                "redirect_uris": ["https://app.example/cb", uri],
                "token_endpoint_auth_method": "none"
            }))
            .await;
        answer.assert_oauth_error(400, "invalid_redirect_uri");
    }
}

#[tokio::test]
async fn missing_redirect_uris_are_invalid_redirect_uri() {
    let app = spawn().await;
    for metadata in [
        json!({ "token_endpoint_auth_method": "none" }),
        json!({ "redirect_uris": [], "token_endpoint_auth_method": "none" }),
    ] {
        app.register(&metadata)
            .await
            .assert_oauth_error(400, "invalid_redirect_uri");
    }
}

#[tokio::test]
async fn bad_metadata_is_invalid_client_metadata() {
    let app = spawn().await;
    for metadata in [
        json!({ "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "private_key_jwt" }),
        json!({ "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none",
                "grant_types": ["client_credentials"] }),
        json!({ "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none",
                "response_types": ["token"] }),
        json!({ "redirect_uris": [REDIRECT], "client_name": "x".repeat(201) }),
    ] {
        app.register(&metadata)
            .await
            .assert_oauth_error(400, "invalid_client_metadata");
    }
    // Not JSON at all.
    let answer = exchange(
        app.http
            .post(app.url("/register"))
            .header("content-type", "application/json")
            .body("{not json"),
    )
    .await;
    answer.assert_oauth_error(400, "invalid_client_metadata");
}

#[tokio::test]
async fn oversized_registration_is_413() {
    let app = spawn().await;
    let body = json!({
        "redirect_uris": [REDIRECT],
        "token_endpoint_auth_method": "none",
        "client_uri": "x".repeat(17 * 1024),
    });
    assert!(body.to_string().len() > 16 * 1024);
    let answer = app.register(&body).await;
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert_eq!(answer.error(), "invalid_request", "{}", answer.body);
}

#[tokio::test]
async fn oauth_bodies_over_the_host_body_limit_are_413() {
    let app = spawn().await;
    let body = json!({
        "redirect_uris": [REDIRECT],
        "token_endpoint_auth_method": "none",
        "client_uri": "x".repeat(1024 * 1024 + 1),
    });
    let answer = app.register(&body).await;
    assert_eq!(answer.status, 413, "/register: {}", answer.body);
    assert_eq!(answer.error(), "invalid_request", "{}", answer.body);
    let client = app.register_public(&[REDIRECT]).await;
    let big = "x".repeat(1024 * 1024 + 1);
    for path in ["/token", "/revoke"] {
        let answer = exchange(app.post_form(
            path,
            &[
                ("grant_type", "authorization_code"),
                ("client_id", &client.id),
                ("code", &big),
                ("token", &big),
            ],
        ))
        .await;
        assert_eq!(answer.status, 413, "{path}: {}", answer.body);
    }
}

#[tokio::test]
async fn accepted_redirect_schemes_register_with_201() {
    let app = spawn().await;
    for uri in [
        "https://claude.ai/api/mcp/auth_callback",
        "http://127.0.0.1:33418/callback",
        "http://localhost:3334/oauth/callback",
        "http://[::1]:8080/cb",
        "cursor://anysphere.cursor-mcp/oauth/callback",
    ] {
        let answer = app
            .register(&json!({ "redirect_uris": [uri], "token_endpoint_auth_method": "none" }))
            .await;
        assert_eq!(answer.status, 201, "{uri}: {}", answer.body);
        assert_eq!(answer.header("cache-control"), Some("no-store"));
        let doc = answer.json();
        assert!(doc["client_id"].as_str().is_some_and(|id| !id.is_empty()));
        assert!(doc.get("client_secret").is_none(), "{uri}: {doc}");
        assert_eq!(doc["token_endpoint_auth_method"], "none");
        assert_eq!(doc["redirect_uris"].as_array().map(Vec::len), Some(1));
    }
    // client_secret_post (hosted Claude) gets a secret that never expires.
    let answer = app
        .register(&json!({
            "redirect_uris": ["https://claude.ai/api/mcp/auth_callback"],
            "token_endpoint_auth_method": "client_secret_post",
            "client_name": "Claude"
        }))
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let doc = answer.json();
    assert!(
        doc["client_secret"].as_str().is_some_and(|s| !s.is_empty()),
        "{doc}"
    );
    assert_eq!(doc["client_secret_expires_at"], 0);
    assert_eq!(doc["token_endpoint_auth_method"], "client_secret_post");
    assert_eq!(doc["client_name"], "Claude");
}

#[tokio::test]
async fn every_registration_is_a_new_client() {
    let app = spawn().await;
    let one = app.register_public(&[REDIRECT]).await;
    let two = app.register_public(&[REDIRECT]).await;
    assert_ne!(one.id, two.id);
}

// ---------------------------------------------------------- the sign-in page

#[tokio::test]
async fn html_in_client_name_is_rendered_inert() {
    let app = spawn().await;
    let answer = app
        .register(&json!({
            "redirect_uris": [REDIRECT],
            "token_endpoint_auth_method": "none",
            "client_name": "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
        }))
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let client_id = answer.json()["client_id"].as_str().unwrap().to_owned();
    let page = app.authorize_with(&client_id, REDIRECT, &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{}",
        page.body
    );
    assert!(
        !page.body.to_lowercase().contains("<script"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<img"), "{}", page.body);
    let csp = page.header("content-security-policy").expect("CSP");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    // A failed sign-in re-renders the page: still inert.
    let form = SignInPage::parse(&page);
    let again = app.login(&form, OWNER, "wrong-password").await;
    assert_eq!(again.status, 401, "{}", again.body);
    assert!(
        !again.body.to_lowercase().contains("<script"),
        "{}",
        again.body
    );
}

#[tokio::test]
async fn a_failed_sign_in_says_so_and_never_echoes_the_password() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    let password = "Sup3r-Secret-Guess";
    let answer = app.login(&page, OWNER, password).await;
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert!(answer.header("location").is_none());
    assert!(
        answer.body.contains("Invalid email or password"),
        "{}",
        answer.body
    );
    assert!(!answer.body.contains(password), "the password is echoed");
    assert!(answer.body.contains(OWNER), "the email is kept in the form");
    // The same page still works with the right password.
    let answer = app.login(&page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    // ... once: the pending request is used up.
    let answer = app.login(&page, OWNER, OWNER_PASSWORD).await;
    answer.assert_error_page(400);
}

#[tokio::test]
async fn html_in_the_email_field_is_escaped_on_the_re_rendered_page() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    let answer = app
        .login(&page, "\"><script>alert(1)</script>", "whatever")
        .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(
        !answer.body.to_lowercase().contains("<script"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn missing_or_mismatched_csrf_is_403() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    let other = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    let post = |pairs: Vec<(&'static str, String)>, cookie: Option<String>| {
        let pairs: Vec<(&str, String)> = pairs;
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let mut builder = app.post_form("/oauth/login", &pairs);
            if let Some(cookie) = cookie {
                builder = builder.header("cookie", cookie);
            }
            exchange(builder).await
        }
    };
    let fields = |csrf: Option<&str>| {
        let mut pairs = vec![
            ("request_id", page.request_id.clone()),
            ("email", OWNER.to_owned()),
            ("password", OWNER_PASSWORD.to_owned()),
        ];
        if let Some(csrf) = csrf {
            pairs.push(("csrf_token", csrf.to_owned()));
        }
        pairs
    };
    // No token in the form.
    post(fields(None), Some(page.cookie.clone()))
        .await
        .assert_error_page(403);
    // No cookie.
    post(fields(Some(&page.csrf)), None)
        .await
        .assert_error_page(403);
    // Cookie and token differ.
    post(
        fields(Some(&page.csrf)),
        Some(format!("malgomo_csrf={}", other.csrf)),
    )
    .await
    .assert_error_page(403);
    // Cookie and token agree, but belong to another sign-in page.
    post(fields(Some(&other.csrf)), Some(other.cookie.clone()))
        .await
        .assert_error_page(403);
    // None of that signed anyone in; the real pair still works.
    assert_eq!(app.sim.counters().logins, 0);
    let answer = app.login(&page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
}

#[tokio::test]
async fn an_unconfirmed_account_is_told_so() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    let answer = app
        .login(&page, "unconfirmed@agency-a.test", "unconfirmed-pass")
        .await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert!(answer.header("location").is_none());
    assert!(answer.body.contains("not confirmed"), "{}", answer.body);
}

#[tokio::test]
async fn the_csrf_cookie_is_http_only_and_same_site_strict() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let answer = app.authorize_with(&client.id, REDIRECT, &[]).await;
    let cookie = answer
        .set_cookie("malgomo_csrf")
        .expect("the CSRF cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/oauth"), "{cookie}");
}

#[tokio::test]
async fn an_expired_sign_in_page_cannot_be_submitted() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    app.clock
        .advance(std::time::Duration::from_secs(10 * 60 + 1));
    app.login(&page, OWNER, OWNER_PASSWORD)
        .await
        .assert_error_page(400);
}

// ------------------------------------------------------------- rate limits

#[tokio::test]
async fn wrong_passwords_past_the_pair_limit_get_429() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    for attempt in 1..=PER_PAIR.max {
        let answer = app.login(&page, OWNER, "wrong-password").await;
        assert_eq!(answer.status, 401, "attempt {attempt}: {}", answer.body);
    }
    let limited = app.login(&page, OWNER, "wrong-password").await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    let retry_after: u64 = limited
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("Retry-After in seconds");
    assert!(
        (1..=PER_PAIR.window.as_secs()).contains(&retry_after),
        "{retry_after}"
    );
    assert!(
        limited.body.contains("Too many sign-in attempts"),
        "{}",
        limited.body
    );
    // While limited, even the right password is refused from this address,
    // and upstream is not asked.
    let logins = app.sim.counters().requests["password"];
    let limited = app.login(&page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.header("location").is_none());
    assert_eq!(app.sim.counters().requests["password"], logins);
    // Another email is not limited by this one's failures.
    let admin = app
        .login(&page, "admin@agency-a.test", "admin-a-pass")
        .await;
    assert_eq!(admin.status, 303, "{}", admin.body);
}

#[tokio::test]
async fn the_email_limit_lifts_after_its_window() {
    let app = spawn().await;
    let client = app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    for _ in 0..11 {
        app.login(&page, OWNER, "wrong-password").await;
    }
    let limited = app.login(&page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    // Past the window (the pending page lives 10 min; take a fresh one).
    app.clock.advance(std::time::Duration::from_secs(wait + 1));
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    let answer = app.login(&page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
}

#[tokio::test]
async fn attempts_past_the_address_limit_get_429() {
    let (listener, public) = bind().await;
    let app = spawn_on(
        listener,
        &public,
        Shared {
            env: vec![(UNBUDGETED.0, UNBUDGETED.1.to_owned())],
            ..Shared::default()
        },
    )
    .await;
    let client = app.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&app.authorize_with(&client.id, REDIRECT, &[]).await);
    // Failures spread over emails, none of them over its pair limit.
    for attempt in 0..PER_ADDRESS.max {
        let email = format!("nobody{}@agency-a.test", attempt % 20);
        let answer = app.login(&page, &email, "wrong-password").await;
        assert_eq!(answer.status, 401, "attempt {attempt}: {}", answer.body);
    }
    let limited = app.login(&page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.header("retry-after").is_some());
}
