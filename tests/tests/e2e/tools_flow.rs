//! The tools through the real HTTP transport, against the simulator.

use malgomo::domain::Period;
use malgomo::tools::data_tool_names;
use malgomo_tests::{spawn_app, text};
use serde_json::json;

#[tokio::test]
async fn owner_logs_in_and_reads_every_tool_for_every_period() {
    let app = spawn_app().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    // Every data tool of the registry, so a tool whose simulator data or
    // route is missing fails here.
    for period in Period::VALUES {
        for tool in data_tool_names() {
            let result = mcp.call_tool(tool, json!({ "period": period })).await;
            assert_eq!(result["isError"], false, "{tool} {period}: {result}");
            let structured = &result["structuredContent"];
            assert!(structured.is_object(), "{tool} has structuredContent");
            let from_text: serde_json::Value = serde_json::from_str(text(&result)).unwrap();
            assert_eq!(&from_text, structured, "text and structuredContent agree");
        }
    }
}

#[tokio::test]
async fn member_gets_forbidden_on_data_tools() {
    let app = spawn_app().await;
    let mcp = app.logged_in("member@agency-a.test").await;
    let result = mcp.call_tool("malgomo_get_kpis", json!({})).await;
    assert_eq!(result["isError"], true);
    assert!(text(&result).starts_with("forbidden"), "{}", text(&result));
    assert!(text(&result).contains("member"), "{}", text(&result));
}

#[tokio::test]
async fn data_tools_before_login_say_how_to_log_in() {
    let app = spawn_app().await;
    let mcp = app.session().await;
    let result = mcp.call_tool("malgomo_get_fans", json!({})).await;
    assert_eq!(result["isError"], true);
    assert!(text(&result).contains("malgomo_login"), "{}", text(&result));
}
