//! `malgomo_status` itself: what it reports of the caller, and that it never
//! vouches for a token the backend has not confirmed (issue 9).
//! Tests that call it only to probe another subject (a session's expiry, a
//! bearer's service, the single-tenant token, renewal) stay with that
//! subject.

use malgomo_tests::{Mcp, simulator_jwt, spawn_app};
use serde_json::json;

#[tokio::test]
async fn status_never_vouches_for_a_forged_bearer() {
    let app = spawn_app().await;
    let real = simulator_jwt(&app.sim, "owner@agency-a.test").await;
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
