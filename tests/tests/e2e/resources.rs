//! The MCP Apps dashboard view as a resource, through the real HTTP
//! transport: capabilities, `resources/*`, the data tools' `_meta.ui`, and
//! tool results that stay what clients without UI support already read.

use malgomo::tools::data_tool_names;
use malgomo_tests::{spawn_app, text};
use serde_json::{Value, json};

const DASHBOARD: &str = "ui://malgomo/dashboard";
const MIME: &str = "text/html;profile=mcp-app";

#[tokio::test]
async fn initialize_declares_resources_and_the_ui_extension() {
    let app = spawn_app().await;
    let mut mcp = app.client();
    let body = mcp.initialize("2025-06-18").await;
    let capabilities = &body["result"]["capabilities"];
    assert_eq!(capabilities["resources"]["listChanged"], false, "{body}");
    assert_eq!(
        capabilities["extensions"]["io.modelcontextprotocol/ui"]["mimeTypes"],
        json!([MIME]),
        "{body}"
    );
}

#[tokio::test]
async fn resources_list_shows_the_dashboard_view_with_its_csp_and_border() {
    let app = spawn_app().await;
    let mcp = app.session().await;
    let (status, body) = mcp.rpc("resources/list", json!({})).await;
    assert_eq!(status, 200);
    let resources = body["result"]["resources"].as_array().expect("a list");
    assert_eq!(resources.len(), 1, "{body}");
    let view = &resources[0];
    assert_eq!(view["uri"], DASHBOARD);
    assert_eq!(view["mimeType"], MIME);
    assert!(view["name"].as_str().is_some_and(|n| !n.is_empty()));
    let ui = &view["_meta"]["ui"];
    assert_eq!(ui["prefersBorder"], true);
    for list in [
        "connectDomains",
        "resourceDomains",
        "frameDomains",
        "baseUriDomains",
    ] {
        assert_eq!(ui["csp"][list], json!([]), "{list}: nothing external");
    }
    // ChatGPT reads the same facts only from its own keys.
    let meta = &view["_meta"];
    assert_eq!(
        meta["openai/widgetCSP"],
        json!({ "connect_domains": [], "resource_domains": [], "frame_domains": [] })
    );
    assert_eq!(meta["openai/widgetPrefersBorder"], true);
    assert!(
        meta["openai/widgetDomain"]
            .as_str()
            .is_some_and(|origin| origin.starts_with("https://") && !origin.ends_with('/')),
        "{meta}"
    );
    assert!(meta["openai/widgetDescription"].is_string(), "{meta}");
    // No ui.domain: Claude refuses any but its own hash of the connector URL.
    assert!(ui.get("domain").is_none(), "{ui}");
}

#[tokio::test]
async fn resources_read_returns_the_self_contained_html_document() {
    let app = spawn_app().await;
    let mcp = app.session().await;
    let (status, body) = mcp.rpc("resources/read", json!({ "uri": DASHBOARD })).await;
    assert_eq!(status, 200);
    let contents = body["result"]["contents"].as_array().expect("contents");
    assert_eq!(contents.len(), 1);
    let html = contents[0]["text"].as_str().expect("text content");
    assert_eq!(contents[0]["uri"], DASHBOARD);
    assert_eq!(contents[0]["mimeType"], MIME);
    assert_eq!(
        contents[0]["_meta"]["ui"]["csp"]["connectDomains"],
        json!([])
    );
    assert!(html.starts_with("<!doctype html>"), "HTML5");
    for external in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "href=\"//",
        "@import",
    ] {
        assert!(!html.contains(external), "loads nothing: {external}");
    }
}

#[tokio::test]
async fn resources_read_of_an_unknown_uri_is_resource_not_found() {
    let app = spawn_app().await;
    let mcp = app.session().await;
    let (status, body) = mcp
        .rpc("resources/read", json!({ "uri": "ui://malgomo/missing" }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["error"]["code"], -32002, "{body}");
    assert_eq!(body["error"]["data"]["uri"], "ui://malgomo/missing");
    let (_, body) = mcp.rpc("resources/read", json!({})).await;
    assert_eq!(body["error"]["code"], -32602, "no uri: {body}");
}

#[tokio::test]
async fn resource_templates_list_is_empty() {
    let app = spawn_app().await;
    let mcp = app.session().await;
    let (status, body) = mcp.rpc("resources/templates/list", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"], json!({ "resourceTemplates": [] }));
}

#[tokio::test]
async fn the_three_data_tools_point_at_the_dashboard_and_no_other_tool_does() {
    let app = spawn_app().await;
    let mcp = app.session().await;
    let (_, body) = mcp.rpc("tools/list", json!({})).await;
    let (_, listed) = mcp.rpc("resources/list", json!({})).await;
    let listed_uri = &listed["result"]["resources"][0]["uri"];
    for tool in body["result"]["tools"].as_array().expect("tools") {
        let name = tool["name"].as_str().unwrap_or_default();
        if data_tool_names().contains(&name) {
            assert_eq!(&tool["_meta"]["ui"]["resourceUri"], listed_uri, "{name}");
            assert_eq!(&tool["_meta"]["ui/resourceUri"], listed_uri, "{name}");
            // The view switches period and section by calling it again.
            assert_eq!(
                tool["_meta"]["ui"]["visibility"],
                json!(["model", "app"]),
                "{name}"
            );
            assert_eq!(tool["_meta"]["openai/widgetAccessible"], true, "{name}");
        } else {
            assert!(tool.get("_meta").is_none(), "{name} has no view");
        }
    }
}

#[tokio::test]
async fn data_tool_results_carry_exactly_the_fields_of_before() {
    let app = spawn_app().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    for tool in data_tool_names() {
        let result = mcp.call_tool(tool, json!({ "period": "7d" })).await;
        let mut keys: Vec<&str> = result
            .as_object()
            .expect("a result object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["content", "isError", "structuredContent"], "{tool}");
        let from_text: Value = serde_json::from_str(text(&result)).expect("JSON text");
        assert_eq!(from_text, result["structuredContent"], "{tool}");
    }
}

#[tokio::test]
async fn docs_frames_the_view_with_demo_data_under_a_script_only_policy() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let docs = http
        .get(format!("{}/docs", app.base))
        .send()
        .await
        .expect("docs");
    let policy = docs.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("frame-src 'self'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(
        !policy.contains("script-src"),
        "the docs page runs no script"
    );
    assert!(
        docs.text()
            .await
            .unwrap()
            .contains("src=\"/docs/dashboard\"")
    );

    let demo = http
        .get(format!("{}/docs/dashboard", app.base))
        .send()
        .await
        .expect("demo");
    assert_eq!(demo.status(), 200);
    let policy = demo.headers()["content-security-policy"].to_str().unwrap();
    for directive in [
        "default-src 'none'",
        "script-src 'unsafe-inline'",
        "connect-src 'none'",
        "frame-ancestors 'self'",
    ] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    assert_eq!(demo.headers()["x-frame-options"], "SAMEORIGIN");
    let html = demo.text().await.unwrap();
    assert!(html.contains("<script type=\"application/json\" id=\"demo-result\">"));
    let post = http
        .post(format!("{}/docs/dashboard", app.base))
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), 405);
}
