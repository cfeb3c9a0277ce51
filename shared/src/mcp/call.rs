//! Everything a JSON-RPC method sees about the request it serves: the
//! transport's handle, the era, the caller, and the session (if one is open).

use super::Server;
use crate::auth::Auth;
use crate::limits::AddressKey;
use crate::protocol::Era;
use crate::session::RequestSession;
use crate::store::StoreError;
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
    /// The session, its record still sealed until a tool opens it.
    pub session: Option<RequestSession>,
    /// Where the request came from, as per-address limits key it.
    pub client: AddressKey,
}

impl Call<'_> {
    /// What a tool sees of this request: no transport, only the caller,
    /// the era and the session — opened here, as a tool may read or write
    /// its login. An error when the stored session does not open.
    pub fn tool_context(&mut self) -> Result<tools::Context<'_>, StoreError> {
        let session = self
            .session
            .as_mut()
            .map(RequestSession::open)
            .transpose()?;
        Ok(tools::Context {
            upstream: self.app.upstream,
            sessions: self.app.sessions,
            throttle: self.app.throttle,
            single_tenant: self.app.single_tenant,
            era: self.era,
            auth: &self.auth,
            session,
            client: self.client,
        })
    }
}
