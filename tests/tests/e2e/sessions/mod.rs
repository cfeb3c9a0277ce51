//! Raw HTTP tests of the session rules of `/mcp`: missing / unknown /
//! malformed / ended / expired ids, sliding idle expiry, bearer identity
//! (stateless service and session binding), `MAX_SESSIONS`, and the
//! single-tenant token. Every answer is also checked never to be a bare 500.
//!
//! One file a rule: session ids without a bearer (`ids.rs`), idle expiry
//! (`expiry.rs`), the identity in a bearer (`bearer.rs`), `MAX_SESSIONS`
//! (`max_sessions.rs`) and the single-tenant token (`single_tenant.rs`);
//! the clients and apps they share are here.

mod bearer;
mod expiry;
mod ids;
mod max_sessions;
mod sealed;
mod single_tenant;

use std::time::Duration;

use malgomo_tests::answer::Answer;
use malgomo_tests::rpc::{SERVER_ERROR, initialize_request, post};
use malgomo_tests::{Mcp, Options, TestApp, spawn_app_with};

const TTL: Duration = Duration::from_secs(60);

/// Initializes `mcp` (with whatever bearer it holds); returns the raw answer
/// and keeps the session id on success.
async fn initialize(mcp: &mut Mcp) -> Answer {
    let answer = post(mcp, &initialize_request("2025-06-18")).await;
    if answer.status == 200 {
        mcp.session = answer.header("mcp-session-id").map(str::to_owned);
        assert!(mcp.session.is_some(), "initialize gave a session id");
    }
    answer
}

fn with_session(app: &TestApp, session: &str) -> Mcp {
    let mut mcp = app.client();
    mcp.session = Some(session.to_owned());
    mcp
}

fn with_bearer(app: &TestApp, bearer: &str) -> Mcp {
    let mut mcp = app.client();
    mcp.bearer = Some(bearer.to_owned());
    mcp
}

async fn app_with_ttl() -> TestApp {
    spawn_app_with(Options {
        env: vec![("SESSION_TTL_MS", TTL.as_millis().to_string())],
        ..Options::default()
    })
    .await
}

fn assert_session_gone(answer: &Answer) {
    assert_eq!(answer.status, 404, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
    assert!(
        answer.body.contains("initialize"),
        "says how to recover: {}",
        answer.body
    );
}
