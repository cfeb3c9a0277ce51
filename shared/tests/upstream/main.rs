//! The upstream clients (`malgomo::upstream`) against the in-process simulator:
//! every error class, the retry rules, the token lifecycle, agency scoping and
//! the projection onto the documented fields.
//!
//! Every test starts its own simulator (fresh counters, sessions and rate-limit
//! buckets) through `helpers::TestUpstream::spawn`.

mod api;
mod auth;
mod helpers;
mod lifecycle;
mod projection;
mod renewal;
mod scoping;
mod secrets;
