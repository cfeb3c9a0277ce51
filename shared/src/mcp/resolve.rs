//! Which session a request belongs to, under the session rules: without a
//! bearer the session is the login, so a missing id is 400 and an unknown
//! one 404; with a bearer the identity is in the token, so a request with
//! no or an unknown id is served without a session. Either way a session
//! owned by another identity is as good as absent.

use http::{HeaderMap, StatusCode};

use super::answer::{refuse, store_failure};
use super::negotiate::SESSION_ID;
use super::{Bearer, OpenSession};
use crate::app::App;
use crate::protocol::jsonrpc::{Id, REQUEST_REFUSED};
use crate::session::SessionId;
use crate::web::Response;

pub async fn session(
    app: &App,
    headers: &HeaderMap,
    bearer: Option<&Bearer>,
    id: Option<Id>,
) -> Result<Option<OpenSession>, Response> {
    let Some(raw) = headers.get(SESSION_ID) else {
        return match bearer {
            Some(_) => Ok(None),
            None => Err(refuse(
                StatusCode::BAD_REQUEST,
                id,
                REQUEST_REFUSED,
                "Bad Request: Mcp-Session-Id header is required (send initialize first)",
            )),
        };
    };
    let session_id = raw.to_str().ok().and_then(SessionId::parse);
    let stored = match &session_id {
        Some(session_id) => app
            .store
            .get(session_id, app.clock.now_ms())
            .await
            .map_err(|err| store_failure(id.clone(), &err))?,
        None => None,
    };
    let caller = bearer.map(|b| b.identity.as_str());
    match (session_id, stored) {
        (Some(session_id), Some(stored)) if stored.record.owner.as_deref() == caller => {
            Ok(Some(OpenSession {
                id: session_id,
                stored,
            }))
        }
        (_, None) if bearer.is_some() => Ok(None),
        _ => Err(not_found(id)),
    }
}

pub fn not_found(id: Option<Id>) -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        id,
        REQUEST_REFUSED,
        "Session not found: it expired or was ended; send initialize to start a new one",
    )
}
