//! The Lambda functions as Lambda runs them: the real `lambda-mcp` and
//! `lambda-health` binaries polling a Runtime API emulator, fed the sample
//! events kept in `events/` (Function URL and HTTP API v2 payloads, the
//! ones `sam local invoke -e` uses), against the upstream simulator and a
//! DynamoDB table on the loopback test server.

use std::convert::Infallible;

use bytes::Bytes;
use malgomo::{App, Config, Host};
use malgomo_tests::accounts;
use malgomo_tests::lambda::{Function, Upstreams};
use malgomo_tests::rpc::{notification, tool_call};
use serde_json::{Value, json};

const FUNCTION_URL_INITIALIZE: &str = include_str!("../../../events/function-url-initialize.json");
const FUNCTION_URL_TOOLS_LIST: &str = include_str!("../../../events/function-url-tools-list.json");
const HTTPAPI_HEALTHZ: &str = include_str!("../../../events/httpapi-healthz.json");
const HTTPAPI_INITIALIZE: &str = include_str!("../../../events/httpapi-initialize.json");

const LAMBDA_MCP: &str = env!("CARGO_BIN_EXE_lambda-mcp");
const LAMBDA_HEALTH: &str = env!("CARGO_BIN_EXE_lambda-health");
const PROTOCOL: &str = "2025-06-18";

// ---- events ---------------------------------------------------------------

fn sample(text: &str) -> Value {
    serde_json::from_str(text).expect("the sample event is JSON")
}

/// A sample event with its method, body and headers patched.
struct Event(Value);

impl Event {
    fn from(sample_text: &str) -> Self {
        Self(sample(sample_text))
    }

    /// The `tools/list` sample with `session` patched in.
    fn tools_list(session: &str) -> Self {
        Self::from(FUNCTION_URL_TOOLS_LIST).header("mcp-session-id", session)
    }

    /// A Function URL request on `/mcp` with `method` and no body.
    fn bodiless(method: &str) -> Self {
        Self::from(FUNCTION_URL_INITIALIZE)
            .method(method)
            .body(None)
    }

    /// `GET /mcp` asking for an event stream.
    fn get_stream() -> Self {
        Self::bodiless("GET").header("accept", "text/event-stream")
    }

    fn method(mut self, method: &str) -> Self {
        self.0["requestContext"]["http"]["method"] = json!(method);
        // HTTP API route keys name the method; a Function URL's is `$default`.
        let path = self.0["rawPath"].as_str().unwrap_or("/").to_owned();
        let route = json!(format!("{method} {path}"));
        if self.0["routeKey"] != "$default" {
            self.0["routeKey"] = route.clone();
        }
        if self.0["requestContext"]["routeKey"] != "$default" {
            self.0["requestContext"]["routeKey"] = route;
        }
        self
    }

    fn path(mut self, path: &str) -> Self {
        self.0["rawPath"] = json!(path);
        self.0["requestContext"]["http"]["path"] = json!(path);
        self
    }

    /// A JSON body (content-length follows), or none.
    fn body(mut self, body: Option<&Value>) -> Self {
        let event = self.0.as_object_mut().expect("an event object");
        match body {
            Some(body) => {
                let text = body.to_string();
                event.insert("body".into(), json!(text));
                self.0["headers"]["content-length"] = json!(text.len().to_string());
            }
            None => {
                event.remove("body");
                self.0["headers"]["content-length"] = json!("0");
                self = self.without("content-type");
            }
        }
        self
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.0["headers"][name] = json!(value);
        self
    }

    fn without(mut self, name: &str) -> Self {
        if let Some(headers) = self.0["headers"].as_object_mut() {
            headers.remove(name);
        }
        self
    }

    fn session(self, session: Option<&str>) -> Self {
        match session {
            Some(id) => self
                .header("mcp-session-id", id)
                .header("mcp-protocol-version", PROTOCOL),
            None => self.without("mcp-session-id"),
        }
    }

    fn build(self) -> Value {
        self.0
    }
}

// ---- responses ------------------------------------------------------------

fn status(response: &Value) -> u64 {
    response["statusCode"]
        .as_u64()
        .unwrap_or_else(|| panic!("a statusCode: {response}"))
}

fn header<'a>(response: &'a Value, name: &str) -> Option<&'a str> {
    response["headers"][name].as_str()
}

/// The body as JSON: a text body (`isBase64Encoded` false) holding JSON.
fn body(response: &Value) -> Value {
    assert_eq!(
        response["isBase64Encoded"], false,
        "a JSON body is text: {response}"
    );
    let text = response["body"]
        .as_str()
        .unwrap_or_else(|| panic!("a body: {response}"));
    serde_json::from_str(text).unwrap_or_else(|err| panic!("a JSON body ({err}): {response}"))
}

