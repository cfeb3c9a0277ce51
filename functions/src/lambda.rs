//! The Lambda host: `lambda_http` events (Function URL and HTTP API v2 both
//! arrive as API Gateway v2 requests) through the shared router. The app is
//! built once per container, before the first event (or, with
//! `PUBLIC_URL=function-url`, from it), without a store call: only the
//! `health` function checks the table before serving, so the `mcp` and
//! `oauth` functions' cold start does not wait for DynamoDB.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, header};
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, service_fn};
use malgomo::web::{ClientIp, edge, reply};
use malgomo::{App, Config, Host, StartError, router};
use tokio::sync::OnceCell;

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
    let container = Arc::new(Container {
        config,
        start,
        app: OnceCell::new(),
    });
    if !container.config.public_url_from_function_url {
        match container.app(None).await {
            Ok(_) => {}
            // Without a trust store the container cannot reach its upstreams,
            // but it can say so: it serves a 503 naming the cause (each event
            // tries again) instead of exiting, where callers would see only
            // the runtime's bare error.
            Err(StartFailure::NoTls(reason)) => {
                tracing::error!(error = %reason, "the app could not start")
            }
            // Other start-up errors stop the container before its first event.
            Err(StartFailure::Other(err)) => return Err(err),
        }
    }
    lambda_http::run(service_fn(move |request: Request| {
        let container = container.clone();
        async move {
            let response = match container.app(Some(&request)).await {
                Ok(app) => handle(&app, request).await,
                Err(failure) => unavailable(&failure),
            };
            Ok::<_, Infallible>(response)
        }
    }))
    .await
}

/// What one container serves: the app, built once. With
/// `PUBLIC_URL=function-url` it is built from the first event, whose
/// request context names the Function URL (its `domainName`, which Lambda
/// sets and a caller cannot choose); otherwise before the first event.
struct Container {
    config: Config,
    start: Start,
    app: OnceCell<Arc<App>>,
}

/// Why a container has no app (yet).
#[derive(Debug)]
enum StartFailure {
    /// No CA certificate could be loaded ([`StartError::NoTls`]).
    NoTls(StartError),
    Other(lambda_http::Error),
}

impl From<StartError> for StartFailure {
    fn from(err: StartError) -> Self {
        match err {
            StartError::NoTls(_) => Self::NoTls(err),
            other => Self::Other(other.into()),
        }
    }
}

impl From<lambda_http::Error> for StartFailure {
    fn from(err: lambda_http::Error) -> Self {
        Self::Other(err)
    }
}

impl StartFailure {
    fn other(err: impl Into<lambda_http::Error>) -> Self {
        Self::Other(err.into())
    }
}

impl Container {
    async fn app(&self, first: Option<&Request>) -> Result<Arc<App>, StartFailure> {
        let app = self
            .app
            .get_or_try_init(|| async {
                let config = match (self.config.public_url_from_function_url, first) {
                    (true, Some(request)) => self
                        .config
                        .clone()
                        .at_function_url(&function_url_domain(request)?)
                        .map_err(StartFailure::other)?,
                    _ => self.config.clone(),
                };
                let app = App::from_config(config, Host::lambda()).await?;
                if self.start == Start::CheckStore {
                    app.check_store().await.map_err(StartFailure::other)?;
                }
                Ok::<_, StartFailure>(Arc::new(app))
            })
            .await?;
        Ok(app.clone())
    }
}

/// The Function URL's domain from an event's request context.
fn function_url_domain(request: &Request) -> Result<String, lambda_http::Error> {
    match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.domain_name.clone(),
        _ => None,
    }
    .filter(|domain| !domain.is_empty())
    .ok_or_else(|| {
        "PUBLIC_URL=function-url: the event names no Function URL (requestContext.domainName)"
            .into()
    })
}

/// The answer while the app cannot be built (logged once per event; the
/// next event tries again).
fn unavailable(failure: &StartFailure) -> http::Response<Body> {
    let message = match failure {
        StartFailure::NoTls(err) => {
            tracing::error!(error = %err, "the app could not start");
            "the server could not start: it has no CA certificates to verify its upstreams; see its logs"
        }
        StartFailure::Other(err) => {
            tracing::error!(error = %err, "the app could not start");
            "the server could not start; see its logs"
        }
    };
    let mut response = reply::error(
        http::StatusCode::SERVICE_UNAVAILABLE,
        "server_unavailable",
        message,
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    to_lambda(response)
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
    to_lambda(router::handle(&app.router(), http::Request::from_parts(parts, bytes)).await)
}

/// A router response as Lambda returns it: repeated headers joined, text
/// bodies as text.
fn to_lambda(response: reply::Response) -> http::Response<Body> {
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
