//! Typed domain values: each has one parsing constructor, so handlers only
//! ever see valid ones.

mod client_ip;
mod email;
mod loopback;
mod origin_secrets;
mod period;
mod role;
mod secret;

pub use client_ip::ClientIp;
/// The MalGomo product's website (origin only): the server info's
/// `websiteUrl`, and the origin ChatGPT links the dashboard view to.
pub const PRODUCT_WEBSITE: &str = "https://malgomo.com";

pub use email::{Email, InvalidEmail};
pub use loopback::is_loopback_host;
pub use origin_secrets::OriginSecrets;
pub use period::{InvalidPeriod, Period};
pub(crate) use period::{period_table, period_text};
pub use role::Role;
pub use secret::Secret;
