//! The MCP flow through the `lambda-mcp` and `lambda-health` binaries, for
//! Function URL and HTTP API v2 events and every sample as shipped.

use malgomo_tests::accounts;
use malgomo_tests::lambda::{Function, Upstreams};
use malgomo_tests::rpc::notification;
use serde_json::{Value, json};

use super::*;

#[tokio::test]
async fn function_url_events_run_the_whole_session_through_lambda_mcp() {
    let upstreams = Upstreams::start().await;
    let function = start_mcp(&upstreams).await;

    // initialize: the sample as shipped.
    let (response, session) = initialize(&function, FUNCTION_URL_INITIALIZE).await;
    let answer = body(&response);
    assert_eq!(answer["id"], 0, "{answer}");
    assert!(
        answer["result"]["serverInfo"]["name"].is_string(),
        "{answer}"
    );

    let response = function
        .call(
            Event::from(FUNCTION_URL_INITIALIZE)
                .session(Some(&session))
                .body(Some(&notification("notifications/initialized")))
                .build(),
        )
        .await;
    assert_eq!(status(&response), 202, "{response}");

    // login
    let owner = accounts::find("owner@agency-a.test").expect("the demo owner");
    let login = call_tool(
        &function,
        &session,
        "malgomo_login",
        json!({ "email": owner.email, "password": owner.password }),
    )
    .await;
    assert_eq!(login["isError"], false, "{login}");

    // tools/list: the sample, with the session patched in.
    let response = function.call(Event::tools_list(&session).build()).await;
    assert_eq!(status(&response), 200, "{response}");
    let tools = body(&response)["result"]["tools"].clone();
    assert!(
        tools
            .as_array()
            .is_some_and(|tools| tools.iter().any(|t| t["name"] == "malgomo_get_kpis")),
        "{tools}"
    );

    // tools/call
    let kpis = call_tool(
        &function,
        &session,
        "malgomo_get_kpis",
        json!({ "period": "7d" }),
    )
    .await;
    assert_eq!(kpis["isError"], false, "{kpis}");
    assert!(
        kpis["structuredContent"]["hero_net_eur"].is_number(),
        "{kpis}"
    );

    // GET /mcp: no stream behind a buffering front door.
    let response = function
        .call(Event::get_stream().session(Some(&session)).build())
        .await;
    assert_eq!(status(&response), 405, "{response}");
    assert_eq!(
        header(&response, "allow"),
        Some("POST, DELETE, OPTIONS"),
        "{response}"
    );

    // DELETE ends the session ...
    let response = function
        .call(Event::bodiless("DELETE").session(Some(&session)).build())
        .await;
    assert_eq!(status(&response), 204, "{response}");
    assert!(
        response["body"].is_null() || response["body"] == "",
        "{response}"
    );

    // ... so the next request on it is 404.
    let response = function.call(Event::tools_list(&session).build()).await;
    assert_eq!(status(&response), 404, "{response}");
    let answer = body(&response);
    assert!(answer["error"]["message"].is_string(), "{answer}");
}

#[tokio::test]
async fn http_api_v2_events_reach_the_same_router_with_the_same_response_shape() {
    let upstreams = Upstreams::start().await;
    let function = start_mcp(&upstreams).await;

    let (via_api, session) = initialize(&function, HTTPAPI_INITIALIZE).await;

    // The session lives in the table, whatever door the next request uses.
    let response = function.call(Event::tools_list(&session).build()).await;
    assert_eq!(status(&response), 200, "{response}");

    // Both payloads parse as API Gateway v2 requests and answer alike.
    let via_url = function.call(sample(FUNCTION_URL_INITIALIZE)).await;
    let keys = |response: &Value| -> Vec<String> {
        let mut keys: Vec<String> = response
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&via_api), keys(&via_url));
    assert_eq!(
        keys(&via_url),
        [
            "body",
            "cookies",
            "headers",
            "isBase64Encoded",
            "multiValueHeaders",
            "statusCode"
        ]
    );
    let names = |response: &Value| -> Vec<String> {
        let mut names: Vec<String> = response["headers"]
            .as_object()
            .expect("headers")
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&via_api), names(&via_url));
}

#[tokio::test]
async fn lambda_health_answers_the_http_api_healthz_sample() {
    let upstreams = Upstreams::start().await;
    let function = Function::spawn(LAMBDA_HEALTH, &upstreams.env()).await;
    let response = function.call(sample(HTTPAPI_HEALTHZ)).await;
    assert_eq!(status(&response), 200, "{response}");
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    assert_eq!(body(&response), json!({ "status": "ok" }));
}

/// What `sam local invoke -e events/<file>` gets from a fresh container.
#[tokio::test]
async fn every_sample_event_as_shipped_gets_a_meaningful_answer() {
    let upstreams = Upstreams::start().await;
    let function = start_mcp(&upstreams).await;
    for (name, text, expected) in [
        ("function-url-initialize", FUNCTION_URL_INITIALIZE, 200),
        // Its session id is a placeholder to replace: a clear 404.
        ("function-url-tools-list", FUNCTION_URL_TOOLS_LIST, 404),
        ("httpapi-initialize", HTTPAPI_INITIALIZE, 200),
        ("httpapi-healthz", HTTPAPI_HEALTHZ, 200),
    ] {
        let response = function.call(sample(text)).await;
        assert_eq!(status(&response), expected, "{name}: {response}");
        assert!(body(&response).is_object(), "{name}: {response}");
    }
}