fn session_id(response: &Value) -> String {
    header(response, "mcp-session-id")
        .unwrap_or_else(|| panic!("an Mcp-Session-Id header: {response}"))
        .to_owned()
}

/// `tools/call` through a Function URL event; returns the tool result.
async fn call_tool(function: &Function, session: &str, name: &str, arguments: Value) -> Value {
    let response = function
        .call(
            Event::from(FUNCTION_URL_INITIALIZE)
                .session(Some(session))
                .body(Some(&tool_call(3, name, arguments)))
                .build(),
        )
        .await;
    assert_eq!(status(&response), 200, "{name}: {response}");
    let answer = body(&response);
    answer
        .get("result")
        .cloned()
        .unwrap_or_else(|| panic!("{name} gave no result: {answer}"))
}

async fn start_mcp(upstreams: &Upstreams) -> Function {
    Function::spawn(LAMBDA_MCP, &upstreams.env()).await
}

/// `initialize` through the sample event `sample_text` as shipped: a JSON
/// answer in our protocol version with a session id. Returns the response
/// and the session id.
async fn initialize(function: &Function, sample_text: &str) -> (Value, String) {
    let response = function.call(sample(sample_text)).await;
    assert_eq!(status(&response), 200, "{response}");
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    let answer = body(&response);
    assert_eq!(answer["result"]["protocolVersion"], PROTOCOL, "{answer}");
    let session = session_id(&response);
    (response, session)
}

// ---- the MCP flow through the binary --------------------------------------

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

// ---- start-up and runtime errors ------------------------------------------

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

// ---- headers --------------------------------------------------------------

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

// ---- lambda_http's response serialisation ---------------------------------

/// Runs one v2 event through `lambda_http`'s adapter (what `lambda_http::run`
/// does per invocation) around a handler that answers `answer`, and returns
/// the JSON the runtime would post.
async fn serialised(answer: http::Response<lambda_http::Body>) -> Value {
    use lambda_http::{Adapter, Context, LambdaEvent, Service, service_fn};
    let event: lambda_http::request::LambdaRequest =
        serde_json::from_str(FUNCTION_URL_INITIALIZE).expect("the sample parses");
    let answer = std::sync::Mutex::new(Some(answer));
    let handler = service_fn(|_request: lambda_http::Request| {
        let response = answer.lock().unwrap().take().expect("one call");
        async move { Ok::<_, Infallible>(response) }
    });
    let mut adapter = Adapter::from(handler);
    let response = adapter
        .call(LambdaEvent::new(event, Context::default()))
        .await
        .expect("infallible");
    serde_json::to_value(&response).expect("serialisable")
}

#[tokio::test]
async fn lambda_http_moves_set_cookie_to_cookies_and_keeps_text_bodies_text() {
    let response = serialised(
        http::Response::builder()
            .status(401)
            .header(
                "www-authenticate",
                r#"Bearer resource_metadata="https://x/.well-known/oauth-protected-resource""#,
            )
            .header("set-cookie", "a=1")
            .header("set-cookie", "b=2")
            .header("content-type", "application/json")
            .body(lambda_http::Body::Text("{}".into()))
            .unwrap(),
    )
    .await;
    assert_eq!(
        response,
        json!({
            "statusCode": 401,
            "headers": {
                "www-authenticate": r#"Bearer resource_metadata="https://x/.well-known/oauth-protected-resource""#,
                "content-type": "application/json",
            },
            "multiValueHeaders": {},
            "body": "{}",
            "isBase64Encoded": false,
            "cookies": ["a=1", "b=2"],
        })
    );
}

