//! `resources/templates/list`: we have no parameterised resources, but a
//! server with the `resources` capability answers the list, empty.

use super::Method;
use super::fixed::Fixed;
use crate::protocol::Era;
use crate::protocol::jsonrpc::{RawResult, RpcError};
use crate::protocol::resource::ListResourceTemplatesResult;

pub fn result(era: Era, oauth: bool) -> Result<RawResult, RpcError> {
    static LIST: Fixed = Fixed::new();
    LIST.get(era, oauth, Method::ResourcesTemplatesList, || {
        ListResourceTemplatesResult {
            resource_templates: Vec::new(),
        }
    })
}
