//! Host-agnostic HTTP pieces: body, response builders, CORS, origin guard.

mod body;
pub mod cors;
pub mod guard;
pub mod reply;

pub use body::{Body, KeepAliveStream};
pub use reply::Response;

/// Marks a request whose body the host cut off at the size limit; the router
/// answers it 413 (after the origin guard, with CORS).
#[derive(Clone, Copy, Debug)]
pub struct BodyTooLarge;
