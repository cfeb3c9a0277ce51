//! Error responses through the function keep the router's headers, the
//! OAuth challenge its `WWW-Authenticate`.

use bytes::Bytes;
use malgomo::{App, Config, Host};
use malgomo_tests::lambda::{Function, Upstreams};
use serde_json::Value;

use super::*;

/// What the shared router answers in-process for the same request: the
/// reference the Lambda response's headers must match.
async fn router_answer(
    upstreams: &Upstreams,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> http::Response<malgomo::web::Body> {
    router_answer_with(&upstreams.env(), method, path, headers, body).await
}

async fn router_answer_with(
    env: &[(&'static str, String)],
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> http::Response<malgomo::web::Body> {
    let config = Config::from_lookup(|name| {
        env.iter()
            .find(|(key, _)| *key == name)
            .filter(|(key, _)| *key != "DYNAMODB_TABLE")
            .map(|(_, value)| value.clone())
    })
    .expect("valid configuration");
    let app = App::new(config, Host::lambda()).expect("the app starts");
    let mut request = http::Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Bytes::copy_from_slice(body.as_bytes()))
        .expect("a request");
    malgomo::router::handle(&app.router(), request).await
}

fn assert_same_headers(expected: &http::HeaderMap, response: &Value, what: &str) {
    let actual = response["headers"]
        .as_object()
        .unwrap_or_else(|| panic!("{what}: headers: {response}"));
    let mut expected_names: Vec<&str> = expected.keys().map(|k| k.as_str()).collect();
    let mut actual_names: Vec<&str> = actual.keys().map(String::as_str).collect();
    expected_names.sort();
    actual_names.sort();
    assert_eq!(actual_names, expected_names, "{what}: {response}");
    for name in expected.keys() {
        let values: Vec<&str> = expected
            .get_all(name)
            .iter()
            .map(|v| v.to_str().expect("ASCII header"))
            .collect();
        assert_eq!(
            actual[name.as_str()].as_str(),
            Some(values.join(", ").as_str()),
            "{what}: header {name}: {response}"
        );
    }
}

#[tokio::test]
async fn error_responses_keep_the_routers_headers_unchanged() {
    let upstreams = Upstreams::start().await;
    let function = start_mcp(&upstreams).await;
    let origin = "https://claude.ai";

    // 404: an unknown session, from a browser origin (CORS headers, which
    // expose WWW-Authenticate and Mcp-Session-Id to the page).
    let headers = [
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("origin", origin),
        ("mcp-session-id", "no-such-session"),
        ("mcp-protocol-version", PROTOCOL),
    ];
    let mut event = Event::from(FUNCTION_URL_TOOLS_LIST);
    for (name, value) in headers {
        event = event.header(name, value);
    }
    let event = event.build();
    let sent_body = event["body"].as_str().expect("a body").to_owned();
    let response = function.call(event).await;
    assert_eq!(status(&response), 404, "{response}");
    let mut reference = headers.to_vec();
    reference.push((
        "host",
        "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws",
    ));
    let expected = router_answer(&upstreams, "POST", "/mcp", &reference, &sent_body).await;
    assert_eq!(expected.status(), 404);
    assert!(
        expected
            .headers()
            .get("access-control-expose-headers")
            .is_some_and(|v| v.to_str().unwrap().contains("WWW-Authenticate")),
        "{:?}",
        expected.headers()
    );
    assert_same_headers(expected.headers(), &response, "404");

    // 400: DELETE without a session id.
    let response = function
        .call(Event::bodiless("DELETE").header("origin", origin).build())
        .await;
    assert_eq!(status(&response), 400, "{response}");
    let expected = router_answer(&upstreams, "DELETE", "/mcp", &[("origin", origin)], "").await;
    assert_eq!(expected.status(), 400);
    assert_same_headers(expected.headers(), &response, "400");

    // 405: GET /mcp, with its Allow header.
    let response = function
        .call(Event::get_stream().header("origin", origin).build())
        .await;
    assert_eq!(status(&response), 405, "{response}");
    let expected = router_answer(
        &upstreams,
        "GET",
        "/mcp",
        &[("accept", "text/event-stream"), ("origin", origin)],
        "",
    )
    .await;
    assert_same_headers(expected.headers(), &response, "405");

    // 404 on a path the function does not serve, through an HTTP API event.
    let response = function
        .call(
            Event::from(HTTPAPI_HEALTHZ)
                .path("/no-such-route")
                .method("GET")
                .build(),
        )
        .await;
    assert_eq!(status(&response), 404, "{response}");
    let expected = router_answer(&upstreams, "GET", "/no-such-route", &[], "").await;
    assert_same_headers(expected.headers(), &response, "404 route");
    assert_eq!(body(&response)["error"], "not_found", "{response}");
}

/// With `PUBLIC_URL` set, `/mcp` without a bearer is a 401 whose
/// `WWW-Authenticate` challenge (OAuth discovery) must reach the client as
/// the router wrote it: the function never renames or drops it.
#[tokio::test]
async fn the_oauth_challenge_keeps_its_www_authenticate_header() {
    let upstreams = Upstreams::start().await;
    let mut env = upstreams.env();
    env.push(("PUBLIC_URL", "https://mcp.example.test".to_owned()));
    let function = Function::spawn(LAMBDA_MCP, &env).await;
    let origin = "https://claude.ai";

    let event = Event::from(FUNCTION_URL_INITIALIZE)
        .header("origin", origin)
        .build();
    let sent_body = event["body"].as_str().expect("a body").to_owned();
    let response = function.call(event).await;
    assert_eq!(status(&response), 401, "{response}");
    let challenge = header(&response, "www-authenticate").unwrap_or_default();
    assert!(
        challenge.starts_with("Bearer ") && challenge.contains("resource_metadata="),
        "{response}"
    );
    assert!(
        response["headers"]
            .as_object()
            .is_some_and(|h| h.keys().all(|k| !k.starts_with("x-amzn-remapped"))),
        "{response}"
    );

    let expected = router_answer_with(
        &env,
        "POST",
        "/mcp",
        &[
            ("content-type", "application/json"),
            ("accept", "application/json, text/event-stream"),
            ("origin", origin),
            (
                "host",
                "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws",
            ),
        ],
        &sent_body,
    )
    .await;
    assert_eq!(expected.status(), 401);
    assert_same_headers(expected.headers(), &response, "401");
}
