//! Host-agnostic HTTP pieces: body, response builders, CORS, origin guard.

mod body;
pub mod cors;
pub mod edge;
pub mod guard;
pub mod reply;

pub use body::{Body, KeepAliveStream};
pub use reply::Response;

/// The client's IP address, as the host knows it: the TCP peer locally; on
/// Lambda the viewer address the front door vouches for (see [`edge`]),
/// else the request context's source IP — never a client-sent header.
/// Used for rate limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

/// Marks a request whose body the host cut off at the size limit; the router
/// answers it 413 (after the origin guard, with CORS).
#[derive(Clone, Copy, Debug)]
pub struct BodyTooLarge;
