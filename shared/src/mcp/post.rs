//! `POST /mcp`: one JSON-RPC message (or a 2025-03-26 batch) in, its
//! answer out as JSON. Checks run in the order that keeps every client
//! working: media types, size, JSON, then unknown methods (-32601 before
//! any session or version rule, so probing clients can fall back), then the
//! version header, then the session.

use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use serde_json::Value;

use super::answer::{refuse, rpc};
use super::methods::{self, INITIALIZE, initialize};
use super::negotiate::{self, Answer, MAX_BODY_BYTES, SESSION_ID};
use super::stateless;
use super::{Call, Server, SignIn, resolve};
use crate::auth::Auth;
use crate::limits::AddressKey;
use crate::protocol::jsonrpc::{
    self, INVALID_REQUEST, Message, Payload, REQUEST_REFUSED, Reply, Request, RpcError,
};
use crate::protocol::{Era, ProtocolVersion};
use crate::session::RequestSession;
use crate::tools::LOGIN;
use crate::web::{Response, reply};

pub async fn handle(app: &Server<'_>, request: http::Request<Bytes>, auth: Auth) -> Response {
    let client = AddressKey::of_request(&request);
    let headers = request.headers();
    if !negotiate::is_json(headers) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
            REQUEST_REFUSED,
            "Unsupported Media Type: Content-Type must be application/json",
        );
    }
    let Some(answer) = negotiate::post_answer(headers) else {
        return refuse(
            StatusCode::NOT_ACCEPTABLE,
            None,
            REQUEST_REFUSED,
            "Not Acceptable: Accept must include application/json or text/event-stream",
        );
    };
    if request.body().len() > MAX_BODY_BYTES {
        return too_large();
    }
    let payload = match jsonrpc::parse(request.body()) {
        Ok(payload) => payload,
        Err(reply) => return rpc(StatusCode::BAD_REQUEST, &reply, answer),
    };
    if stateless::is_stateless(headers, &payload) {
        return stateless::handle(app, headers, payload, (auth, client), answer).await;
    }
    match payload {
        Payload::Single(Message::Request(req)) if req.method == INITIALIZE => {
            start_session(app, req, &auth, answer).await
        }
        Payload::Single(Message::Request(req))
            if !methods::is_known(Era::Sessionful, &req.method) =>
        {
            let reply = Reply::error(req.id, RpcError::method_not_found(&req.method));
            rpc(StatusCode::OK, &reply, answer)
        }
        payload => serve(app, headers, payload, (auth, client), answer).await,
    }
}

/// `initialize`: negotiate, hand out a new session id. The version header
/// is not checked here: the body negotiates.
async fn start_session(app: &Server<'_>, req: Request, auth: &Auth, answer: Answer) -> Response {
    let sign_in = SignIn::of(app.oauth_enabled, auth);
    let (version, result) = match initialize::negotiate(req.params, sign_in) {
        Ok(negotiated) => negotiated,
        Err(error) => {
            return rpc(StatusCode::OK, &Reply::error(req.id, error), answer);
        }
    };
    // Nothing is stored: the id carries its issue time and version under
    // the deployment's MAC, bound to the bearer's identity if any. A
    // connection costs storage only once it holds a login.
    let id = app.ids.issue(app.clock.now_ms(), version, auth.identity());
    tracing::info!(session = %id.log_tag(), version = %version, "session started");
    let mut response = rpc(StatusCode::OK, &Reply::typed(req.id, &result), answer);
    if let Ok(value) = HeaderValue::from_str(id.expose()) {
        response.headers_mut().insert(SESSION_ID, value);
    }
    response
}

