//! Token renewal, in one place. The rule: a call uses the stored access
//! token; an expired or refused one is refreshed once and the call retried
//! once ([`with_fresh_token`]). Upstream refresh tokens are single use, so
//! the refresh itself is taken under a lease in the record that holds the
//! tokens ([`renew`]): one caller, on any instance, spends the refresh
//! token and stores the new pair; the others wait for it.
//!
//! Two records hold tokens, and they sit side by side here: a session
//! ([`SessionKeeper`], the 2025-era login of `malgomo_login`) and an OAuth
//! grant ([`GrantKeeper`], mode A's sign-in, sealed under the grant key).
//! What differs between them — where the record is, how its tokens are read
//! and replaced, what a dead login does to it — is a [`Keeper`]; the lease,
//! the record last seen and lost races are [`Home`]'s, once.

mod call;
mod grant;
mod home;
mod lease;
mod session;

pub use call::{Outcome, read, with_fresh_token};
pub use grant::GrantKeeper;
pub use home::{Held, Home, Keeper, Write};
pub use lease::renew;
pub use session::SessionKeeper;
