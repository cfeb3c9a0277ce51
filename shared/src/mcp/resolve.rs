//! Which session a request belongs to, under the session rules: without a
//! bearer the session is the login, so a missing id is 400 and an unknown
//! one 404; with a bearer the identity is in the token, so a request with
//! no or an unknown id is served without a session. Either way a session
//! owned by another identity is as good as absent (its id does not verify
//! for the caller). One storage read per request: the id's item, which
//! holds the login, a tombstone, or nothing — the login left sealed until
//! the request needs it.

use http::{HeaderMap, StatusCode};

use super::answer::{refuse, store_failure};
use super::negotiate::SESSION_ID;

use super::Server;
use crate::protocol::jsonrpc::{Id, REQUEST_REFUSED};
use crate::session::{Lookup, OpenSession, RequestSession, SessionRecord, Versioned};
use crate::web::Response;

pub async fn session(
    app: &Server<'_>,
    headers: &HeaderMap,
    caller: Option<&str>,
    id: Option<Id>,
) -> Result<Option<RequestSession>, Response> {
    let Some(raw) = headers.get(SESSION_ID) else {
        return match caller {
            Some(_) => Ok(None),
            None => Err(refuse(
                StatusCode::BAD_REQUEST,
                id,
                REQUEST_REFUSED,
                "Bad Request: Mcp-Session-Id header is required (send initialize first)",
            )),
        };
    };
    // The id authenticates itself: a forged one costs no storage read, and
    // one issued to another identity is refused outright (never served).
    let Some(issued) = raw.to_str().ok().and_then(|raw| app.ids.verify(raw)) else {
        return unknown(caller, id).map_or(Ok(None), Err);
    };
    if !issued.belongs_to(caller) {
        return Err(not_found(id));
    }
    let now = app.clock.now_ms();
    let lookup = app
        .sessions
        .stored
        .find(&issued.id, now)
        .await
        .map_err(|err| store_failure(id.clone(), &err))?;
    // Nothing stored: the session has no login and lives in its id alone,
    // for one idle TTL from its issue (it has nothing to slide).
    let lifetime_end = app.sessions.expiry.deadline(issued.issued_at_ms);
    Ok(Some(match lookup {
        Lookup::Live(sealed) => RequestSession::Sealed { issued, sealed },
        Lookup::Absent if now < lifetime_end => RequestSession::Open(OpenSession {
            stored: Versioned {
                record: SessionRecord {
                    protocol_version: issued.version,
                    owner: caller.map(str::to_owned),
                    login: None,
                    expires_at_ms: lifetime_end,
                    touched_at_ms: issued.issued_at_ms,
                    refresh_lease_until_ms: None,
                },
                version: 0,
            },
            id: issued.id,
            issued_at_ms: issued.issued_at_ms,
        }),
        _ => return unknown(caller, id).map_or(Ok(None), Err),
    }))
}

/// An id that names no session for this caller: with a bearer the request
/// is served without one (`None`), without a bearer it is 404.
fn unknown(caller: Option<&str>, id: Option<Id>) -> Option<Response> {
    caller.is_none().then(|| not_found(id))
}

pub fn not_found(id: Option<Id>) -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        id,
        REQUEST_REFUSED,
        "Session not found: it expired or was ended; send initialize to start a new one",
    )
}
