//! The one throttle on password attempts, used by the `malgomo_login` tool
//! (mode B) and the sign-in page (mode A) alike. It is checked before the
//! backend is asked, so the backend never sees more than the limits allow
//! however the attempts are batched or spread over connections — and the
//! backend's own throttle, which keys on *our* address, is never tripped on
//! behalf of everyone.
//!
//! Built so that an attacker cannot lock the owner out:
//! - the (email, address) pair trips first: one address gets a handful of
//!   guesses at one account;
//! - one address gets a bounded number of attempts over all emails;
//! - the per-email limit (over all addresses) does not ban: past it, each
//!   address may still try that email once per slow interval, so the owner
//!   at their own address gets in while a botnet is slowed to a crawl;
//! - what passes all of these still spends the deployment's budget of
//!   password grants ([`super::budget`]), which keeps the auth service's
//!   limit on our address unreached; a pair that signed in before
//!   ([`super::trust`]) may spend the share reserved for it, so attackers
//!   spraying emails from many addresses cannot spend the owner's way in.

use super::budget::Budget;
use super::window::{Limit, Refused, RetryAfter};
use super::{AddressKey, trust};
use crate::domain::Email;
use crate::session::SessionKey;
use crate::store::RecordStore;

const WINDOW_SECS: u64 = 15 * 60;

/// Attempts at one email from one address.
pub const PER_PAIR: Limit = Limit::new("pw-pair", 5, WINDOW_SECS);
/// Attempts from one address, over all emails.
pub const PER_ADDRESS: Limit = Limit::new("pw-address", 60, WINDOW_SECS);
/// Attempts at one email over all addresses before it slows down.
pub const PER_EMAIL: Limit = Limit::new("pw-email", 20, WINDOW_SECS);
/// Past [`PER_EMAIL`]: attempts at that email per address.
pub const SLOWED: Limit = Limit::new("pw-slowed", 1, 60);

/// What the throttle reads and writes: the shared store, the key that
/// hashes trusted pairs, and the grant budget.
#[derive(Clone, Copy, Debug)]
pub struct Throttle<'a> {
    pub records: &'a dyn RecordStore,
    pub key: &'a SessionKey,
    pub budget: Budget,
}

/// Why an attempt may not reach the backend.
#[derive(Debug, PartialEq, Eq)]
pub enum Throttled {
    /// Too many attempts at this account or from this address.
    Attempts(RetryAfter),
    /// The deployment's password grants for this minute are spent.
    Busy(RetryAfter),
    /// The counts could not be read (limits fail closed).
    Unavailable,
}

/// Counts one password attempt for `email` from `address`; `Err` when it
/// must not reach the backend (with how long to wait). A store failure
/// refuses the attempt and is logged here, once for both callers.
pub async fn admit(
    throttle: Throttle<'_>,
    email: &Email,
    address: AddressKey,
    now_ms: i64,
) -> Result<(), Throttled> {
    let records = throttle.records;
    count_attempt(records, email, address, now_ms)
        .await
        .map_err(|refused| throttled(refused, Throttled::Attempts))?;
    let tag = trust::pair_tag(throttle.key, email, address);
    let genuine = trust::signed_in_before(records, &tag, now_ms).await;
    throttle
        .budget
        .spend(records, genuine.then_some(tag.as_str()), now_ms)
        .await
        .map_err(|refused| throttled(refused, Throttled::Busy))
}

fn throttled(refused: Refused, over: fn(RetryAfter) -> Throttled) -> Throttled {
    match refused {
        Refused::Over(wait) => over(wait),
        Refused::Store(err) => {
            tracing::error!(error = %err, "login throttle unavailable; attempt refused");
            Throttled::Unavailable
        }
    }
}

async fn count_attempt(
    records: &dyn RecordStore,
    email: &Email,
    address: AddressKey,
    now_ms: i64,
) -> Result<(), Refused> {
    let email = email.as_str();
    let pair = pair(email, address);
    PER_PAIR.count(records, &pair, now_ms).await?;
    PER_ADDRESS
        .count(records, &address.to_string(), now_ms)
        .await?;
    match PER_EMAIL.count(records, email, now_ms).await {
        Err(Refused::Over(_)) => SLOWED.count(records, &pair, now_ms).await,
        other => other,
    }
}

