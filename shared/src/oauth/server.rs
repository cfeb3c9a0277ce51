//! The authorization server's handle: what its endpoints read and write —
//! the records and the clock, the upstream clients a sign-in calls, the
//! password throttle, the two settings it reads and the discovery documents
//! — so the OAuth code takes this, built by the app, and not the whole app.

use std::time::Duration;

use url::Url;

use super::metadata::Discovery;
use crate::limits::password::Throttle;
use crate::store::Stores;
use crate::upstream::Upstream;

/// Everything mode A's endpoints use. Borrowed, so building one per
/// request costs nothing.
#[derive(Clone, Copy, Debug)]
pub struct AuthServer<'a> {
    /// Clients, codes, grants, tokens, counters; and the clock their
    /// expiry is read against.
    pub stores: Stores<'a>,
    /// Supabase (the sign-in page's password grant) and MalGomo (`/me`).
    pub upstream: &'a Upstream,
    pub throttle: Throttle<'a>,
    /// `PUBLIC_URL`: the issuer and the resource; unset, mode A is off.
    pub public_url: Option<&'a Url>,
    /// `OAUTH_ACCESS_TOKEN_TTL_SECS`: the lifetime of our access tokens.
    pub access_token_ttl: Duration,
    /// The discovery documents, serialised once (mode A only).
    pub discovery: Option<&'a Discovery>,
}
