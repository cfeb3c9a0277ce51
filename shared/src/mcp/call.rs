//! Everything a JSON-RPC method sees about the request it serves: the
//! transport's handle, the era, the caller, and the session (if one is open).

use super::Server;
use crate::auth::Auth;
use crate::limits::AddressKey;
use crate::protocol::Era;
use crate::session::OpenSession;
use crate::tools;

/// The context of one JSON-RPC request.
#[derive(Debug)]
pub struct Call<'a> {
    /// What `/mcp` uses of the app (its [`Server`] handle).
    pub app: &'a Server<'a>,
    /// Sessionful (2025) or stateless (2026-07-28): a stateless request never
    /// has a session, so it cannot log in with the login tool.
    pub era: Era,
    pub auth: Auth,
    pub session: Option<OpenSession>,
    /// Where the request came from, as per-address limits key it.
    pub client: AddressKey,
}

impl Call<'_> {
    /// What a tool sees of this request: no transport, only the caller,
    /// the era and the session.
    pub fn tool_context(&mut self) -> tools::Context<'_> {
        tools::Context {
            upstream: self.app.upstream,
            sessions: self.app.sessions,
            throttle: self.app.throttle,
            single_tenant: self.app.single_tenant,
            era: self.era,
            auth: &self.auth,
            session: self.session.as_mut(),
            client: self.client,
        }
    }
}