/// A correct password from `address` proves the pair is the owner's: its
/// count starts over, so the owner signing in again and again is never
/// throttled by their own successes, and the pair is remembered as
/// genuine (it may spend the budget's reserve).
pub async fn succeeded(throttle: Throttle<'_>, email: &Email, address: AddressKey, now_ms: i64) {
    let records = throttle.records;
    trust::remember(
        records,
        &trust::pair_tag(throttle.key, email, address),
        now_ms,
    )
    .await;
    let pair = pair(email.as_str(), address);
    for limit in [PER_PAIR, SLOWED] {
        if let Err(err) = limit.forget(records, &pair, now_ms).await {
            tracing::debug!(error = %err, "login attempt count not reset");
        }
    }
}

fn pair(email: &str, address: AddressKey) -> String {
    format!("{email}\n{address}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn email(raw: &str) -> Email {
        Email::parse(raw).unwrap()
    }

    fn from(n: u8) -> AddressKey {
        AddressKey::of(std::net::IpAddr::from([198, 51, 100, n]))
    }

    #[tokio::test]
    async fn the_pair_trips_first_and_others_are_unaffected() {
        let store = MemoryStore::new(1);
        let owner = email("owner@example.com");
        for _ in 0..PER_PAIR.max {
            count_attempt(&store, &owner, from(1), 0).await.unwrap();
        }
        assert!(matches!(
            count_attempt(&store, &owner, from(1), 0).await,
            Err(Refused::Over(_))
        ));
        // The owner elsewhere, and another account here, still get in.
        count_attempt(&store, &owner, from(2), 0).await.unwrap();
        count_attempt(&store, &email("other@example.com"), from(1), 0)
            .await
            .unwrap();
    }

    fn throttle<'a>(store: &'a MemoryStore, key: &'a SessionKey) -> Throttle<'a> {
        Throttle {
            records: store,
            key,
            budget: Budget::parse("6").unwrap(),
        }
    }

    #[tokio::test]
    async fn success_starts_the_pair_over() {
        let store = MemoryStore::new(1);
        let key = SessionKey::generate();
        let owner = email("owner@example.com");
        for _ in 0..3 * PER_PAIR.max {
            count_attempt(&store, &owner, from(1), 0).await.unwrap();
            succeeded(throttle(&store, &key), &owner, from(1), 0).await;
        }
    }

    #[tokio::test]
    async fn one_address_is_bounded_over_all_emails() {
        let store = MemoryStore::new(1);
        for n in 0..PER_ADDRESS.max {
            let spray = email(&format!("user{n}@example.com"));
            count_attempt(&store, &spray, from(1), 0).await.unwrap();
        }
        let next = email("next@example.com");
        assert!(count_attempt(&store, &next, from(1), 0).await.is_err());
    }

    #[tokio::test]
    async fn a_busy_email_slows_down_but_the_owner_still_gets_in() {
        let store = MemoryStore::new(1);
        let owner = email("owner@example.com");
        // Many addresses exhaust the email's allowance.
        for n in 0..PER_EMAIL.max {
            count_attempt(&store, &owner, from(10 + n as u8), 0)
                .await
                .unwrap();
        }
        // The owner at a fresh address: one attempt per slow interval.
        count_attempt(&store, &owner, from(1), 0).await.unwrap();
        assert!(count_attempt(&store, &owner, from(1), 1_000).await.is_err());
        count_attempt(&store, &owner, from(1), 60_000)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn past_the_budget_only_a_pair_that_signed_in_before_gets_through() {
        let store = MemoryStore::new(1);
        let key = SessionKey::generate();
        let throttle = throttle(&store, &key);
        let owner = email("owner@example.com");
        admit(throttle, &owner, from(1), 0).await.unwrap();
        succeeded(throttle, &owner, from(1), 0).await;
        // Spraying from many addresses spends the open share (4 of 6)...
        let mut refused = None;
        for n in 0..10u8 {
            let spray = email(&format!("user{n}@example.com"));
            if let Err(err) = admit(throttle, &spray, from(20 + n), 1_000).await {
                refused = Some(err);
                break;
            }
        }
        assert_eq!(refused, Some(Throttled::Busy(RetryAfter(59))));
        // ...and a first sign-in elsewhere waits, but the owner at home
        // takes from the reserve.
        let newcomer = email("new@example.com");
        assert!(matches!(
            admit(throttle, &newcomer, from(2), 1_000).await,
            Err(Throttled::Busy(_))
        ));
        admit(throttle, &owner, from(1), 1_000).await.unwrap();
    }
}
