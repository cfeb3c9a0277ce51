//! `server/discover` (2026-07-28): the versions served without a session,
//! the capabilities, and the instructions. Cacheable by anyone: nothing in
//! it depends on the caller, so it is built and serialised once per mode.

use super::fixed::Fixed;
use super::{CACHE_HINT, Method, server};
use crate::protocol::jsonrpc::{RawResult, RpcError};
use crate::protocol::lifecycle::DiscoverResult;
use crate::protocol::{Era, ProtocolVersion};

pub fn result(era: Era, oauth: bool) -> Result<RawResult, RpcError> {
    static DISCOVERY: Fixed = Fixed::new();
    DISCOVERY.get(era, oauth, Method::Discover, || DiscoverResult {
        supported_versions: ProtocolVersion::STATELESS.to_vec(),
        capabilities: server::capabilities(),
        instructions: server::instructions(Era::Stateless, oauth),
        cache: CACHE_HINT,
    })
}
