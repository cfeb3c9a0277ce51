//! `server/discover` (2026-07-28): the versions served without a session,
//! the capabilities, and the instructions. What it offers depends on how
//! the caller signs in: in mode B a caller without a credential is offered
//! the 2025 revisions only, so its client falls back to `initialize` and a
//! session where the login tool works. Built and serialised once per way
//! of signing in.

use super::fixed::Fixed;
use super::{CACHE_HINT, Method, server};
use crate::mcp::SignIn;
use crate::protocol::Era;
use crate::protocol::jsonrpc::{RawResult, RpcError};
use crate::protocol::lifecycle::DiscoverResult;
use crate::protocol::result::{CacheHint, CacheScope};

pub fn result(sign_in: SignIn) -> Result<RawResult, RpcError> {
    static DISCOVERY: [Fixed; 3] = [const { Fixed::new() }; 3];
    let (cell, oauth) = match sign_in {
        SignIn::LoginTool => (&DISCOVERY[0], false),
        SignIn::Bearer => (&DISCOVERY[1], false),
        SignIn::OAuth => (&DISCOVERY[2], true),
    };
    cell.get(Era::Stateless, oauth, Method::Discover, || DiscoverResult {
        supported_versions: sign_in.offered_versions().to_vec(),
        capabilities: server::capabilities(),
        instructions: server::instructions(Era::Stateless, sign_in),
        cache: hint(sign_in),
    })
}

/// In mode B the answer differs with and without a bearer, so a cache
/// shared between callers must not keep it; in mode A every caller holds
/// a token and gets the same answer.
fn hint(sign_in: SignIn) -> CacheHint {
    match sign_in {
        SignIn::OAuth => CACHE_HINT,
        SignIn::LoginTool | SignIn::Bearer => CacheHint {
            cache_scope: CacheScope::Private,
            ..CACHE_HINT
        },
    }
}
