//! `resources/list`: every resource (one page; there is one).

use crate::protocol::resource::ListResourcesResult;
use crate::resources;

pub fn result() -> ListResourcesResult {
    ListResourcesResult {
        resources: resources::ALL.iter().map(|r| r.listing.clone()).collect(),
    }
}
