//! What the accept loop does when `accept` fails (out of file descriptors,
//! most often): wait before trying again, longer each time up to a cap, and
//! log at most one line per interval with how many failures it stands for.
//! Retrying at once spins a core and writes a log line per spin.

use std::time::{Duration, Instant};

const FIRST: Duration = Duration::from_millis(10);
const MOST: Duration = Duration::from_secs(1);
/// At most one log line per this interval.
const LOG_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct AcceptBackoff {
    delay: Duration,
    unlogged: u64,
    logged_at: Option<Instant>,
}

impl Default for AcceptBackoff {
    fn default() -> Self {
        Self {
            delay: FIRST,
            unlogged: 0,
            logged_at: None,
        }
    }
}

impl AcceptBackoff {
    /// A connection was accepted: the next failure waits the shortest time.
    pub fn succeeded(&mut self) {
        self.delay = FIRST;
    }

    /// `accept` failed at `now`: logs when the interval allows, and returns
    /// how long to wait before accepting again.
    pub fn failed(&mut self, err: &std::io::Error, now: Instant) -> Duration {
        self.unlogged += 1;
        let due = self
            .logged_at
            .is_none_or(|at| now.saturating_duration_since(at) >= LOG_EVERY);
        if due {
            tracing::warn!(
                error = %err,
                failures = self.unlogged,
                retry_in_ms = self.delay.as_millis() as u64,
                "accept failed; backing off (at most one such line per 10 s)"
            );
            self.unlogged = 0;
            self.logged_at = Some(now);
        }
        let wait = self.delay;
        self.delay = (self.delay * 2).min(MOST);
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_to_a_cap_and_reset_on_success() {
        let mut backoff = AcceptBackoff::default();
        let err = std::io::Error::other("too many open files");
        let now = Instant::now();
        let waits: Vec<Duration> = (0..10).map(|_| backoff.failed(&err, now)).collect();
        assert_eq!(waits[0], FIRST);
        assert_eq!(waits[1], FIRST * 2);
        assert_eq!(*waits.last().unwrap(), MOST);
        backoff.succeeded();
        assert_eq!(backoff.failed(&err, now), FIRST);
    }

    #[test]
    fn one_line_per_interval_counts_the_failures_it_stands_for() {
        let mut backoff = AcceptBackoff::default();
        let err = std::io::Error::other("too many open files");
        let t0 = Instant::now();
        backoff.failed(&err, t0);
        assert_eq!(backoff.logged_at, Some(t0));
        for _ in 0..1000 {
            backoff.failed(&err, t0 + Duration::from_secs(1));
        }
        assert_eq!(backoff.logged_at, Some(t0), "no line within the interval");
        assert_eq!(backoff.unlogged, 1000);
        backoff.failed(&err, t0 + LOG_EVERY);
        assert_eq!(backoff.logged_at, Some(t0 + LOG_EVERY));
        assert_eq!(backoff.unlogged, 0);
    }
}