#[tokio::test]
async fn repeated_response_headers_survive_the_lambda_response() {
    let mut answer = http::Response::builder()
        .status(401)
        .header("www-authenticate", r#"Bearer realm="mcp""#)
        .header("www-authenticate", r#"Basic realm="legacy""#)
        .header("vary", "Origin")
        .header("vary", "Accept")
        .body(lambda_http::Body::Empty)
        .unwrap();
    // lambda_http keeps only a header's first value; the adapter joins them.
    malgomo_functions::lambda::join_repeated_headers(answer.headers_mut());
    let response = serialised(answer).await;
    assert_eq!(
        response["headers"]["www-authenticate"], r#"Bearer realm="mcp", Basic realm="legacy""#,
        "{response}"
    );
    assert_eq!(response["headers"]["vary"], "Origin, Accept", "{response}");
}

// ---- the edge: origin secret and the caller's address ----------------------

const ORIGIN_SECRET: &str = "origin-secret-for-the-tests-0123456789abcdef";

/// A Function URL event from `source_ip`, with extra headers.
fn edge_event(sample_text: &str, source_ip: &str, headers: &[(&str, &str)]) -> Value {
    let mut event = Event::from(sample_text);
    for (name, value) in headers {
        event = event.header(name, value);
    }
    let mut event = event.build();
    event["requestContext"]["http"]["sourceIp"] = json!(source_ip);
    event
}

/// With ORIGIN_SECRET set, every path answers 403 unless the request
/// carries the secret: missing, wrong, repeated — and the right one passes.
#[tokio::test]
async fn with_an_origin_secret_every_path_refuses_requests_around_the_front_door() {
    let upstreams = Upstreams::start().await;
    let mut env = upstreams.env();
    env.push(("ORIGIN_SECRET", ORIGIN_SECRET.to_owned()));
    for binary in [LAMBDA_MCP, LAMBDA_HEALTH] {
        let function = Function::spawn(binary, &env).await;
        for sample_text in [HTTPAPI_HEALTHZ, FUNCTION_URL_INITIALIZE] {
            let wrong = format!("{}x", &ORIGIN_SECRET[1..]);
            for (what, secret) in [("missing", None), ("wrong", Some(wrong.as_str()))] {
                let headers: Vec<(&str, &str)> =
                    secret.map(|s| ("x-origin-secret", s)).into_iter().collect();
                let response = function
                    .call(edge_event(sample_text, "203.0.113.10", &headers))
                    .await;
                assert_eq!(status(&response), 403, "{what} secret: {response}");
                assert!(
                    !response.to_string().contains(ORIGIN_SECRET),
                    "the answer never echoes the secret"
                );
            }
            let right = function
                .call(edge_event(
                    sample_text,
                    "203.0.113.10",
                    &[("x-origin-secret", ORIGIN_SECRET)],
                ))
                .await;
            assert_eq!(status(&right), 200, "the right secret: {right}");
        }
        assert!(
            !function.output().contains(ORIGIN_SECRET),
            "the secret is never logged"
        );
    }
}

/// An origin-secret rotation as the runbook does it: the old secret alone,
/// then the new one with the old as ORIGIN_SECRET_PREVIOUS (CloudFront's
/// edges switch meanwhile), then the new one alone. A request carrying a
/// secret the phase accepts is never refused; one the phase dropped is.
#[tokio::test]
async fn an_origin_secret_rotation_refuses_no_request_carrying_an_accepted_secret() {
    const NEXT: &str = "origin-secret-after-the-rotation-9876543210fedcba";
    let upstreams = Upstreams::start().await;
    for (phase, current, previous, accepted) in [
        ("before", ORIGIN_SECRET, None, vec![ORIGIN_SECRET]),
        (
            "during",
            NEXT,
            Some(ORIGIN_SECRET),
            vec![ORIGIN_SECRET, NEXT],
        ),
        ("after", NEXT, None, vec![NEXT]),
    ] {
        let mut env = upstreams.env();
        env.push(("ORIGIN_SECRET", current.to_owned()));
        if let Some(previous) = previous {
            env.push(("ORIGIN_SECRET_PREVIOUS", previous.to_owned()));
        }
        let function = Function::spawn(LAMBDA_MCP, &env).await;
        for secret in [ORIGIN_SECRET, NEXT] {
            let response = function
                .call(edge_event(
                    FUNCTION_URL_INITIALIZE,
                    "203.0.113.10",
                    &[("x-origin-secret", secret)],
                ))
                .await;
            let expected = if accepted.contains(&secret) { 200 } else { 403 };
            assert_eq!(status(&response), expected, "{phase}: {response}");
        }
        let output = function.output();
        assert!(
            !output.contains(ORIGIN_SECRET) && !output.contains(NEXT),
            "no secret is logged"
        );
    }
}

/// With METRICS_NAMESPACE the function prints its metrics as CloudWatch
/// Embedded Metric Format lines (no API call): a sign-in attempt gives a
/// tool call by tool and outcome and an upstream latency; throttled
/// attempts a refusal by limit. Lines are polled for with a deadline (the
/// output is read from the process's pipes in its own time).
#[tokio::test]
async fn metrics_are_embedded_metric_format_lines_in_the_functions_output() {
    let upstreams = Upstreams::start().await;
    let mut env = upstreams.env();
    env.push(("METRICS_NAMESPACE", "MalGomo/tests".to_owned()));
    let function = Function::spawn(LAMBDA_MCP, &env).await;
    let attempts = vec![Vec::new(); 6];
    login_attempts(&function, "203.0.113.20", &attempts).await;
    let wanted = |doc: &Value| -> Option<&'static str> {
        let directive = &doc["_aws"]["CloudWatchMetrics"][0];
        if directive["Namespace"] != "MalGomo/tests" {
            return None;
        }
        if doc["ToolCalls"] == 1 && doc["Tool"] == "malgomo_login" && doc["Outcome"] == "tool_error"
        {
            Some("tool call")
        } else if doc["UpstreamLatency"].is_number() && !doc["Outcome"].is_null() {
            Some("upstream")
        } else if doc["Refusals"] == 1
            && doc["Limit"].as_str().is_some_and(|l| l.starts_with("pw-"))
        {
            Some("refusal")
        } else {
            None
        }
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let found = loop {
        let output = function.output();
        let mut found: Vec<&str> = output
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter_map(|doc| wanted(&doc))
            .collect();
        found.sort_unstable();
        found.dedup();
        if found.len() == 3 || tokio::time::Instant::now() > deadline {
            break found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(
        found,
        ["refusal", "tool call", "upstream"],
        "{}",
        function.output()
    );
}

/// Six wrong passwords for one account, each event forging another
/// `X-Forwarded-For` (and a viewer-address header without the secret's
/// backing): the address is the event's sourceIp throughout, so the
/// per-address throttle stops the sixth before it reaches the backend.
/// With the secret, the front door's viewer-address header is believed.
#[tokio::test]
async fn a_forged_x_forwarded_for_does_not_change_the_callers_address() {
    let upstreams = Upstreams::start().await;
    let function = Function::spawn(LAMBDA_MCP, &upstreams.env()).await;
    let forged: Vec<Vec<(String, String)>> = (0..6)
        .map(|n| {
            vec![
                ("x-forwarded-for".to_owned(), format!("198.51.100.{n}")),
                ("x-malgomo-viewer-ip".to_owned(), format!("192.0.2.{n}")),
            ]
        })
        .collect();
    let texts = login_attempts(&function, "203.0.113.10", &forged).await;
    assert!(
        texts[5].contains("too many login attempts"),
        "the sixth guess is throttled: {}",
        texts[5]
    );
    assert_eq!(
        upstreams.sim.counters().request_count("password"),
        5,
        "only five guesses reached the backend"
    );
}

/// Wrong-password logins from `source_ip` on one session, each with its own
/// extra headers; returns each tool result's text.
async fn login_attempts(
    function: &Function,
    source_ip: &str,
    extra: &[Vec<(String, String)>],
) -> Vec<String> {
    let init = function
        .call(edge_event(
            FUNCTION_URL_INITIALIZE,
            source_ip,
            &common_headers(extra),
        ))
        .await;
    let session = session_id(&init);
    let mut texts = Vec::new();
    for (n, headers) in extra.iter().enumerate() {
        let mut pairs: Vec<(&str, &str)> = vec![("mcp-session-id", session.as_str())];
        pairs.extend(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let login = tool_call(
            n as i64 + 1,
            "malgomo_login",
            json!({ "email": "owner@agency-a.test", "password": format!("wrong-{n}") }),
        );
        let event = Event(edge_event(FUNCTION_URL_TOOLS_LIST, source_ip, &pairs))
            .body(Some(&login))
            .build();
        let response = function.call(event).await;
        assert_eq!(status(&response), 200, "{response}");
        texts.push(
            body(&response)["result"]["content"][0]["text"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    texts
}

/// The headers every request of a run carries (the origin secret, if any).
fn common_headers(extra: &[Vec<(String, String)>]) -> Vec<(&str, &str)> {
    extra
        .first()
        .map(|first| {
            first
                .iter()
                .filter(|(k, _)| k == "x-origin-secret")
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn with_the_origin_secret_the_front_doors_viewer_address_is_believed() {
    let upstreams = Upstreams::start().await;
    let mut env = upstreams.env();
    env.push(("ORIGIN_SECRET", ORIGIN_SECRET.to_owned()));
    let function = Function::spawn(LAMBDA_MCP, &env).await;
    // CloudFront's own address is the sourceIp of every request; the
    // viewers differ, so nobody's guesses count against anybody else.
    let viewers: Vec<Vec<(String, String)>> = (0..6)
        .map(|n| {
            vec![
                ("x-origin-secret".to_owned(), ORIGIN_SECRET.to_owned()),
                ("x-malgomo-viewer-ip".to_owned(), format!("2001:db8:{n}::1")),
            ]
        })
        .collect();
    let texts = login_attempts(&function, "130.176.0.1", &viewers).await;
    for text in &texts {
        assert!(!text.contains("too many login attempts"), "{text}");
    }
    assert_eq!(upstreams.sim.counters().request_count("password"), 6);
}
