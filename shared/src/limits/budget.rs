//! The deployment's budget of password grants sent to Supabase. GoTrue
//! limits password grants per caller address (60 a minute), and every grant
//! this server sends comes from *our* address: were attackers to spend that
//! allowance, every user's sign-in would fail upstream. So the grants are
//! counted here, deployment-wide in the shared store (a windowed counter
//! per minute, which every instance increments), and kept below what the
//! auth service allows; a share is reserved for sign-ins that are likely
//! genuine ([`super::trust`]). When the budget is spent the caller is told
//! at once when to retry, and the backend is not asked.
//!
//! The window is fixed (one counter per clock minute), so two adjacent
//! windows may both be spent within one sliding minute: the default is half
//! of GoTrue's limit, so that even then the backend's own throttle is never
//! tripped.

use super::window::{Limit, Refused};
use crate::store::RecordStore;

/// `SUPABASE_SIGN_INS_PER_MINUTE` unless set: half of GoTrue's 60 password
/// grants a minute per caller address.
pub const DEFAULT_PER_MINUTE: u64 = 30;
/// The largest budget accepted. A Supabase project's limits can be raised
/// (set the budget to half of what the project allows our address); the
/// tests that must never meet the budget use this.
pub const MAX_PER_MINUTE: u64 = 10_000;

const WINDOW_SECS: u64 = 60;
/// The single subject of the deployment-wide counters.
const DEPLOYMENT: &str = "deployment";

/// What one likely-genuine pair may take from the reserved share per
/// window: an attacker who holds one account cannot spend the reserve for
/// everyone by signing in with it again and again.
pub const RESERVED_PER_PAIR: Limit = Limit::new("sb-reserved-pair", 2, WINDOW_SECS);

/// Password grants per minute, deployment-wide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    per_minute: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            per_minute: DEFAULT_PER_MINUTE,
        }
    }
}

/// A budget that is not a whole number in 1..=[`MAX_PER_MINUTE`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("must be a whole number from 1 to {MAX_PER_MINUTE}, not {0:?}")]
pub struct BadBudget(String);

impl Budget {
    /// Parses `SUPABASE_SIGN_INS_PER_MINUTE`.
    pub fn parse(raw: &str) -> Result<Self, BadBudget> {
        match raw.trim().parse::<u64>() {
            Ok(per_minute @ 1..=MAX_PER_MINUTE) => Ok(Self { per_minute }),
            _ => Err(BadBudget(raw.chars().take(40).collect())),
        }
    }

    pub fn per_minute(self) -> u64 {
        self.per_minute
    }

    /// The share only likely-genuine sign-ins may spend: a third.
    pub fn reserved(self) -> u64 {
        self.per_minute / 3
    }

    /// The share any sign-in may spend.
    pub fn open(self) -> u64 {
        self.per_minute - self.reserved()
    }

    /// Spends one password grant: a likely-genuine sign-in (`pair` is the
    /// hashed (email, address) it came from) takes from the reserved share
    /// first, anything else from the open share only. `Err(Over)` carries
    /// when the window ends.
    pub async fn spend(
        self,
        records: &dyn RecordStore,
        genuine_pair: Option<&str>,
        now_ms: i64,
    ) -> Result<(), Refused> {
        if let Some(pair) = genuine_pair {
            let reserved = Limit::new("sb-reserved", self.reserved(), WINDOW_SECS);
            match RESERVED_PER_PAIR.count(records, pair, now_ms).await {
                Ok(()) => match reserved.count(records, DEPLOYMENT, now_ms).await {
                    Ok(()) => return Ok(()),
                    Err(Refused::Over(_)) => {}
                    Err(err) => return Err(err),
                },
                Err(Refused::Over(_)) => {}
                Err(err) => return Err(err),
            }
        }
        Limit::new("sb-open", self.open(), WINDOW_SECS)
            .count(records, DEPLOYMENT, now_ms)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    #[test]
    fn parsed_within_what_the_auth_service_allows() {
        assert_eq!(Budget::parse("30").unwrap(), Budget::default());
        assert_eq!(Budget::parse(" 6 ").unwrap().per_minute(), 6);
        for bad in ["0", "10001", "-1", "many", ""] {
            assert!(Budget::parse(bad).is_err(), "{bad}");
        }
        let budget = Budget::default();
        assert_eq!((budget.reserved(), budget.open()), (10, 20));
    }

    #[tokio::test]
    async fn the_open_share_is_spent_and_the_reserve_stays_for_the_genuine() {
        let store = MemoryStore::new(1);
        let budget = Budget::parse("6").unwrap();
        let t0 = 60_000 * 7 + 10_000;
        for _ in 0..budget.open() {
            budget.spend(&store, None, t0).await.unwrap();
        }
        match budget.spend(&store, None, t0).await {
            Err(Refused::Over(wait)) => assert_eq!(wait.secs(), 50),
            other => panic!("expected a refusal, got {other:?}"),
        }
        // The reserve: two genuine pairs, each at most twice a window.
        budget.spend(&store, Some("a"), t0).await.unwrap();
        budget.spend(&store, Some("b"), t0).await.unwrap();
        assert!(budget.spend(&store, Some("c"), t0).await.is_err());
        // The next window starts over.
        budget.spend(&store, None, t0 + 60_000).await.unwrap();
    }

    #[tokio::test]
    async fn one_pair_cannot_take_the_whole_reserve() {
        let store = MemoryStore::new(1);
        let budget = Budget::parse("30").unwrap();
        let t0 = 0;
        for _ in 0..RESERVED_PER_PAIR.max {
            budget.spend(&store, Some("mine"), t0).await.unwrap();
        }
        // Past its share of the reserve the pair spends the open share,
        // leaving the reserve to others.
        for _ in 0..budget.open() {
            budget.spend(&store, Some("mine"), t0).await.unwrap();
        }
        assert!(budget.spend(&store, Some("mine"), t0).await.is_err());
        for n in 0..budget.reserved() - RESERVED_PER_PAIR.max {
            let other = format!("other-{n}");
            budget.spend(&store, Some(&other), t0).await.unwrap();
        }
    }
}
