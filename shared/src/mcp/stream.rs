//! `GET /mcp`: the server-to-client SSE stream of a session (a live one,
//! capped per session and per server: `limits::streams`). This server
//! never initiates messages, so the stream carries keep-alive comments and
//! stays open until the client leaves. A GET without a session id, and
//! every GET on hosts that cannot hold a response open, answers 405, which the spec allows and clients handle — a stream
//! that ended on a timer would make clients reconnect in a loop.

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};

use super::answer::refuse;
use super::{negotiate, resolve};
use crate::app::App;
use crate::auth::Auth;
use crate::limits::streams::{Full, PER_SERVER, PER_SESSION};
use crate::protocol::ProtocolVersion;
use crate::protocol::jsonrpc::{INVALID_REQUEST, REQUEST_REFUSED, SERVER_BUSY};
use crate::web::{Body, KeepAliveStream, Response, reply};

pub async fn handle(app: &App, request: http::Request<Bytes>, auth: Auth) -> Response {
    if let Some(refused) = super::stateless::refuse_verb(request.headers()) {
        return refused;
    }
    let headers = request.headers();
    // No session, no stream to offer — whatever credential the request
    // carries (clients that probe with a GET before `initialize` take 405
    // as "no SSE here").
    if !app.host.can_stream || !headers.contains_key(negotiate::SESSION_ID) {
        return not_allowed();
    }
    if !negotiate::accepts_sse(headers) {
        return refuse(
            StatusCode::NOT_ACCEPTABLE,
            None,
            REQUEST_REFUSED,
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
                ProtocolVersion::sessionful_list()
            ),
        );
    }
    // A stream belongs to a live session, even with a bearer (which
    // otherwise may go without one): else a junk token holds a connection
    // open for free. Sessionless bearer clients are told no stream is
    // offered (405, which clients take as "no SSE here").
    let session = match resolve::session(app, headers, auth.identity(), None).await {
        Ok(Some(session)) => session,
        Ok(None) => return not_allowed(),
        Err(refused) => return refused,
    };
    let slot = match app.streams.take(&session.id.storage_key()) {
        Ok(slot) => slot,
        Err(full) => {
            let message = match full {
                Full::Session => format!(
                    "Too Many Requests: this session already has {PER_SESSION} open streams"
                ),
                Full::Server => {
                    format!("Too Many Requests: the server holds its limit of {PER_SERVER} streams")
                }
            };
            let mut response = refuse(StatusCode::TOO_MANY_REQUESTS, None, SERVER_BUSY, message);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            return response;
        }
    };
    let stream = KeepAliveStream::holding(app.keep_alive, slot);
    let mut response = http::Response::new(Body::Sse(stream));
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

fn not_allowed() -> Response {
    let mut response = reply::empty(StatusCode::METHOD_NOT_ALLOWED);
    response.headers_mut().insert(
        header::ALLOW,
        HeaderValue::from_static("POST, DELETE, OPTIONS"),
    );
    response
}
