//! Host-agnostic HTTP pieces: body, response builders, CORS, origin guard.

mod body;
pub mod cors;
pub mod guard;
pub mod reply;

pub use body::{Body, KeepAliveStream};
pub use reply::Response;
