//! `server/discover` in 2026-07-28: versions, capabilities, instructions and
//! the server, with or without client info.

use serde_json::json;

use super::*;

#[tokio::test]
async fn discover_names_versions_capabilities_instructions_and_the_server() {
    let app = signed_in().await;
    let answer = send(&app, "server/discover", with_meta(json!({}))).await;
    assert!(answer.header("mcp-session-id").is_none(), "no session");
    let discover = result(&answer);
    assert_eq!(discover["supportedVersions"], json!([V2026]));
    assert_eq!(
        discover["capabilities"]["tools"],
        json!({ "listChanged": false })
    );
    assert_eq!(discover["resultType"], "complete");
    // The answer differs with and without a bearer: no shared cache.
    assert_eq!(discover["cacheScope"], "private");
    assert!(discover["ttlMs"].as_u64().is_some(), "{discover}");
    assert_eq!(discover["_meta"][SERVER_INFO]["name"], "malgomo-mcp");
    assert!(discover["_meta"][SERVER_INFO]["version"].is_string());
    // The same identity as initialize's serverInfo, directory fields included.
    let info = &discover["_meta"][SERVER_INFO];
    assert!(info["websiteUrl"].is_string(), "{info}");
    assert!(info["description"].is_string(), "{info}");
    assert_eq!(info["icons"][0]["mimeType"], "image/svg+xml", "{info}");
    let instructions = discover["instructions"].as_str().unwrap();
    assert!(
        instructions.contains("signed in by its Authorization: Bearer token"),
        "{instructions}"
    );
}

#[tokio::test]
async fn discover_without_client_info_is_served() {
    let app = signed_in().await;
    let params = json!({ "_meta": {
        "io.modelcontextprotocol/protocolVersion": V2026,
        "io.modelcontextprotocol/clientCapabilities": {}
    } });
    result(&send(&app, "server/discover", params).await);
}
