//! Raw HTTP tests of CORS on `/mcp` (browser clients such as the MCP
//! Inspector) and of the DNS-rebinding guard (`Origin` / `Host`,
//! `ALLOWED_ORIGINS`, `ALLOWED_HOSTS`, loopback bind). Every answer is also
//! checked never to be a bare 500.

use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::rpc::initialize_request;
use malgomo_tests::{Mcp, Options, TestApp, request, spawn_app, spawn_app_with};
use serde_json::json;

const INSPECTOR: &str = "http://localhost:6274";

/// `initialize` with the given extra headers.
async fn initialize_with(app: &TestApp, headers: &[(&str, &str)]) -> Answer {
    let mut builder = app.client().post();
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    exchange(builder.json(&initialize_request("2025-06-18"))).await
}

fn assert_forbidden(answer: &Answer, what: &str) {
    assert_eq!(answer.status, 403, "{what}: {}", answer.body);
    assert!(
        answer.header("access-control-allow-origin").is_none(),
        "{what}: a refused origin gets no CORS grant"
    );
}

// --- CORS -------------------------------------------------------------------------

#[tokio::test]
async fn preflight_allows_the_mcp_request_headers() {
    let app = spawn_app().await;
    let answer = exchange(
        reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, app.mcp_url())
            .header("origin", INSPECTOR)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type, mcp-session-id, mcp-protocol-version",
            ),
    )
    .await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some(INSPECTOR)
    );
    let allowed = answer.list("access-control-allow-headers");
    for header in [
        "authorization",
        "content-type",
        "mcp-session-id",
        "mcp-protocol-version",
    ] {
        assert!(allowed.iter().any(|h| h == header), "{header}: {allowed:?}");
    }
    let methods = answer.list("access-control-allow-methods");
    for method in ["get", "post", "delete"] {
        assert!(methods.iter().any(|m| m == method), "{method}: {methods:?}");
    }
}

#[tokio::test]
async fn responses_to_a_browser_expose_session_id_and_www_authenticate() {
    let app = spawn_app().await;
    let answer = initialize_with(&app, &[("origin", INSPECTOR)]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some(INSPECTOR)
    );
    let exposed = answer.list("access-control-expose-headers");
    for header in ["mcp-session-id", "www-authenticate"] {
        assert!(exposed.iter().any(|h| h == header), "{header}: {exposed:?}");
    }
    assert!(
        answer.list("vary").iter().any(|v| v == "origin"),
        "Vary: Origin"
    );
}

#[tokio::test]
async fn refusals_to_a_browser_carry_cors_headers_too() {
    let app = spawn_app().await;
    let mut mcp: Mcp = app.client();
    mcp.session = Some("6f1c1d2e-8a43-4c55-9d7e-2b0a4f1e9c33".into());
    let answer = exchange(mcp.post().header("origin", INSPECTOR).json(&request(
        1,
        "ping",
        json!({}),
    )))
    .await;
    assert_eq!(answer.status, 404);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some(INSPECTOR),
        "the browser client can read the 404 and re-initialize"
    );
}

#[tokio::test]
async fn no_cors_headers_without_an_origin() {
    let app = spawn_app().await;
    let answer = initialize_with(&app, &[]).await;
    assert_eq!(answer.status, 200);
    assert!(answer.header("access-control-allow-origin").is_none());
}

// --- Origin / Host guard ---------------------------------------------------------------

#[tokio::test]
async fn loopback_bind_refuses_a_foreign_origin() {
    let app = spawn_app().await;
    for origin in [
        "https://evil.example",
        "null",
        "http://127.0.0.1.evil.example",
    ] {
        let answer = initialize_with(&app, &[("origin", origin)]).await;
        assert_forbidden(&answer, origin);
        assert!(answer.header("mcp-session-id").is_none(), "{origin}");
    }
    let preflight = exchange(
        reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, app.mcp_url())
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "POST"),
    )
    .await;
    assert_forbidden(&preflight, "preflight");
}

#[tokio::test]
async fn loopback_bind_accepts_loopback_origins() {
    let app = spawn_app().await;
    for origin in [
        "http://localhost:3000",
        "http://127.0.0.1:6274",
        "http://[::1]:8080",
        INSPECTOR,
    ] {
        let answer = initialize_with(&app, &[("origin", origin)]).await;
        assert_eq!(answer.status, 200, "{origin}: {}", answer.body);
    }
}

#[tokio::test]
async fn loopback_bind_refuses_a_foreign_host() {
    let app = spawn_app().await;
    let answer = initialize_with(&app, &[("host", "evil.example")]).await;
    assert_forbidden(&answer, "Host evil.example");
    let health = exchange(
        reqwest::Client::new()
            .get(format!("{}/healthz", app.base))
            .header("host", "evil.example:8080"),
    )
    .await;
    assert_eq!(health.status, 403, "every route is guarded");
    let localhost = initialize_with(&app, &[("host", "localhost:8080")]).await;
    assert_eq!(localhost.status, 200, "{}", localhost.body);
}

#[tokio::test]
async fn allowed_origins_admits_only_the_listed_origins() {
    let app = spawn_app_with(Options {
        env: vec![("ALLOWED_ORIGINS", "https://app.example".to_owned())],
        ..Options::default()
    })
    .await;
    let answer = initialize_with(&app, &[("origin", "https://app.example")]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    for origin in [
        "https://other.example",
        "https://app.example.evil",
        "http://app.example",
        "http://localhost:3000",
    ] {
        assert_forbidden(&initialize_with(&app, &[("origin", origin)]).await, origin);
    }
    // No Origin (a non-browser client) is not refused.
    assert_eq!(initialize_with(&app, &[]).await.status, 200);
}

#[tokio::test]
async fn allowed_hosts_refuses_other_hosts() {
    let app = spawn_app_with(Options {
        env: vec![("ALLOWED_HOSTS", "mcp.example".to_owned())],
        ..Options::default()
    })
    .await;
    for host in ["mcp.example", "mcp.example:443", "MCP.example"] {
        let answer = initialize_with(&app, &[("host", host)]).await;
        assert_eq!(answer.status, 200, "{host}: {}", answer.body);
    }
    for host in ["other.example", "mcp.example.evil", "localhost"] {
        assert_forbidden(&initialize_with(&app, &[("host", host)]).await, host);
    }
}

#[tokio::test]
async fn public_bind_without_lists_accepts_any_origin() {
    let app = spawn_app_with(Options {
        loopback_bind: false,
        ..Options::default()
    })
    .await;
    let answer = initialize_with(
        &app,
        &[("origin", "https://any.example"), ("host", "mcp.example")],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

// --- oversized bodies (refused by the local host before the router) ---------------

fn oversized_body() -> String {
    format!("{{\"pad\":\"{}\"}}", "x".repeat(1024 * 1024 + 10))
}

#[tokio::test]
async fn foreign_origin_with_an_oversized_body_is_403() {
    let app = spawn_app().await;
    let answer = exchange(
        app.client()
            .post()
            .header("origin", "https://evil.example")
            .body(oversized_body()),
    )
    .await;
    assert_forbidden(&answer, "oversized body from a foreign origin");
}

#[tokio::test]
async fn oversized_body_from_a_browser_gets_413_with_cors_headers() {
    let app = spawn_app().await;
    let answer = exchange(
        app.client()
            .post()
            .header("origin", INSPECTOR)
            .body(oversized_body()),
    )
    .await;
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some(INSPECTOR)
    );
}
