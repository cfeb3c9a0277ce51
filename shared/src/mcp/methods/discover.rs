//! `server/discover` (2026-07-28): the versions served without a session,
//! the capabilities, and the instructions. Cacheable by anyone: nothing in
//! it depends on the caller.

use super::{CACHE_HINT, server};
use crate::protocol::lifecycle::DiscoverResult;
use crate::protocol::{Era, ProtocolVersion};

pub fn result(oauth: bool) -> DiscoverResult {
    DiscoverResult {
        supported_versions: ProtocolVersion::STATELESS.to_vec(),
        capabilities: server::capabilities(),
        instructions: server::instructions(Era::Stateless, oauth),
        cache: CACHE_HINT,
    }
}
