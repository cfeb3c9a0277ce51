//! A fixed-window limit counted in the record store, so every instance
//! sees the same count: at most `max` events per window per subject.

use std::fmt;
use std::time::Duration;

use crate::crypto::sha256_hex;
use crate::store::{RecordStore, StoreError};
use crate::telemetry::metrics::{self, Metric};

/// At most `max` events per `window`, per subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Names the counter in the store (and nothing else).
    pub name: &'static str,
    pub max: u64,
    pub window: Duration,
}

/// How long a refused caller should wait: until the window that refused it
/// ends (whole seconds, at least one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

impl RetryAfter {
    pub fn secs(self) -> u64 {
        self.0
    }
}

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0..=90 => write!(f, "{} seconds", self.0),
            secs => write!(f, "{} minutes", secs.div_ceil(60)),
        }
    }
}

/// Why an event was not admitted.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("over the limit; try again in {0}")]
    Over(RetryAfter),
    /// The count could not be read: limits fail closed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Limit {
    /// `max` events named `name` per `window_secs` seconds.
    pub const fn new(name: &'static str, max: u64, window_secs: u64) -> Self {
        Self {
            name,
            max,
            window: Duration::from_secs(window_secs),
        }
    }

    /// Counts one event for `subject` and admits it while the window's
    /// count is within `max`. Subjects are stored hashed (they are emails
    /// and addresses).
    pub async fn count(
        &self,
        records: &dyn RecordStore,
        subject: &str,
        now_ms: i64,
    ) -> Result<(), Refused> {
        let (key, ends_ms) = self.key(subject, now_ms);
        let count = records.increment(&key, ends_ms, now_ms).await?;
        if count <= self.max {
            return Ok(());
        }
        metrics::record(Metric::Refusal { limit: self.name });
        let wait_ms = (ends_ms - now_ms).max(1000) as u64;
        Err(Refused::Over(RetryAfter(wait_ms.div_ceil(1000))))
    }

    /// Forgets `subject`'s count in the current window.
    pub async fn forget(
        &self,
        records: &dyn RecordStore,
        subject: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        records.delete_record(&self.key(subject, now_ms).0).await
    }

    /// The counter's key in the window holding `now_ms`, and when it ends.
    fn key(&self, subject: &str, now_ms: i64) -> (String, i64) {
        let window_ms = (self.window.as_millis() as i64).max(1);
        let index = now_ms.div_euclid(window_ms);
        let key = format!("limit#{}#{}#{index}", self.name, sha256_hex(subject));
        (key, (index + 1) * window_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    const LIMIT: Limit = Limit {
        name: "test",
        max: 2,
        window: Duration::from_secs(60),
    };

    #[tokio::test]
    async fn admits_max_per_window_then_names_the_wait() {
        let store = MemoryStore::new(1);
        let t0 = 60_000 * 10;
        assert!(LIMIT.count(&store, "a", t0).await.is_ok());
        assert!(LIMIT.count(&store, "a", t0 + 1).await.is_ok());
        match LIMIT.count(&store, "a", t0 + 15_000).await {
            Err(Refused::Over(wait)) => assert_eq!(wait, RetryAfter(45)),
            other => panic!("expected a refusal, got {other:?}"),
        }
        // Other subjects have their own count; the next window starts over.
        assert!(LIMIT.count(&store, "b", t0 + 15_000).await.is_ok());
        assert!(LIMIT.count(&store, "a", t0 + 60_000).await.is_ok());
    }

    #[test]
    fn waits_read_naturally() {
        assert_eq!(RetryAfter(45).to_string(), "45 seconds");
        assert_eq!(RetryAfter(14 * 60 + 1).to_string(), "15 minutes");
    }
}
