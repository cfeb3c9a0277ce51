//! The Lambda host: `lambda_http` events (Function URL and HTTP API v2 both
//! arrive as API Gateway v2 requests) through the shared router. The app is
//! built once per container, before the first event, without a store call:
//! only the `health` function checks the table before serving, so the `mcp`
//! and `oauth` functions' cold start does not wait for DynamoDB.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, header};
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, service_fn};
use malgomo::web::{ClientIp, edge};
use malgomo::{App, Config, Host, router};

/// What a function does before its first event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Check the store first; a missing table stops start-up with a message
    /// naming it (the `health` function, whose answer then means "usable").
    CheckStore,
    /// Serve at once (the `mcp` and `oauth` functions: users wait on them).
    Serve,
}

/// Runs the shared router as a Lambda function until the runtime stops it.
pub async fn run(start: Start) -> Result<(), lambda_http::Error> {
    malgomo::telemetry::init();
    let config = Config::from_env()?;
    config.check_bind(false)?;
    let app = App::from_config(config, Host::lambda()).await?;
    if start == Start::CheckStore {
        app.check_store().await?;
    }
    let app = Arc::new(app);
    lambda_http::run(service_fn(move |request: Request| {
        let app = app.clone();
        async move { Ok::<_, Infallible>(handle(&app, request).await) }
    }))
    .await
}

/// One event → one response. Lambda buffers, so streams never occur here
/// (`Host::lambda()` answers `GET /mcp` with 405).
pub async fn handle(app: &App, request: Request) -> http::Response<Body> {
    let client_ip = client_ip(app, &request);
    let (mut parts, body) = request.into_parts();
    if let Some(ip) = client_ip {
        parts.extensions.insert(ClientIp(ip));
    }
    let bytes = match body {
        Body::Empty => Bytes::new(),
        Body::Text(text) => Bytes::from(text),
        Body::Binary(binary) => Bytes::from(binary),
        _ => Bytes::new(),
    };
    let response = router::handle(app, http::Request::from_parts(parts, bytes)).await;
    let (mut parts, body) = response.into_parts();
    join_repeated_headers(&mut parts.headers);
    let body = match body.into_bytes() {
        None => Body::Empty,
        Some(bytes) if bytes.is_empty() => Body::Empty,
        // Text stays text, so the front door does not base64 it.
        Some(bytes) => match String::from_utf8(bytes.to_vec()) {
            Ok(text) => Body::Text(text),
            Err(binary) => Body::Binary(binary.into_bytes()),
        },
    };
    http::Response::from_parts(parts, body)
}

/// The caller's address: the viewer address the front door vouches for
/// (its header counts only with a valid origin secret), else the address
/// that reached the function (`requestContext.http.sourceIp`, which Lambda
/// sets from the connection). Never `X-Forwarded-For`: behind a Function
/// URL its entries are whatever the caller wrote.
fn client_ip(app: &App, request: &Request) -> Option<std::net::IpAddr> {
    let vouched = edge::viewer_ip(app.config.origin_secret.as_ref(), request.headers());
    vouched.or_else(|| match request.request_context_ref()? {
        RequestContext::ApiGatewayV2(context) => context.http.source_ip.as_deref()?.parse().ok(),
        _ => None,
    })
}

/// API Gateway v2 / Function URL responses keep only the first value of a
/// repeated header, so repeated values are joined (RFC 9110 §5.3);
/// `Set-Cookie` travels separately as `cookies` and is left alone.
pub fn join_repeated_headers(headers: &mut HeaderMap) {
    let names: Vec<_> = headers.keys().cloned().collect();
    for name in names {
        if name == header::SET_COOKIE || headers.get_all(&name).iter().count() < 2 {
            continue;
        }
        let joined = headers
            .get_all(&name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect::<Vec<_>>()
            .join(", ");
        if let Ok(value) = HeaderValue::from_str(&joined) {
            headers.insert(name, value);
        }
    }
}
