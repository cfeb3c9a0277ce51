//! Attacks on `/mcp` (issue 9, attacks 6 and 7), replayed and refused:
//! streams held for free, and a forged token riding on a real user's `sub`.

use malgomo::domain::{Email, Secret};
use malgomo::limits::streams::PER_SESSION;
use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::tool_call;
use malgomo_tests::{Mcp, TestApp, accounts, request, spawn_app};
use serde_json::json;

#[tokio::test]
async fn a_junk_bearer_without_a_session_holds_no_stream() {
    let app = spawn_app().await;
    let junk = Mcp {
        bearer: Some("junk".into()),
        ..app.client()
    };
    for _ in 0..50 {
        let answer = exchange(junk.get_stream()).await;
        assert_eq!(answer.status, 405, "{}", answer.body);
    }
    assert_eq!(app.app.streams.open(), 0);
}

#[tokio::test]
async fn streams_are_capped_per_session() {
    let app = spawn_app().await;
    let mcp = app.session().await;
    let mut held = Vec::new();
    for _ in 0..PER_SESSION {
        let response = mcp.get_stream().send().await.expect("server answers");
        assert_eq!(response.status(), 200);
        held.push(response);
    }
    let refused = exchange(mcp.get_stream()).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.header("retry-after").is_some());
    assert_eq!(app.app.streams.open(), PER_SESSION);
    // Another session is not affected.
    let other = app.session().await;
    let response = other.get_stream().send().await.expect("server answers");
    assert_eq!(response.status(), 200);
}

/// A real Supabase access token (a JWT signed by the simulator) for `email`.
async fn real_token(app: &TestApp, email: &str) -> String {
    let account = accounts::find(email).expect("a demo account");
    let grant = app
        .app
        .upstream
        .auth
        .password_grant(
            &Email::parse(account.email).unwrap(),
            &Secret::new(account.password),
        )
        .await
        .expect("the simulator signs in");
    grant.tokens.access_token.expose().to_owned()
}

#[tokio::test]
async fn a_forged_token_with_the_same_sub_cannot_touch_the_session() {
    let app = spawn_app().await;
    let real = real_token(&app, "owner@agency-a.test").await;
    let mut owner = Mcp {
        bearer: Some(real.clone()),
        ..app.client()
    };
    owner.initialize("2025-06-18").await;
    let session = owner.session.clone().expect("a session");
    // Same header and claims (so the same `sub`), another signature.
    let (signed, _) = real.rsplit_once('.').expect("a JWT");
    let forger = Mcp {
        bearer: Some(format!("{signed}.Zm9yZ2Vk")),
        session: Some(session.clone()),
        ..app.client()
    };
    let ping = forger.send(&request(1, "ping", json!({}))).await;
    assert_eq!(ping.status(), 404);
    let status = forger
        .send(&tool_call(2, "malgomo_status", json!({})))
        .await;
    assert_eq!(status.status(), 404);
    let deleted = exchange(
        forger
            .http
            .delete(&forger.url)
            .bearer_auth(forger.bearer.as_deref().unwrap())
            .header("mcp-session-id", &session),
    )
    .await;
    assert_eq!(deleted.status, 404, "{}", deleted.body);
    // The owner's session is intact.
    let ping = owner.send(&request(3, "ping", json!({}))).await;
    assert_eq!(ping.status(), 200);
}

#[tokio::test]
async fn status_never_vouches_for_a_forged_bearer() {
    let app = spawn_app().await;
    let real = real_token(&app, "owner@agency-a.test").await;
    let (signed, _) = real.rsplit_once('.').expect("a JWT");
    let forged = format!("{signed}.Zm9yZ2Vk");
    let mut forger = Mcp {
        bearer: Some(forged),
        ..app.client()
    };
    forger.initialize("2025-06-18").await;
    let status = forger.call_tool("malgomo_status", json!({})).await;
    let report = &status["structuredContent"];
    assert_eq!(report["logged_in"], false, "{status}");
    assert_eq!(report["via"], "bearer", "{status}");
    assert!(report.get("email").is_none(), "{status}");
    assert!(report.get("token_expires_at").is_none(), "{status}");
    assert!(
        !status.to_string().contains("owner@agency-a.test"),
        "{status}"
    );
    // The genuine token reads as who the backend says it is.
    let mut owner = Mcp {
        bearer: Some(real),
        ..app.client()
    };
    owner.initialize("2025-06-18").await;
    let status = owner.call_tool("malgomo_status", json!({})).await;
    let report = &status["structuredContent"];
    assert_eq!(report["logged_in"], true, "{status}");
    assert_eq!(report["email"], "owner@agency-a.test", "{status}");
    assert_eq!(report["role"], "owner", "{status}");
    assert!(report["token_expires_at"].is_string(), "{status}");
}
