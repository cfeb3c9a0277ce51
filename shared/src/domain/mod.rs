//! Typed domain values: each has one parsing constructor, so handlers only
//! ever see valid ones.

mod email;
mod origin_secrets;
mod period;
mod role;
mod secret;

pub use email::{Email, InvalidEmail};
pub use origin_secrets::OriginSecrets;
pub use period::{InvalidPeriod, Period};
pub(crate) use period::{period_table, period_text};
pub use role::Role;
pub use secret::Secret;
