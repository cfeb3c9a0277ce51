//! What results carry: `resultType`, server info, cache hints; a session
//! id is ignored and nothing is stored.

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::INVALID_PARAMS;
use malgomo_tests::{Options, simulator_jwt};
use serde_json::json;

use super::*;

#[tokio::test]
async fn tools_list_is_cacheable_publicly_and_the_same_for_every_caller() {
    let owner = signed_in().await;
    let listed = result(&send(&owner, "tools/list", with_meta(json!({}))).await);
    assert_eq!(listed["resultType"], "complete");
    assert_eq!(listed["cacheScope"], "public");
    assert!(
        listed["ttlMs"].as_u64().is_some_and(|ttl| ttl > 0),
        "{listed}"
    );
    assert_eq!(listed["_meta"][SERVER_INFO]["name"], "malgomo-mcp");
    let member = Server {
        bearer: Some(simulator_jwt(&owner.app.sim, "member@agency-a.test").await),
        ..signed_in().await
    };
    let for_member = result(&send(&member, "tools/list", with_meta(json!({}))).await);
    assert_eq!(listed, for_member, "one list for every caller");
    // The same tools, in the same order, as the 2025 era lists.
    let session = owner.app.session().await;
    let (_, sessionful) = session.rpc("tools/list", json!({})).await;
    assert_eq!(listed["tools"], sessionful["result"]["tools"]);
    assert!(
        sessionful["result"].get("resultType").is_none(),
        "2025 results unchanged"
    );
}

#[tokio::test]
async fn resources_are_cacheable_and_an_unknown_one_is_invalid_params() {
    let app = signed_in().await;
    let list = result(&send(&app, "resources/list", with_meta(json!({}))).await);
    assert_eq!(list["cacheScope"], "public", "{list}");
    let uri = list["resources"][0]["uri"].as_str().unwrap().to_owned();
    let read = result(&send(&app, "resources/read", with_meta(json!({ "uri": uri }))).await);
    assert!(read["ttlMs"].as_u64().is_some(), "{read}");
    let unknown = send(
        &app,
        "resources/read",
        with_meta(json!({ "uri": "ui://nope" })),
    )
    .await;
    assert_eq!(
        unknown.error_code(),
        INVALID_PARAMS,
        "-32602, not 2025's -32002: {}",
        unknown.body
    );
}

#[tokio::test]
async fn tool_results_carry_result_type_and_server_info() {
    let app = signed_in().await;
    let status = result(
        &send(
            &app,
            "tools/call",
            with_meta(json!({ "name": "malgomo_status", "arguments": {} })),
        )
        .await,
    );
    assert_eq!(status["resultType"], "complete");
    assert_eq!(status["_meta"][SERVER_INFO]["name"], "malgomo-mcp");
    assert_eq!(status["structuredContent"]["logged_in"], true, "{status}");
}

#[tokio::test]
async fn session_id_is_ignored_and_nothing_is_stored() {
    // One session slot: were a stateless request to store anything, the
    // initialize at the end would find the server full.
    let app = signed_in_with(Options {
        env: vec![("MAX_SESSIONS", "1".to_owned())],
        ..Options::default()
    })
    .await;
    for _ in 0..3 {
        let answer = exchange(
            conformant(&app, "tools/list", &with_meta(json!({})))
                .header("mcp-session-id", "00000000-0000-4000-8000-000000000000"),
        )
        .await;
        assert!(result(&answer)["tools"].is_array());
        assert!(answer.header("mcp-session-id").is_none());
    }
    let mut mcp = app.app.client();
    mcp.initialize("2025-11-25").await;
    assert!(mcp.session.is_some(), "the one slot is still free");
}
