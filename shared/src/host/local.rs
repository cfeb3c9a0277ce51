//! The local host: the shared router served with hyper on a TCP listener.
//! Used by `malgomo-mcp`, `--demo`, and every end-to-end test.
//!
//! Safe to expose: connections are capped per address and in total
//! ([`Connections`]), a request's head must arrive within the header
//! timeout (which also closes idle keep-alive connections) and its body
//! within the body timeout, and a failing `accept` backs off. HTTP/1.1
//! only: hyper's header timeout is an HTTP/1 feature, and every MCP client
//! speaks HTTP/1.1 to a local server.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};

use super::backoff::AcceptBackoff;
use crate::app::App;
use crate::limits::AddressKey;
use crate::limits::connections::{ConnectionLimits, Connections, Held};
use crate::mcp::negotiate::MAX_BODY_BYTES;
use crate::router;
use crate::web::{BodyTooLarge, ClientIp, Response};

/// Serves `app` on `listener` until `shutdown` completes. Connections in
/// flight are not waited for: a held SSE stream would never finish.
pub async fn serve(
    app: Arc<App>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let limits = app.config.connections;
    let connections = Connections::new(&limits);
    let mut backoff = AcceptBackoff::default();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: keep serving,
                    // after a pause.
                    let wait = backoff.failed(&err, std::time::Instant::now());
                    tokio::select! {
                        () = tokio::time::sleep(wait) => continue,
                        () = &mut shutdown => return Ok(()),
                    }
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        backoff.succeeded();
        // Over a cap, the socket is closed at once (dropped).
        let Ok(held) = connections.take(AddressKey::of(peer.ip())) else {
            continue;
        };
        tokio::spawn(serve_connection(app.clone(), stream, peer, limits, held));
    }
}

async fn serve_connection(
    app: Arc<App>,
    stream: TcpStream,
    peer: SocketAddr,
    limits: ConnectionLimits,
    held: Held,
) {
    let service = service_fn(move |request| {
        let app = app.clone();
        async move { Ok::<_, Infallible>(handle(&app, request, peer, limits).await) }
    });
    let served = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(TokioIo::new(stream), service)
        .await;
    if let Err(err) = served {
        tracing::debug!(error = %err, "connection closed with an error");
    }
    drop(held);
}

async fn handle(
    app: &App,
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
    limits: ConnectionLimits,
) -> Response {
    let (parts, body) = request.into_parts();
    let mut parts = parts;
    parts.extensions.insert(ClientIp(peer.ip()));
    let read = tokio::time::timeout(
        limits.body_timeout,
        Limited::new(body, MAX_BODY_BYTES).collect(),
    );
    let Ok(collected) = read.await else {
        let mut response = crate::web::reply::error(
            http::StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            "the request body did not arrive in time",
        );
        response.headers_mut().insert(
            http::header::CONNECTION,
            http::HeaderValue::from_static("close"),
        );
        return response;
    };
    let bytes = match collected {
        Ok(collected) => collected.to_bytes(),
        // The router answers 413 after its origin guard and with CORS.
        Err(err) if err.is::<http_body_util::LengthLimitError>() => {
            parts.extensions.insert(BodyTooLarge);
            bytes::Bytes::new()
        }
        Err(_) => {
            return crate::web::reply::error(
                http::StatusCode::BAD_REQUEST,
                "bad_request",
                "the request body could not be read",
            );
        }
    };
    let method = parts.method.clone();
    let path = parts.uri.path().to_owned();
    let response = router::handle(&app.router(), http::Request::from_parts(parts, bytes)).await;
    tracing::debug!(%method, %path, status = response.status().as_u16(), %peer, "request");
    response
}
