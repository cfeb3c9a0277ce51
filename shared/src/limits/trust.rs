//! Which sign-ins are likely genuine: an (email, address) pair that signed
//! in successfully before. A success leaves a marker in the shared store
//! for [`LIFETIME_MS`], keyed by a keyed hash of the pair (HMAC with the
//! deployment's session key, so a dump of the store cannot be matched
//! against guessed emails and addresses). Such sign-ins may spend the
//! reserved share of the password-grant budget ([`super::budget`]), which
//! an attacker, who has never signed in as the owner from the owner's
//! network, cannot reach.

use super::AddressKey;
use crate::domain::Email;
use crate::session::SessionKey;
use crate::store::RecordStore;

/// How long a successful sign-in vouches for its pair.
pub const LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// The hashed pair: the marker's subject, and what the budget counts the
/// pair's use of the reserve under.
pub fn pair_tag(key: &SessionKey, email: &Email, address: AddressKey) -> String {
    key.keyed_hash("trusted-pair", &format!("{}\n{address}", email.as_str()))
}

fn marker(tag: &str) -> String {
    format!("trusted#{tag}")
}

/// Whether the pair `tag` signed in successfully within [`LIFETIME_MS`]. A
/// store failure answers no (the caller then spends the open share).
pub async fn signed_in_before(records: &dyn RecordStore, tag: &str, now_ms: i64) -> bool {
    matches!(records.get_record(&marker(tag), now_ms).await, Ok(Some(_)))
}

/// Records that the pair `tag` just signed in.
pub async fn remember(records: &dyn RecordStore, tag: &str, now_ms: i64) {
    let until = now_ms.saturating_add(LIFETIME_MS);
    if let Err(err) = records.put_record(&marker(tag), b"1", until).await {
        tracing::debug!(error = %err, "sign-in not remembered as genuine");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    #[tokio::test]
    async fn a_success_vouches_for_its_own_pair_for_a_while() {
        let store = MemoryStore::new(1);
        let key = SessionKey::generate();
        let owner = Email::parse("owner@example.com").unwrap();
        let home = AddressKey::of([198, 51, 100, 1].into());
        let away = AddressKey::of([198, 51, 100, 2].into());
        let tag = pair_tag(&key, &owner, home);
        assert!(!signed_in_before(&store, &tag, 0).await);
        remember(&store, &tag, 0).await;
        assert!(signed_in_before(&store, &tag, 1_000).await);
        assert!(!signed_in_before(&store, &pair_tag(&key, &owner, away), 1_000).await);
        assert!(!signed_in_before(&store, &tag, LIFETIME_MS).await);
        // Another deployment's key does not recognise the pair.
        assert_ne!(pair_tag(&SessionKey::generate(), &owner, home), tag);
        assert!(!tag.contains("owner") && !tag.contains("198.51"));
    }
}
