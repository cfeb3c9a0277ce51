//! Mode B without a credential: a 2026 request is steered to a 2025
//! session, where the login tool works.

use serde_json::json;

use super::*;

#[tokio::test]
async fn anonymous_discover_offers_the_2025_revisions_and_says_how_to_log_in() {
    let app = anonymous().await;
    let discover = result(&send(&app, "server/discover", with_meta(json!({}))).await);
    assert_eq!(discover["supportedVersions"], json!(SESSION_VERSIONS));
    assert_eq!(discover["cacheScope"], "private");
    assert_eq!(discover["resultType"], "complete");
    let instructions = discover["instructions"].as_str().unwrap();
    for needle in ["initialize", "malgomo_login", "Authorization: Bearer"] {
        assert!(instructions.contains(needle), "{needle}: {instructions}");
    }
}

#[tokio::test]
async fn anonymous_2026_requests_get_the_version_error_listing_the_2025_revisions() {
    let app = anonymous().await;
    for (method, params) in [
        ("tools/list", json!({})),
        (
            "tools/call",
            json!({ "name": "malgomo_login", "arguments": {} }),
        ),
        (
            "tools/call",
            json!({ "name": "malgomo_get_kpis", "arguments": {} }),
        ),
        ("resources/list", json!({})),
        ("unknown/method", json!({})),
    ] {
        let answer = send(&app, method, with_meta(params)).await;
        assert_refused(&answer, 400, UNSUPPORTED_PROTOCOL_VERSION);
        let data = &answer.json()["error"]["data"];
        assert_eq!(data["supported"], json!(SESSION_VERSIONS), "{method}");
        assert_eq!(data["requested"], V2026, "{method}");
    }
}

#[tokio::test]
async fn after_the_steer_an_anonymous_client_logs_in_and_reads_in_a_session() {
    let app = anonymous().await;
    let discover = result(&send(&app, "server/discover", with_meta(json!({}))).await);
    let version = discover["supportedVersions"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let mut mcp = app.app.client();
    let init = mcp.initialize(&version).await;
    assert_eq!(init["result"]["protocolVersion"], version.as_str());
    let instructions = init["result"]["instructions"].as_str().unwrap();
    assert!(
        instructions.contains("Log in first with malgomo_login"),
        "{instructions}"
    );
    mcp.login(OWNER).await;
    let (_, kpis) = mcp
        .rpc(
            "tools/call",
            json!({ "name": "malgomo_get_kpis", "arguments": {} }),
        )
        .await;
    assert_eq!(kpis["result"]["isError"], false, "{kpis}");
}
