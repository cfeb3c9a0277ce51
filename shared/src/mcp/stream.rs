//! `GET /mcp`: the server-to-client SSE stream of a session. This server
//! never initiates messages, so the stream carries keep-alive comments and
//! stays open until the client leaves. Hosts that cannot hold a response
//! open answer 405, which the spec allows and clients handle — a stream
//! that ended on a timer would make clients reconnect in a loop.

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};

use super::answer::refuse;
use super::jsonrpc::{INVALID_REQUEST, SERVER_BUSY};
use super::{Auth, ProtocolVersion, negotiate, resolve};
use crate::app::App;
use crate::web::{Body, KeepAliveStream, Response, reply};

pub async fn handle(app: &App, request: http::Request<Bytes>, auth: Auth) -> Response {
    if !app.host.can_stream {
        let mut response = reply::empty(StatusCode::METHOD_NOT_ALLOWED);
        response.headers_mut().insert(
            header::ALLOW,
            HeaderValue::from_static("POST, DELETE, OPTIONS"),
        );
        return response;
    }
    let headers = request.headers();
    if !negotiate::accepts_sse(headers) {
        return refuse(
            StatusCode::NOT_ACCEPTABLE,
            None,
            SERVER_BUSY,
            "Not Acceptable: Accept must include text/event-stream",
        );
    }
    if let Err(raw) = negotiate::version_header(headers) {
        return refuse(
            StatusCode::BAD_REQUEST,
            None,
            INVALID_REQUEST,
            format!(
                "Bad Request: unsupported MCP-Protocol-Version {raw:?} (supported: {})",
                ProtocolVersion::supported_list()
            ),
        );
    }
    if let Err(refused) = resolve::session(app, headers, auth.bearer.as_ref(), None).await {
        return refused;
    }
    let mut response = http::Response::new(Body::Sse(KeepAliveStream::new(app.keep_alive)));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-transform"),
    );
    // Tell reverse proxies not to buffer the stream.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}
