//! The Lambda functions as Lambda runs them: the real `lambda-mcp` and
//! `lambda-health` binaries polling a Runtime API emulator, fed the sample
//! events kept in `events/` (Function URL and HTTP API v2 payloads, the
//! ones `sam local invoke -e` uses), against the upstream simulator and a
//! DynamoDB table on the loopback test server.
//!
//! One file a subject: the MCP flow through the binaries (`mcp_flow.rs`),
//! start-up and runtime errors (`startup_errors.rs`), the router's headers
//! kept (`headers.rs`), lambda_http's response serialisation
//! (`serialisation.rs`), the edge: origin secret and the caller's address
//! (`edge.rs`), and the metrics lines (`metrics.rs`); the sample events and
//! the response readers they share are here.

mod edge;
mod headers;
mod mcp_flow;
mod metrics;
mod serialisation;
mod startup_errors;

use malgomo_tests::lambda::{Function, Upstreams};
use malgomo_tests::rpc::tool_call;
use serde_json::{Value, json};

const FUNCTION_URL_INITIALIZE: &str =
    include_str!("../../../../events/function-url-initialize.json");
const FUNCTION_URL_TOOLS_LIST: &str =
    include_str!("../../../../events/function-url-tools-list.json");
const HTTPAPI_HEALTHZ: &str = include_str!("../../../../events/httpapi-healthz.json");
const HTTPAPI_INITIALIZE: &str = include_str!("../../../../events/httpapi-initialize.json");

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