/// Every other message, on an established connection.
async fn serve(
    app: &Server<'_>,
    headers: &http::HeaderMap,
    payload: Payload,
    (auth, client): (Auth, AddressKey),
    answer: Answer,
) -> Response {
    let first_id = match &payload {
        Payload::Single(Message::Request(req)) => Some(req.id.clone()),
        _ => None,
    };
    let header_version = match negotiate::version_header(headers) {
        Ok(version) => version,
        Err(raw) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                first_id,
                INVALID_REQUEST,
                format!(
                    "Bad Request: unsupported MCP-Protocol-Version {raw:?} (supported: {})",
                    ProtocolVersion::sessionful_list()
                ),
            );
        }
    };
    let session = match resolve::session(app, headers, auth.identity(), first_id.clone()).await {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    // A session remembers its negotiated version; hosted clients may send a
    // different supported one in the header, which is tolerated.
    let version = header_version
        .or(session.as_ref().map(RequestSession::protocol_version))
        .unwrap_or(ProtocolVersion::ASSUMED);
    let mut call = Call {
        app,
        era: Era::Sessionful,
        auth,
        session,
        client,
    };
    let response = match payload {
        Payload::Single(Message::Request(req)) => {
            let reply = run(&mut call, req).await;
            rpc(StatusCode::OK, &reply, answer)
        }
        Payload::Single(_) => reply::empty(StatusCode::ACCEPTED),
        Payload::Batch(_) if !version.allows_batches() => refuse(
            StatusCode::BAD_REQUEST,
            None,
            INVALID_REQUEST,
            format!(
                "Invalid request: JSON-RPC batches are not supported in protocol version {version}"
            ),
        ),
        Payload::Batch(items) if logins_in(&items) > 1 => refuse(
            StatusCode::BAD_REQUEST,
            None,
            INVALID_REQUEST,
            format!("Invalid request: a batch may carry at most one {LOGIN} call"),
        ),
        Payload::Batch(items) => {
            let mut replies = Vec::new();
            for item in items {
                match item {
                    Ok(Message::Request(req)) => replies.push(run(&mut call, req).await),
                    Ok(_) => {}
                    Err(reply) => replies.push(reply),
                }
            }
            if replies.is_empty() {
                reply::empty(StatusCode::ACCEPTED)
            } else {
                rpc(StatusCode::OK, &replies, answer)
            }
        }
    };
    touch(&mut call).await;
    response
}

/// `malgomo_login` calls in a batch: each is a password attempt, so a batch
/// carries at most one (the throttle counts them anyway; this keeps one
/// request from being many guesses).
fn logins_in(items: &[Result<Message, Reply>]) -> usize {
    items
        .iter()
        .filter(|item| {
            matches!(item, Ok(Message::Request(req))
                if req.method == methods::TOOLS_CALL
                    && req.params.get("name").and_then(Value::as_str) == Some(LOGIN))
        })
        .count()
}

async fn run(call: &mut Call<'_>, req: Request) -> Reply {
    if req.method == INITIALIZE {
        return Reply::error(
            req.id,
            RpcError::invalid_request("initialize must be sent alone, as the first request"),
        );
    }
    let outcome = methods::dispatch(call, &req).await;
    Reply {
        id: req.id,
        outcome,
    }
}

/// Pushes the idle expiry forward, at most every `touch_every`: a busy
/// session costs no write per call.
async fn touch(call: &mut Call<'_>) {
    let app = call.app;
    let now = app.clock.now_ms();
    // Decided on the stored expiry, so a request that needed nothing of
    // the record does not open it for this. A session with nothing stored
    // has nothing to slide (its id's issue time bounds it); touching it
    // must not create an item.
    let Some(session) = call
        .session
        .as_mut()
        .filter(|session| session.touch_due(&app.sessions.expiry, now))
    else {
        return;
    };
    let result = match session.open() {
        Ok(open) => {
            open.update_when(
                app.sessions,
                |record| app.sessions.expiry.touch_due(record.expires_at_ms, now),
                |_| {},
            )
            .await
        }
        Err(err) => Err(err),
    };
    if let Err(err) = result {
        tracing::debug!(error = %err, "session touch skipped");
    }
}

pub fn too_large() -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        None,
        INVALID_REQUEST,
        format!("Payload Too Large: the body limit is {MAX_BODY_BYTES} bytes"),
    )
}
