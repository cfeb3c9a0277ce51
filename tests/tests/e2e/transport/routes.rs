//! The plain routes: `/healthz`, `/` and `/docs`, unknown paths.

use malgomo_tests::answer::exchange;
use malgomo_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn healthz_is_200_status_ok() {
    let app = spawn_app().await;
    let answer = exchange(reqwest::Client::new().get(format!("{}/healthz", app.base))).await;
    assert_eq!(answer.status, 200);
    assert!(answer.content_type().starts_with("application/json"));
    assert_eq!(answer.json(), json!({ "status": "ok" }));
}

#[tokio::test]
async fn root_and_docs_are_html_with_a_content_security_policy() {
    let app = spawn_app().await;
    for path in ["/", "/docs"] {
        let answer = exchange(reqwest::Client::new().get(format!("{}{path}", app.base))).await;
        assert_eq!(answer.status, 200, "{path}");
        assert!(answer.content_type().starts_with("text/html"), "{path}");
        let csp = answer
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path} has a CSP"));
        assert!(csp.contains("default-src"), "{path}: {csp}");
        assert!(
            answer.body.contains(&format!("{}/mcp", app.base)),
            "{path} names this server's /mcp URL"
        );
    }
}

#[tokio::test]
async fn unknown_path_is_404() {
    let app = spawn_app().await;
    for path in ["/nope", "/mcp/extra", "/.env"] {
        let answer = exchange(reqwest::Client::new().get(format!("{}{path}", app.base))).await;
        assert_eq!(answer.status, 404, "{path}");
    }
}
