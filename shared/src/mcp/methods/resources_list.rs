//! `resources/list`: every resource (one page; there is one), built and
//! serialised once.

use super::Method;
use super::fixed::Fixed;
use crate::protocol::Era;
use crate::protocol::jsonrpc::{RawResult, RpcError};
use crate::protocol::resource::ListResourcesResult;
use crate::resources;

pub fn result(era: Era, oauth: bool) -> Result<RawResult, RpcError> {
    static LIST: Fixed = Fixed::new();
    LIST.get(era, oauth, Method::ResourcesList, || ListResourcesResult {
        resources: resources::ALL.iter().map(|r| r.listing.clone()).collect(),
    })
}
