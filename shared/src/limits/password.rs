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
//!   at their own address gets in while a botnet is slowed to a crawl.

use super::AddressKey;
use super::window::{Limit, Refused};
use crate::domain::Email;
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

/// Counts one password attempt for `email` from `address`; `Err` when it
/// must not reach the backend (with how long to wait). A store failure
/// refuses the attempt (limits fail closed) and is logged here, once for
/// both callers.
pub async fn admit(
    records: &dyn RecordStore,
    email: &Email,
    address: AddressKey,
    now_ms: i64,
) -> Result<(), Refused> {
    count_attempt(records, email, address, now_ms)
        .await
        .inspect_err(|refused| {
            if let Refused::Store(err) = refused {
                tracing::error!(error = %err, "login throttle unavailable; attempt refused");
            }
        })
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
/// throttled by their own successes.
pub async fn succeeded(records: &dyn RecordStore, email: &Email, address: AddressKey, now_ms: i64) {
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
            admit(&store, &owner, from(1), 0).await.unwrap();
        }
        assert!(matches!(
            admit(&store, &owner, from(1), 0).await,
            Err(Refused::Over(_))
        ));
        // The owner elsewhere, and another account here, still get in.
        admit(&store, &owner, from(2), 0).await.unwrap();
        admit(&store, &email("other@example.com"), from(1), 0)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn success_starts_the_pair_over() {
        let store = MemoryStore::new(1);
        let owner = email("owner@example.com");
        for _ in 0..3 * PER_PAIR.max {
            admit(&store, &owner, from(1), 0).await.unwrap();
            succeeded(&store, &owner, from(1), 0).await;
        }
    }

    #[tokio::test]
    async fn one_address_is_bounded_over_all_emails() {
        let store = MemoryStore::new(1);
        for n in 0..PER_ADDRESS.max {
            let spray = email(&format!("user{n}@example.com"));
            admit(&store, &spray, from(1), 0).await.unwrap();
        }
        let next = email("next@example.com");
        assert!(admit(&store, &next, from(1), 0).await.is_err());
    }

    #[tokio::test]
    async fn a_busy_email_slows_down_but_the_owner_still_gets_in() {
        let store = MemoryStore::new(1);
        let owner = email("owner@example.com");
        // Many addresses exhaust the email's allowance.
        for n in 0..PER_EMAIL.max {
            admit(&store, &owner, from(10 + n as u8), 0).await.unwrap();
        }
        // The owner at a fresh address: one attempt per slow interval.
        admit(&store, &owner, from(1), 0).await.unwrap();
        assert!(admit(&store, &owner, from(1), 1_000).await.is_err());
        admit(&store, &owner, from(1), 60_000).await.unwrap();
    }
}
