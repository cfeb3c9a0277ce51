//! `DELETE /mcp`: the client ends its session; its login goes with it, and
//! a tombstone keeps the id answering 404.

use bytes::Bytes;
use http::StatusCode;

use super::answer::{refuse, store_failure};
use super::{Server, resolve};
use crate::auth::Auth;
use crate::protocol::jsonrpc::REQUEST_REFUSED;
use crate::web::{Response, reply};

pub async fn handle(app: &Server<'_>, request: http::Request<Bytes>, auth: Auth) -> Response {
    if let Some(refused) = super::stateless::refuse_verb(request.headers()) {
        return refused;
    }
    let headers = request.headers();
    if !headers.contains_key(super::negotiate::SESSION_ID) {
        return refuse(
            StatusCode::BAD_REQUEST,
            None,
            REQUEST_REFUSED,
            "Bad Request: Mcp-Session-Id header is required",
        );
    }
    let open = match resolve::session(app, headers, auth.identity(), None).await {
        Ok(Some(open)) => open,
        Ok(None) => return resolve::not_found(None),
        Err(refused) => return refused,
    };
    // The tombstone lives as long as the id could still be valid without
    // an item: one idle TTL from its issue.
    let until = app.sessions.expiry.deadline(open.issued_at_ms());
    let key = open.id().storage_key();
    match app
        .sessions
        .stored
        .end(&key, until, app.clock.now_ms())
        .await
    {
        Ok(_) => {
            tracing::info!(session = %open.id().log_tag(), "session ended by the client");
            reply::empty(StatusCode::NO_CONTENT)
        }
        Err(err) => store_failure(None, &err),
    }
}
