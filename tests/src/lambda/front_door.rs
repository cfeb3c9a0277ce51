//! The deployed edge on loopback: an HTTP server that does for the Lambda
//! binaries what the template's front door does in AWS, so HTTP clients
//! (and the tests' helpers) talk to the functions as users would.
//!
//! - [`Edge::CloudFront`]: routes each path to a function by the
//!   distribution's cache behaviours, read from `template.yaml`; adds the
//!   origin secret and the viewer headers (as the `ViewerHeaders` function
//!   does) and sends the origin's own `Host` (AllViewerExceptHostHeader).
//!   Requests reach the functions from CloudFront's address, not the viewer's.
//! - [`Edge::FunctionUrl`]: the `mcp` function's URL, straight: every path
//!   to `mcp`, from the caller's own address.
//!
//! Each request becomes a Function URL event (payload 2.0) and the
//! function's answer becomes the HTTP response, as the Lambda service does.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

use super::Function;
use crate::template::{Template, path_matches};

/// The address requests reach the functions from behind CloudFront (an
/// edge server's, the same for every viewer).
pub const CLOUDFRONT_ADDRESS: &str = "130.176.98.7";

/// Which front door the template deploys.
#[derive(Clone, Debug)]
pub enum Edge {
    CloudFront { origin_secret: String },
    FunctionUrl,
}

/// The domain of a function's URL, as AWS names them.
pub fn function_url_domain(origin: &str) -> String {
    format!("{origin}0123456789abcdefghijklmnopq.lambda-url.us-east-1.on.aws")
}

struct Shared {
    edge: Edge,
    routes: Vec<(String, String)>,
    functions: BTreeMap<String, Arc<Function>>,
}

/// A running front door; stops when dropped.
pub struct FrontDoor {
    /// `http://127.0.0.1:<port>`: where clients connect.
    pub base: String,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FrontDoor {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FrontDoor {
    /// Serves `functions` (by origin id: `mcp`, `oauth`, `health`) behind `edge`.
    pub async fn start(edge: Edge, functions: BTreeMap<String, Arc<Function>>) -> FrontDoor {
        let routes = match edge {
            Edge::CloudFront { .. } => Template::load().front_door_routes(),
            Edge::FunctionUrl => vec![("*".to_owned(), "mcp".to_owned())],
        };
        for (_, origin) in &routes {
            assert!(
                functions.contains_key(origin),
                "no function for origin {origin}"
            );
        }
        let shared = Arc::new(Shared {
            edge,
            routes,
            functions,
        });
        let app = axum::Router::new().fallback(forward).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the front door on loopback");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("the front door serves");
        });
        FrontDoor { base, server }
    }
}

async fn forward(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request<Body>,
) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let origin = shared
        .routes
        .iter()
        .find(|(pattern, _)| path_matches(pattern, &path))
        .map(|(_, origin)| origin.clone())
        .expect("the last route matches every path");
    let function = shared.functions[&origin].clone();
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let mut headers = parts.headers.clone();
    let domain = function_url_domain(&origin);
    let source_ip = match &shared.edge {
        Edge::CloudFront { origin_secret } => {
            let viewer_host = headers.get("host").cloned();
            set(&mut headers, "x-origin-secret", origin_secret);
            set(&mut headers, "x-malgomo-viewer-ip", &peer.ip().to_string());
            match viewer_host {
                Some(host) => {
                    headers.insert("x-malgomo-viewer-host", host);
                }
                None => {
                    headers.remove("x-malgomo-viewer-host");
                }
            }
            CLOUDFRONT_ADDRESS.to_owned()
        }
        Edge::FunctionUrl => peer.ip().to_string(),
    };
    set(&mut headers, "host", &domain);
    set(&mut headers, "x-forwarded-for", &source_ip);
    let event = event(
        parts.method.as_str(),
        &parts.uri,
        &headers,
        &body,
        &domain,
        &source_ip,
    );
    match function.invoke(event).await {
        Ok(answer) => response(&answer),
        Err(err) => {
            // What a Function URL answers when the invocation fails.
            let mut response = Response::new(Body::from(format!("invocation failed: {err}")));
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            response
        }
    }
}

fn set(headers: &mut HeaderMap, name: &'static str, value: &str) {
    headers.insert(
        HeaderName::from_static(name),
        HeaderValue::from_str(value).expect("a header value"),
    );
}

/// A Function URL event: headers lower-case with repeated values joined,
/// cookies apart, the body as text unless it is not UTF-8.
fn event(
    method: &str,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &Bytes,
    domain: &str,
    source_ip: &str,
) -> Value {
    let mut joined: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut cookies = Vec::new();
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        if name == "cookie" {
            cookies.extend(value.split("; ").map(str::to_owned));
        } else {
            joined
                .entry(name.as_str().to_owned())
                .or_default()
                .push(value);
        }
    }
    let headers: serde_json::Map<String, Value> = joined
        .into_iter()
        .map(|(name, values)| (name, json!(values.join(","))))
        .collect();
    let (body, encoded) = match std::str::from_utf8(body) {
        Ok(text) => (text.to_owned(), false),
        Err(_) => (BASE64.encode(body), true),
    };
    let mut event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": uri.path(),
        "rawQueryString": uri.query().unwrap_or(""),
        "headers": headers,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": domain.split('.').next().unwrap_or_default(),
            "domainName": domain,
            "domainPrefix": domain.split('.').next().unwrap_or_default(),
            "http": {
                "method": method,
                "path": uri.path(),
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": headers_user_agent(&headers),
            },
            "requestId": "front-door",
            "routeKey": "$default",
            "stage": "$default",
            "time": "02/Dec/2026:01:00:00 +0000",
            "timeEpoch": 1_796_173_200_000u64,
        },
        "isBase64Encoded": encoded,
    });
    if !cookies.is_empty() {
        event["cookies"] = json!(cookies);
    }
    if !body.is_empty() {
        event["body"] = json!(body);
    }
    event
}

fn headers_user_agent(headers: &serde_json::Map<String, Value>) -> String {
    headers
        .get("user-agent")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The function's answer as HTTP: status, headers, `cookies` as
/// `Set-Cookie`, the body decoded.
fn response(answer: &Value) -> Response<Body> {
    let status = answer["statusCode"].as_u64().unwrap_or(502) as u16;
    let body = answer["body"].as_str().unwrap_or_default();
    let body = if answer["isBase64Encoded"] == true {
        BASE64.decode(body).unwrap_or_default()
    } else {
        body.as_bytes().to_vec()
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    if let Some(headers) = answer["headers"].as_object() {
        for (name, value) in headers {
            if let (Ok(name), Some(Ok(value))) = (
                HeaderName::from_bytes(name.as_bytes()),
                value.as_str().map(HeaderValue::from_str),
            ) {
                response.headers_mut().append(name, value);
            }
        }
    }
    for cookie in answer["cookies"].as_array().into_iter().flatten() {
        if let Some(Ok(value)) = cookie.as_str().map(HeaderValue::from_str) {
            response.headers_mut().append("set-cookie", value);
        }
    }
    response
}
