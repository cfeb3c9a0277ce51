//! `POST /mcp` in protocol 2026-07-28: no `initialize`, no session, every
//! request self-contained. A request belongs to this era when its body
//! names a version in `params._meta`, when it is `server/discover`, or when
//! its `MCP-Protocol-Version` header names a stateless revision (`initialize`
//! excepted: its body negotiates). The checks run in the spec's order —
//! mirrored headers, required `_meta`, version header against the body,
//! supported version, known method — and refuse with HTTP 400 (404 for an
//! unknown method) and the request's id. `Mcp-Session-Id` is ignored. In
//! mode B the era is served to callers with a bearer only: one without a
//! credential can sign in only with the login tool, which needs a session.

use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::Value;

use super::answer::rpc;
use super::methods::{self, DISCOVER, INITIALIZE};
use super::mirrored;
use super::negotiate::{Answer, PROTOCOL_VERSION};
use super::{Call, Server, SignIn};
use crate::auth::Auth;
use crate::limits::AddressKey;
use crate::protocol::jsonrpc::{Message, Payload, Reply, Request, RpcError};
use crate::protocol::meta::RequestMeta;
use crate::protocol::{Era, ProtocolVersion};
use crate::web::{Response, reply};

/// True when this POST is a 2026-07-28 one.
pub fn is_stateless(headers: &HeaderMap, payload: &Payload) -> bool {
    match payload {
        Payload::Single(Message::Request(req)) => {
            req.method == DISCOVER
                || RequestMeta::declared_version(&req.params).is_some()
                || (req.method != INITIALIZE && header_is_stateless(headers))
        }
        _ => header_is_stateless(headers),
    }
}

/// True when `MCP-Protocol-Version` names a stateless revision.
pub fn header_is_stateless(headers: &HeaderMap) -> bool {
    headers
        .get(PROTOCOL_VERSION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| ProtocolVersion::parse(value.trim()))
        .is_some_and(|version| version.era() == Era::Stateless)
}

pub async fn handle(
    app: &Server<'_>,
    headers: &HeaderMap,
    payload: Payload,
    (auth, client): (Auth, AddressKey),
    answer: Answer,
) -> Response {
    let req = match payload {
        Payload::Single(Message::Request(req)) => req,
        // Notifications (e.g. cancellation) and responses: nothing to answer.
        Payload::Single(_) => return reply::empty(StatusCode::ACCEPTED),
        Payload::Batch(_) => {
            let error =
                RpcError::invalid_request("JSON-RPC batches are not part of protocol 2026-07-28");
            return rpc(
                StatusCode::BAD_REQUEST,
                &Reply::error(Value::Null, error),
                answer,
            );
        }
    };
    let sign_in = SignIn::of(app.oauth_enabled, &auth);
    if let Err((status, error)) = admit(headers, &req, sign_in) {
        return rpc(status, &Reply::error(req.id, error), answer);
    }
    let mut call = Call {
        app,
        era: Era::Stateless,
        auth,
        session: None,
        client,
    };
    let reply = Reply {
        outcome: methods::dispatch(&mut call, &req).await,
        id: req.id,
    };
    rpc(StatusCode::OK, &reply, answer)
}

/// The era's admission rules, in order; `Err` is the status and error.
/// The version must be one this caller is served without a session
/// ([`SignIn::stateless_versions`]): in mode B a caller without a
/// credential is served none, and is told the 2025 revisions instead —
/// by `server/discover`'s answer (200, so every client falls back to
/// `initialize`), by the unsupported-version error to anything else.
fn admit(
    headers: &HeaderMap,
    req: &Request,
    sign_in: SignIn,
) -> Result<(), (StatusCode, RpcError)> {
    let bad = |error| (StatusCode::BAD_REQUEST, error);
    mirrored::check_method_and_name(headers, req).map_err(bad)?;
    let meta = RequestMeta::parse(&req.params).map_err(bad)?;
    mirrored::check_version(headers, &meta.protocol_version).map_err(bad)?;
    let requested = ProtocolVersion::parse(&meta.protocol_version);
    let served = requested.is_some_and(|version| sign_in.stateless_versions().contains(&version));
    let steered =
        req.method == DISCOVER && requested.is_some_and(|version| version.era() == Era::Stateless);
    if !served && !steered {
        let offered: Vec<&str> = sign_in
            .offered_versions()
            .iter()
            .map(|version| version.as_str())
            .collect();
        return Err(bad(RpcError::unsupported_version(
            &meta.protocol_version,
            &offered,
        )));
    }
    if !methods::is_known(Era::Stateless, &req.method) {
        return Err((
            StatusCode::NOT_FOUND,
            RpcError::method_not_found(&req.method),
        ));
    }
    Ok(())
}

/// `GET` and `DELETE` have no meaning without a session: 405 for a request
/// that names a stateless revision.
pub fn refuse_verb(headers: &HeaderMap) -> Option<Response> {
    if !header_is_stateless(headers) {
        return None;
    }
    let mut response = reply::empty(StatusCode::METHOD_NOT_ALLOWED);
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST, OPTIONS"));
    Some(response)
}
