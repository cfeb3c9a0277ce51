//! Which credential a tool call acts with, resolved once per call in one
//! order: every tool matches on [`Credential`] rather than looking at the
//! request's auth, the session and the configuration itself.

use crate::auth::{Auth, Bearer};
use crate::domain::Secret;
use crate::oauth::GrantAccess;
use crate::session::Login;

use super::Context;

/// The credential a call acts with, by precedence: the request's own
/// (grant, then bearer), then the session's login, then the operator's
/// single-tenant token.
#[derive(Clone, Copy, Debug)]
pub enum Credential<'a> {
    /// Mode A: the grant behind our access token; renewed server-side.
    Grant(&'a GrantAccess),
    /// Mode B, `Authorization: Bearer`: the client owns its renewal.
    Bearer(&'a Bearer),
    /// The session's `malgomo_login`; refreshed and persisted here.
    Session(&'a Login),
    /// `MALGOMO_API_TOKEN` for anonymous callers (`MALGOMO_SINGLE_TENANT=true`).
    SingleTenant(&'a Secret),
    /// Nothing to act with: the caller must log in.
    None,
}

impl Credential<'_> {
    /// The signed-in user the backend described, when this credential has one.
    pub fn login(&self) -> Option<&Login> {
        match self {
            Self::Grant(grant) => Some(&grant.login),
            Self::Session(login) => Some(login),
            Self::Bearer(_) | Self::SingleTenant(_) | Self::None => None,
        }
    }
}

impl Context<'_> {
    /// The credential this call acts with.
    pub fn credential(&self) -> Credential<'_> {
        match self.auth {
            Auth::Granted(grant) => return Credential::Grant(grant),
            Auth::Bearer(bearer) => return Credential::Bearer(bearer),
            Auth::Anonymous => {}
        }
        if let Some(login) = self.login() {
            return Credential::Session(login);
        }
        match self.single_tenant {
            Some(token) => Credential::SingleTenant(token),
            None => Credential::None,
        }
    }
}
