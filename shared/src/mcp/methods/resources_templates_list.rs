//! `resources/templates/list`: we have no parameterised resources, but a
//! server with the `resources` capability answers the list, empty.

use crate::protocol::resource::ListResourceTemplatesResult;

pub fn result() -> ListResourceTemplatesResult {
    ListResourceTemplatesResult {
        resource_templates: Vec::new(),
    }
}
