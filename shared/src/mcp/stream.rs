//! `GET /mcp`: the server-to-client SSE stream of a session (a live one,
//! capped per session, per address and per server: `limits::streams`).
//! This server never initiates messages, so the stream carries keep-alive
//! comments. It ends when the client leaves, when its session ends or
//! expires (checked at each keep-alive tick), and at its maximum age
//! (`SSE_MAX_AGE_MS`, 10 min; clients reconnect). A GET without a session
//! id, and every GET on hosts that cannot hold a response open, answers
//! 405, which the spec allows and clients handle.

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};

use super::answer::refuse;
use super::{Server, negotiate, resolve};
use crate::auth::Auth;
use crate::clock::Clock;
use crate::limits::AddressKey;
use crate::limits::streams::{Full, PER_ADDRESS, PER_SERVER, PER_SESSION};
use crate::protocol::ProtocolVersion;
use crate::protocol::jsonrpc::{INVALID_REQUEST, REQUEST_REFUSED, SERVER_BUSY};
use crate::session::{Lookup, SessionId, StoredSessions};
use crate::web::{Body, KeepAliveStream, Response, reply};

pub async fn handle(app: &Server<'_>, request: http::Request<Bytes>, auth: Auth) -> Response {
    if let Some(refused) = super::stateless::refuse_verb(request.headers()) {
        return refused;
    }
    let headers = request.headers();
    // No session, no stream to offer — whatever credential the request
    // carries (clients that probe with a GET before `initialize` take 405
    // as "no SSE here").
    if !app.can_stream || !headers.contains_key(negotiate::SESSION_ID) {
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
    let address = AddressKey::of_request(&request);
    let slot = match app.streams.take(&session.id().storage_key(), address) {
        Ok(slot) => slot,
        Err(full) => {
            let message = match full {
                Full::Session => format!(
                    "Too Many Requests: this session already has {PER_SESSION} open streams"
                ),
                Full::Address => format!(
                    "Too Many Requests: your address already has {PER_ADDRESS} open streams"
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
    let (end, ended) = tokio::sync::oneshot::channel();
    let watch = Watch {
        store: app.sessions.stored.clone(),
        clock: app.clock.clone(),
        id: session.id().clone(),
        // A session that never stored anything lives one TTL from its
        // initialize.
        unstored_until_ms: app.sessions.expiry.deadline(session.issued_at_ms()),
    };
    tokio::spawn(watch.run(app.keep_alive, end));
    let stream = KeepAliveStream::watched(app.keep_alive, app.sse_max_age, ended, slot);
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

/// What a stream's watcher checks at each tick: whether its session still
/// lives.
struct Watch {
    store: StoredSessions,
    clock: std::sync::Arc<dyn Clock>,
    id: SessionId,
    unstored_until_ms: i64,
}

impl Watch {
    /// Checks every `every` until the session is over (then fires `end`)
    /// or the stream is gone (the receiver dropped).
    async fn run(self, every: std::time::Duration, mut end: tokio::sync::oneshot::Sender<()>) {
        loop {
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                () = end.closed() => return,
            }
            if self.session_over().await {
                let _ = end.send(());
                return;
            }
        }
    }

    /// A store failure ends nothing: the next tick looks again. A live
    /// record is not opened: only whether it lives matters here.
    async fn session_over(&self) -> bool {
        let now = self.clock.now_ms();
        match self.store.find(&self.id, now).await {
            Ok(Lookup::Ended) => true,
            Ok(Lookup::Absent) => now >= self.unstored_until_ms,
            Ok(Lookup::Live(_)) | Err(_) => false,
        }
    }
}

fn not_allowed() -> Response {
    let mut response = reply::empty(StatusCode::METHOD_NOT_ALLOWED);
    response.headers_mut().insert(
        header::ALLOW,
        HeaderValue::from_static("POST, DELETE, OPTIONS"),
    );
    response
}
