//! The session layer's handle: what opening, writing, renewing and bounding
//! sessions use — the sealed session store, the records the per-user index
//! lives in, the clock, the expiry policy and the per-user cap — so the
//! session code takes this and not the whole app.

use super::{Expiry, StoredSessions};
use crate::store::Stores;

/// Everything the session layer reads and writes.
#[derive(Clone, Copy, Debug)]
pub struct Sessions<'a> {
    /// Session records, sealed.
    pub stored: &'a StoredSessions,
    /// The records the per-user index lives in, and the clock.
    pub stores: Stores<'a>,
    pub expiry: Expiry,
    /// Logged-in sessions one user may hold (`MAX_SESSIONS`; a tenth of it
    /// with the in-memory store).
    pub per_user: usize,
}
