//! What a tool sees of the request it serves — who is calling, in which
//! era, in which session — and nothing of how the request arrived (no HTTP,
//! no JSON-RPC framing).

use crate::auth::Auth;
use crate::domain::Secret;
use crate::limits::AddressKey;
use crate::limits::password::Throttle;
use crate::protocol::Era;
use crate::session::{Login, OpenSession, SessionRecord, Sessions};
use crate::store::{StoreError, Stores};
use crate::upstream::Upstream;

/// The context of one tool call.
#[derive(Debug)]
pub struct Context<'a> {
    /// The Supabase and MalGomo clients.
    pub upstream: &'a Upstream,
    /// The session store, the records and the clock, the expiry policy.
    pub sessions: Sessions<'a>,
    /// The password throttle `malgomo_login` passes.
    pub throttle: Throttle<'a>,
    /// The operator's fallback token, when `MALGOMO_SINGLE_TENANT` honours
    /// it for callers without a credential of their own.
    pub single_tenant: Option<&'a Secret>,
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
        self.sessions.stores.now_ms()
    }

    /// The records (OAuth grants among them) and the clock.
    pub fn stores(&self) -> Stores<'_> {
        self.sessions.stores
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
            Some(open) => open.update(self.sessions, change).await,
            None => Ok(()),
        }
    }
}
