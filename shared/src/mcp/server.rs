//! The MCP transport's handle: what `/mcp` of both eras reads and writes —
//! the session layer and the ids it hands out, the clock, what a tool call
//! is given (the upstream clients, the password throttle, the fallback
//! token), the stream limits and the stream settings — so the transport
//! takes this, built by the app, and not the whole app.

use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::domain::Secret;
use crate::limits::password::Throttle;
use crate::limits::streams::StreamSlots;
use crate::session::{SessionKey, Sessions};
use crate::upstream::Upstream;

/// Everything `/mcp` uses. Borrowed, so building one per request costs
/// nothing.
#[derive(Clone, Copy, Debug)]
pub struct Server<'a> {
    /// Mode A: every caller holds one of our access tokens.
    pub oauth_enabled: bool,
    /// The session store, the records and the clock, the expiry policy.
    pub sessions: Sessions<'a>,
    /// Issues and verifies session ids (`SESSION_KEY`).
    pub ids: &'a SessionKey,
    /// The clock, shared: a stream's watcher outlives the request.
    pub clock: &'a Arc<dyn Clock>,
    /// The Supabase and MalGomo clients a tool calls.
    pub upstream: &'a Upstream,
    /// The password throttle `malgomo_login` passes.
    pub throttle: Throttle<'a>,
    /// The operator's fallback token, when `MALGOMO_SINGLE_TENANT` honours
    /// it.
    pub single_tenant: Option<&'a Secret>,
    /// The host can hold a response open (SSE on `GET /mcp`); else 405.
    pub can_stream: bool,
    /// Open SSE streams, capped per session, per address and per server.
    pub streams: &'a Arc<StreamSlots>,
    /// Interval of SSE keep-alive comments.
    pub keep_alive: Duration,
    /// `SSE_MAX_AGE_MS`: a stream's maximum age.
    pub sse_max_age: Duration,
}
