//! HTTP answers of the MCP endpoint: JSON-RPC bodies with the right status.

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use serde::Serialize;
use serde_json::Value;

use super::negotiate::Answer;
use crate::protocol::jsonrpc::{Id, Reply, RpcError, SERVER_BUSY, SizeHint};
use crate::store::StoreError;
use crate::web::{Body, Response, reply};

/// A JSON-RPC payload (one [`Reply`] or a batch of them) as JSON or as one
/// SSE event. Results inside are already serialised and copied as they
/// are, once, into a buffer sized for them.
pub fn rpc(status: StatusCode, payload: &(impl Serialize + SizeHint), answer: Answer) -> Response {
    let (head, tail): (&[u8], &[u8]) = match answer {
        Answer::Json => (b"", b""),
        Answer::Sse => (SSE_HEAD, SSE_TAIL),
    };
    let mut body = Vec::with_capacity(head.len() + payload.size_hint() + tail.len());
    body.extend_from_slice(head);
    if let Err(err) = serde_json::to_writer(&mut body, payload) {
        // Ids and error objects always serialise, and results were
        // serialised before; this is a bug, answered as one.
        tracing::error!(error = %err, "a JSON-RPC answer did not serialise");
        body.truncate(head.len());
        body.extend_from_slice(
            br#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"Internal error"}}"#,
        );
    }
    body.extend_from_slice(tail);
    match answer {
        Answer::Json => reply::json_bytes(status, Bytes::from(body)),
        Answer::Sse => {
            let mut response = http::Response::new(Body::full(body));
            *response.status_mut() = status;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream"),
            );
            response
        }
    }
}

/// What frames a JSON-RPC payload as one SSE event.
const SSE_HEAD: &[u8] = b"event: message\ndata: ";
const SSE_TAIL: &[u8] = b"\n\n";

/// A transport-level refusal: an HTTP status plus a JSON-RPC error body
/// (the id of the refused request when there was one).
pub fn refuse(
    status: StatusCode,
    id: Option<Id>,
    code: i32,
    message: impl Into<String>,
) -> Response {
    let reply = Reply::error(id.unwrap_or(Value::Null), RpcError::new(code, message));
    rpc(status, &reply, Answer::Json)
}

/// The answer when the session store fails: retryable, nothing lost.
pub fn store_failure(id: Option<Id>, err: &StoreError) -> Response {
    let error = store_error(err);
    let mut response = refuse(
        StatusCode::SERVICE_UNAVAILABLE,
        id,
        error.code,
        error.message,
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// The JSON-RPC error for a session store failure (logged here), the same
/// whether the request was refused over it or one call of it failed.
pub fn store_error(err: &StoreError) -> RpcError {
    tracing::error!(error = %err, "session store failed");
    RpcError::new(
        SERVER_BUSY,
        "session storage is unavailable; try again shortly",
    )
}
