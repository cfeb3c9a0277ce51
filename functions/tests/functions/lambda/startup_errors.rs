//! Start-up and runtime errors: a missing table, no CA certificates, an
//! event that is not HTTP; the functions keep serving.

use malgomo_tests::lambda::{Function, Upstreams};
use serde_json::json;

use super::*;

/// The configuration with `DYNAMODB_TABLE` naming a table that does not exist.
fn missing_table_env(upstreams: &Upstreams) -> (Vec<(&'static str, String)>, String) {
    let missing = format!("{}-missing", upstreams.table);
    let mut env = upstreams.env();
    env.retain(|(name, _)| *name != "DYNAMODB_TABLE");
    env.push(("DYNAMODB_TABLE", missing.clone()));
    (env, missing)
}

#[tokio::test]
async fn a_missing_table_stops_the_health_function_with_a_message_naming_it() {
    let upstreams = Upstreams::start().await;
    let (env, missing) = missing_table_env(&upstreams);
    let function = Function::spawn(LAMBDA_HEALTH, &env).await;

    let exit = function.exited().await;
    let output = function.output();
    // `run()` fails before `lambda_http::run`, so the runtime never polls
    // and never posts `/init/error`: the process exits non-zero, its
    // message on stderr (which Lambda puts in the function's log).
    assert!(!exit.success, "{exit:?}\n{output}");
    assert_eq!(exit.code, Some(1), "{output}");
    assert!(output.contains(&missing), "names the table:\n{output}");
    assert!(output.contains("--create-table"), "says the fix:\n{output}");
    assert_eq!(function.api.polls(), 0, "{output}");
    assert!(function.api.init_error().is_none());
}

#[tokio::test]
async fn the_mcp_function_serves_its_first_request_without_touching_the_table() {
    let upstreams = Upstreams::start().await;
    let (env, _) = missing_table_env(&upstreams);
    let function = Function::spawn(LAMBDA_MCP, &env).await;

    // Start-up made no table call: a missing table does not stop it, and a
    // request that needs no store is answered.
    let response = function.call(sample(HTTPAPI_HEALTHZ)).await;
    assert_eq!(status(&response), 200, "{response}");
    // initialize stores nothing, so it needs no table either.
    let response = function.call(sample(FUNCTION_URL_INITIALIZE)).await;
    assert_eq!(status(&response), 200, "{response}");
    // A request that needs the store gets the store's error, not a crash.
    let session = session_id(&response);
    let tools = Event::tools_list(&session);
    let response = function.call(tools.build()).await;
    assert!(status(&response) >= 500, "{response}");
    let response = function.call(sample(HTTPAPI_HEALTHZ)).await;
    assert_eq!(status(&response), 200, "still serving: {response}");
}

/// An image without CA certificates (the state `sam local` found in a bare
/// base image): `SSL_CERT_FILE` naming an empty file is the whole trust
/// store the TLS backend loads.
#[tokio::test]
async fn without_ca_certificates_the_function_answers_503_naming_the_cause_and_keeps_running() {
    let upstreams = Upstreams::start().await;
    let mut env = upstreams.env();
    env.push(("SSL_CERT_FILE", "/dev/null".to_owned()));
    let function = Function::spawn(LAMBDA_MCP, &env).await;

    for _ in 0..2 {
        let response = function.call(sample(FUNCTION_URL_INITIALIZE)).await;
        assert_eq!(status(&response), 503, "{response}");
        assert_eq!(header(&response, "retry-after"), Some("5"), "{response}");
        let answer = body(&response);
        assert_eq!(answer["error"], "server_unavailable", "{answer}");
        assert!(
            answer["error_description"]
                .as_str()
                .is_some_and(|text| text.contains("no CA certificates")),
            "{answer}"
        );
    }
    // It served both events without ever reporting an init error.
    assert!(function.api.init_error().is_none());
}

#[tokio::test]
async fn an_event_that_is_not_http_is_an_invocation_error_and_the_function_keeps_serving() {
    let upstreams = Upstreams::start().await;
    let function = Function::spawn(LAMBDA_HEALTH, &upstreams.env()).await;
    let error = function
        .invoke(json!({ "source": "aws.events", "detail": {} }))
        .await
        .expect_err("not an HTTP event");
    assert!(
        error.contains("expects a JSON payload from Amazon API Gateway"),
        "{error}"
    );
    let response = function.call(sample(HTTPAPI_HEALTHZ)).await;
    assert_eq!(status(&response), 200, "{response}");
}
