//! The Lambda host: `lambda_http` events (Function URL and HTTP API v2 both
//! arrive as API Gateway v2 requests) through the shared router. The app is
//! built once per container, before the first event.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use lambda_http::{Body, Request, service_fn};
use malgomo::{App, Config, Host, router};

/// Runs the shared router as a Lambda function until the runtime stops it.
pub async fn run() -> Result<(), lambda_http::Error> {
    crate::telemetry::init();
    let config = Config::from_env()?;
    let app = Arc::new(App::from_config(config, Host::lambda()).await?);
    lambda_http::run(service_fn(move |request: Request| {
        let app = app.clone();
        async move { Ok::<_, Infallible>(handle(&app, request).await) }
    }))
    .await
}

/// One event → one response. Lambda buffers, so streams never occur here
/// (`Host::lambda()` answers `GET /mcp` with 405).
pub async fn handle(app: &App, request: Request) -> http::Response<Body> {
    let (parts, body) = request.into_parts();
    let bytes = match body {
        Body::Empty => Bytes::new(),
        Body::Text(text) => Bytes::from(text),
        Body::Binary(binary) => Bytes::from(binary),
        _ => Bytes::new(),
    };
    let response = router::handle(app, http::Request::from_parts(parts, bytes)).await;
    let (parts, body) = response.into_parts();
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
