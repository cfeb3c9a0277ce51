//! Everything a JSON-RPC method sees about the request it serves: the app,
//! the era, the caller, and the session (if one is open).

use crate::app::App;
use crate::auth::Auth;
use crate::config::Config;
use crate::domain::Secret;
use crate::limits::AddressKey;
use crate::protocol::Era;
use crate::session::OpenSession;
use crate::tools;

/// The context of one JSON-RPC request.
#[derive(Debug)]
pub struct Call<'a> {
    pub app: &'a App,
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
            upstream: &self.app.upstream,
            sessions: self.app.sessions(),
            throttle: self.app.throttle(),
            single_tenant: single_tenant(&self.app.config),
            era: self.era,
            auth: &self.auth,
            session: self.session.as_mut(),
            client: self.client,
        }
    }
}

/// The fallback token, when the configuration honours it.
fn single_tenant(config: &Config) -> Option<&Secret> {
    config.api_token.as_ref().filter(|_| config.single_tenant)
}
