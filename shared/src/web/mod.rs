//! Host-agnostic HTTP pieces: body, response builders, CORS, origin guard,
//! HTML escaping.

mod body;
pub mod cors;
pub mod edge;
pub mod guard;
pub mod html;
pub mod reply;

pub use body::{Body, KeepAliveStream};
pub use reply::Response;

/// The hosts put the client's address on a request as this extension (see
/// [`edge`] for the Lambda's).
pub use crate::domain::ClientIp;

/// Marks a request whose body the host cut off at the size limit; the router
/// answers it 413 (after the origin guard, with CORS).
#[derive(Clone, Copy, Debug)]
pub struct BodyTooLarge;
