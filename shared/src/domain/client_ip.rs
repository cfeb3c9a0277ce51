//! The client's IP address as a typed value: hosts set it on a request, the
//! per-address limits read it. A value, not an HTTP piece, so the limits
//! need nothing of the web layer to key on it.

/// The client's IP address, as the host knows it: the TCP peer locally; on
/// Lambda the viewer address the front door vouches for (see
/// `web::edge`), else the request context's source IP — never a client-sent
/// header. Used for rate limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);
