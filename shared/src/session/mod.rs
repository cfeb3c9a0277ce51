//! MCP sessions: the id, the record, how it is stored (sealed, through the
//! record contract), the session a request holds (sealed until it is
//! needed, then open), and the sliding-expiry policy.

mod handle;
mod id;
mod open;
pub mod per_user;
mod record;
mod request;
mod seal;
pub mod stored;

use std::time::Duration;

pub use handle::Sessions;
pub use id::{Issued, SessionId, SessionKey};
pub use open::OpenSession;
pub use record::{Login, SessionRecord};
pub use request::RequestSession;
pub use stored::{KEY_PREFIX, Lookup, Sealed, StoredSessions, Versioned};

/// Idle expiry that slides forward on use, written back at most every
/// `touch_every` so that a busy session does not cost a write per call.
#[derive(Clone, Copy, Debug)]
pub struct Expiry {
    pub ttl: Duration,
    pub touch_every: Duration,
}

impl Expiry {
    /// Touch at most every 5 minutes, or every quarter of a short TTL.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            touch_every: (ttl / 4).min(Duration::from_secs(300)),
        }
    }

    pub fn deadline(&self, now_ms: i64) -> i64 {
        now_ms.saturating_add(self.ttl.as_millis() as i64)
    }

    /// True when an idle expiry of `expires_at_ms` is due to be pushed
    /// forward: it has fallen `touch_every` or more short of a full TTL
    /// from now. Every write sets the expiry a TTL from its own time, so
    /// this reads the item's stored expiry and needs no record opened.
    pub fn touch_due(&self, expires_at_ms: i64, now_ms: i64) -> bool {
        self.deadline(now_ms).saturating_sub(expires_at_ms) >= self.touch_every.as_millis() as i64
    }
}
