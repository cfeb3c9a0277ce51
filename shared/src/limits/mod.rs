//! Limits on what a caller may make the server do, counted in the record
//! store so they hold across instances: the password throttle and the
//! deployment's budget of password grants (with the trusted sign-ins that
//! may spend its reserve), and the
//! per-address limits of the unauthenticated OAuth endpoints (every one
//! keyed by the same [`AddressKey`]); and, in memory, the open SSE streams
//! and the local server's connections.

mod address;
pub mod budget;
pub mod connections;
pub mod password;
pub mod streams;
pub mod trust;
mod window;

pub use address::AddressKey;
pub use window::{Limit, Refused, RetryAfter};

/// Client registrations (`POST /register`) per address.
pub const REGISTER: Limit = Limit::new("register", 50, 60 * 60);
/// Authorization requests (`GET /authorize`, each a stored pending sign-in)
/// per address.
pub const AUTHORIZE: Limit = Limit::new("authorize", 60, 10 * 60);
/// Outbound fetches of client metadata documents (cache misses) per address.
pub const METADATA_FETCH: Limit = Limit::new("metadata-fetch", 20, 60 * 60);
