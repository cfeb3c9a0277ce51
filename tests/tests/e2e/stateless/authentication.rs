//! Who is served 2026 without a session: a bearer in mode B, every caller
//! with its access token in mode A; initialize without `_meta` still opens
//! a 2025 session.

use malgomo_tests::answer::exchange;
use malgomo_tests::text;
use serde_json::{Value, json};

use super::*;

#[tokio::test]
async fn a_bearer_reads_the_dashboard_in_2026_and_needs_no_login() {
    let app = signed_in().await;
    let params = with_meta(json!({ "name": "malgomo_get_kpis", "arguments": { "period": "7d" } }));
    let kpis = result(&send(&app, "tools/call", params).await);
    assert_eq!(kpis["isError"], false, "{kpis}");
    assert!(
        kpis["structuredContent"]["hero_net_eur"].is_number(),
        "{kpis}"
    );
    assert_eq!(kpis["resultType"], "complete");
    // Whatever the arguments, even none (the conformance suite calls it so).
    for arguments in [json!({ "email": OWNER, "password": "x" }), json!({})] {
        let params = with_meta(json!({ "name": "malgomo_login", "arguments": arguments }));
        let login = result(&send(&app, "tools/call", params).await);
        assert_eq!(login["isError"], false, "{login}");
        assert!(text(&login).contains("already authenticated"), "{login}");
    }
}

#[tokio::test]
async fn initialize_without_meta_still_opens_a_2025_session() {
    // A 2025 client that sends the newest version header on initialize is
    // still negotiated by its body.
    let app = anonymous().await;
    let answer = exchange(
        bare(&app).header("mcp-protocol-version", V2026).json(&json!({
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": { "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": { "name": "t", "version": "0" } }
        })),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["result"]["protocolVersion"], "2025-11-25");
    assert!(answer.header("mcp-session-id").is_some());
}

#[tokio::test]
async fn mode_a_serves_2026_with_its_access_token() {
    let server = malgomo_tests::oauth::spawn().await;
    let (_, tokens) = server.connect().await;
    let post = |bearer: Option<&str>, method: &str, params: Value| {
        let mut builder = reqwest::Client::new()
            .post(server.url("/mcp"))
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", V2026)
            .header("mcp-method", method);
        if let Some(name) = name_of(method, &params) {
            builder = builder.header("mcp-name", name);
        }
        if let Some(bearer) = bearer {
            builder = builder.bearer_auth(bearer);
        }
        exchange(builder.json(&body(method, with_meta(params))))
    };
    let anonymous = post(None, "server/discover", json!({})).await;
    assert_eq!(
        anonymous.status, 401,
        "mode A needs a token: {}",
        anonymous.body
    );
    let access = Some(tokens.access.as_str());
    let discover = result(&post(access, "server/discover", json!({})).await);
    assert!(
        discover["instructions"].as_str().unwrap().contains("OAuth"),
        "{discover}"
    );
    let kpis = result(
        &post(
            access,
            "tools/call",
            json!({ "name": "malgomo_get_kpis", "arguments": {} }),
        )
        .await,
    );
    assert_eq!(kpis["isError"], false, "{kpis}");
    let login = result(
        &post(
            access,
            "tools/call",
            json!({ "name": "malgomo_login", "arguments": {} }),
        )
        .await,
    );
    assert_eq!(login["isError"], false, "{login}");
    assert!(text(&login).contains("already signed in"), "{login}");
}
