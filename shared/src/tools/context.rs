//! What a tool sees of the request it serves — who is calling, in which
//! era, in which session — and nothing of how the request arrived (no HTTP,
//! no JSON-RPC framing).

use crate::app::App;
use crate::auth::Auth;
use crate::limits::AddressKey;
use crate::protocol::Era;
use crate::session::{Login, OpenSession, SessionRecord};
use crate::store::StoreError;

/// The context of one tool call.
#[derive(Debug)]
pub struct Context<'a> {
    /// The server's handles: configuration, upstream clients, stores, clock.
    pub app: &'a App,
    /// A 2026-07-28 (stateless) call has no session to keep a login in.
    pub era: Era,
    /// The caller's bearer token and (mode A) the grant behind it.
    pub auth: &'a Auth,
    /// The 2025-era session the call belongs to, if any.
    pub session: Option<&'a mut OpenSession>,
    /// Where the call came from, as per-address limits key it.
    pub client: AddressKey,
}

impl Context<'_> {
    pub fn now_ms(&self) -> i64 {
        self.app.clock.now_ms()
    }

    /// The session's `malgomo_login`, if it holds one.
    pub fn login(&self) -> Option<&Login> {
        self.session.as_deref()?.login()
    }

    /// Writes `change` into the session (nothing without one).
    pub async fn update_session(
        &mut self,
        change: impl Fn(&mut SessionRecord),
    ) -> Result<(), StoreError> {
        match self.session.as_deref_mut() {
            Some(open) => open.update(self.app, change).await,
            None => Ok(()),
        }
    }
}
