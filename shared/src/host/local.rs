//! The local host: the shared router served with hyper on a TCP listener.
//! Used by `malgomo-mcp`, `--demo`, and every end-to-end test.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;

use crate::app::App;
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
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: keep serving.
                    tracing::warn!(error = %err, "accept failed");
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let app = app.clone();
                async move { Ok::<_, Infallible>(handle(&app, request, peer).await) }
            });
            let served = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
            if let Err(err) = served {
                tracing::debug!(error = %err, "connection closed with an error");
            }
        });
    }
}

async fn handle(app: &App, request: hyper::Request<Incoming>, peer: SocketAddr) -> Response {
    let (parts, body) = request.into_parts();
    let mut parts = parts;
    parts.extensions.insert(ClientIp(peer.ip()));
    let bytes = match Limited::new(body, MAX_BODY_BYTES).collect().await {
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
    let response = router::handle(app, http::Request::from_parts(parts, bytes)).await;
    tracing::debug!(%method, %path, status = response.status().as_u16(), %peer, "request");
    response
}
