//! Sliding-window limiter for password grants (GoTrue throttles per IP and per email).

use std::collections::{HashMap, VecDeque};
use std::time::Duration;
use tokio::time::Instant;

/// The window the limit counts over.
pub(crate) const WINDOW: Duration = Duration::from_secs(60);

/// Attempt times per bucket key (e.g. `email:owner@agency-a.test`, `ip:127.0.0.1`).
///
/// Uses tokio's clock so a test that pauses time can move through the window instantly.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    attempts: HashMap<String, VecDeque<Instant>>,
}

impl RateLimiter {
    /// Records an attempt in every bucket if each has room under `limit`; otherwise
    /// records nothing and returns how long until the fullest bucket frees a slot.
    /// Refused attempts are not recorded, so a client that waits `Retry-After` gets in.
    pub fn admit(&mut self, keys: &[String], limit: u32, now: Instant) -> Result<(), Duration> {
        let mut wait = Duration::ZERO;
        for key in keys {
            let bucket = self.attempts.entry(key.clone()).or_default();
            while bucket
                .front()
                .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
            {
                bucket.pop_front();
            }
            if bucket.len() >= limit as usize {
                let oldest = bucket.front().copied().unwrap_or(now);
                let free_at = WINDOW.saturating_sub(now.saturating_duration_since(oldest));
                wait = wait.max(free_at.max(Duration::from_secs(1)));
            }
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        for key in keys {
            self.attempts.entry(key.clone()).or_default().push_back(now);
        }
        Ok(())
    }

    pub fn clear(&mut self) {
        self.attempts.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(email: &str) -> Vec<String> {
        vec![format!("email:{email}"), "ip:127.0.0.1".to_string()]
    }

    #[test]
    fn limits_per_email_and_per_ip() {
        let mut r = RateLimiter::default();
        let t0 = Instant::now();
        assert!(r.admit(&keys("a"), 2, t0).is_ok());
        assert!(r.admit(&keys("a"), 2, t0).is_ok());
        // Email bucket "a" and the shared IP bucket are both full now.
        assert!(r.admit(&keys("a"), 2, t0).is_err());
        assert!(r.admit(&keys("b"), 2, t0).is_err());
        let wait = r.admit(&keys("a"), 2, t0 + Duration::from_secs(20)).err();
        assert_eq!(wait, Some(Duration::from_secs(40)));
        assert!(r.admit(&keys("b"), 2, t0 + WINDOW).is_ok());
    }

    #[test]
    fn zero_limit_refuses_everything() {
        let mut r = RateLimiter::default();
        assert!(r.admit(&keys("a"), 0, Instant::now()).is_err());
    }
}
