//! Grants and the tokens we issue for them. A grant holds the user's
//! upstream tokens sealed under a random grant key; each access or refresh
//! token carries that key wrapped under a key derived from itself, so only
//! a token holder can open the upstream tokens, and a table dump opens
//! nothing. Tokens are opaque, stored only as hashes, and audience-bound.

use serde::{Deserialize, Serialize};

use super::AuthServer;
use super::OAuthError;
use super::records::{AccessRecord, GrantRecord, Loaded, access_key, encode, grant_key, load};
use crate::crypto::{derive_key, open, random_bytes, random_token, seal, sha256_hex};
use crate::session::Login;
use crate::store::{StoreError, Stores};

pub type GrantKey = [u8; 32];

/// How long a grant (and its refresh token) lives without use.
pub const GRANT_TTL_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// How many rotated-out refresh tokens a grant remembers (`retired`).
/// A client refreshes about once per access-token lifetime, so this covers
/// many hours of rotations; a token older than that is simply unknown.
pub const RETIRED_KEPT: usize = 16;

/// What a presented refresh token is to its grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presented {
    /// The grant's current refresh token: rotate.
    Current,
    /// The token just rotated out, within its grace window: hand over the
    /// current pair.
    InGrace,
    /// One we issued and rotated out before: reuse, so revoke the grant.
    Retired,
    /// Not a token of this grant at all (made up from the readable grant
    /// id): refuse and change nothing.
    Unknown,
}

/// Classifies `token` against `grant`; hashes compare in constant time.
pub fn presented(grant: &GrantRecord, token: &str, now_ms: i64) -> Presented {
    let hash = sha256_hex(token);
    let is = |stored: &str| crate::crypto::same(stored, &hash);
    if grant.refresh_hash.as_deref().is_some_and(is) {
        Presented::Current
    } else if grant
        .previous
        .as_ref()
        .is_some_and(|p| is(&p.hash) && now_ms <= p.until_ms)
    {
        Presented::InGrace
    } else if grant.retired.iter().any(|h| is(h))
        || grant.previous.as_ref().is_some_and(|p| is(&p.hash))
    {
        Presented::Retired
    } else {
        Presented::Unknown
    }
}

/// The token pair a token response carries.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub scope: String,
}

/// A refresh token names its grant: `mgr_<grant id>.<secret>`.
pub fn grant_of_refresh(token: &str) -> Option<&str> {
    token
        .strip_prefix("mgr_")?
        .split_once('.')
        .map(|(grant, _)| grant)
}

/// Whether `token` is the grant's current refresh token, or the one just
/// rotated out while its grace window lasts (what `/revoke` honours).
pub fn holds_refresh(grant: &GrantRecord, token: &str, now_ms: i64) -> bool {
    matches!(
        presented(grant, token, now_ms),
        Presented::Current | Presented::InGrace
    )
}

pub fn wrap(label: &str, token: &str, aad: &str, key: &GrantKey) -> Vec<u8> {
    seal(&derive_key(label, token), aad.as_bytes(), key)
}

pub fn unwrap(label: &str, token: &str, aad: &str, wrapped: &[u8]) -> Option<GrantKey> {
    open(&derive_key(label, token), aad.as_bytes(), wrapped)?
        .try_into()
        .ok()
}

pub fn seal_login(grant_id: &str, key: &GrantKey, login: &Login) -> Vec<u8> {
    seal(key, grant_key(grant_id).as_bytes(), &encode(login))
}

pub fn open_login(grant_id: &str, key: &GrantKey, sealed: &[u8]) -> Option<Login> {
    let plain = open(key, grant_key(grant_id).as_bytes(), sealed)?;
    serde_json::from_slice(&plain).ok()
}

/// Creates a grant for a signed-in user; returns its id and key.
pub async fn create(
    server: &AuthServer<'_>,
    client_id: &str,
    scope: &str,
    resource: &str,
    login: &Login,
) -> Result<(String, GrantKey), OAuthError> {
    let grant_id = hex::encode(random_bytes());
    let key = random_bytes();
    let record = GrantRecord {
        client_id: client_id.to_owned(),
        scope: scope.to_owned(),
        resource: resource.to_owned(),
        me: login.me.clone(),
        upstream: seal_login(&grant_id, &key, login),
        refresh_hash: None,
        refresh_wrapped_key: None,
        previous: None,
        retired: Vec::new(),
        lease_until_ms: None,
    };
    let now = server.stores.clock.now_ms();
    server
        .stores
        .records
        .create_record(
            &grant_key(&grant_id),
            &encode(&record),
            now + GRANT_TTL_MS,
            now,
        )
        .await?;
    Ok((grant_id, key))
}

pub async fn load_grant(
    stores: Stores<'_>,
    grant_id: &str,
) -> Result<Option<Loaded<GrantRecord>>, OAuthError> {
    load(stores.records, &grant_key(grant_id), stores.now_ms()).await
}

/// Stores `grant` if its stored version is still `expected` (its token
/// home's write); the new version, or `Conflict`.
pub async fn save(
    stores: Stores<'_>,
    grant_id: &str,
    grant: &Loaded<GrantRecord>,
    expected: u64,
) -> Result<u64, StoreError> {
    stores
        .records
        .update_record(
            &grant_key(grant_id),
            &encode(&grant.value),
            grant.expires_at_ms,
            expected,
        )
        .await
}

/// Revokes a grant: every token of it stops working at once (validation
/// reads the grant).
pub async fn revoke(stores: Stores<'_>, grant_id: &str) -> Result<(), OAuthError> {
    stores.records.delete_record(&grant_key(grant_id)).await?;
    tracing::info!("grant revoked");
    Ok(())
}

/// Issues a fresh access + refresh pair for `grant` (whose stored version is
/// `version`), recording the refresh token (and, when rotating, the one it
/// replaces with a handoff of the new pair). `Err(Conflict)`-style races
/// surface as `Ok(None)` so the caller can re-read and decide again.
pub async fn issue(
    server: &AuthServer<'_>,
    grant_id: &str,
    key: &GrantKey,
    grant: &Loaded<GrantRecord>,
    rotated_from: Option<&str>,
) -> Result<Option<Pair>, OAuthError> {
    let now = server.stores.clock.now_ms();
    let ttl = server.access_token_ttl.as_millis() as i64;
    let access_token = random_token("mga_");
    let refresh_token = format!("mgr_{grant_id}.{}", random_token(""));
    let pair = Pair {
        access_token: access_token.clone(),
        refresh_token: refresh_token.clone(),
        expires_in: ttl / 1000,
        scope: grant.value.scope.clone(),
    };
    let mut record = grant.value.clone();
    let grant_aad = grant_key(grant_id);
    record.refresh_hash = Some(sha256_hex(&refresh_token));
    record.refresh_wrapped_key = Some(wrap("refresh", &refresh_token, &grant_aad, key));
    if let Some(old) = rotated_from {
        record.retired.push(sha256_hex(old));
        let excess = record.retired.len().saturating_sub(RETIRED_KEPT);
        record.retired.drain(..excess);
    }
    record.previous = rotated_from.map(|old| super::records::PreviousRefresh {
        hash: sha256_hex(old),
        until_ms: now + super::REFRESH_GRACE.as_millis() as i64,
        handoff: seal(
            &derive_key("handoff", old),
            grant_aad.as_bytes(),
            &encode(&pair),
        ),
    });
    // The access token is stored before the grant names the new pair: once
    // the grant is rotated, the old refresh token's handoff hands this pair
    // out, so its access token must already work.
    let access_aad = access_key(&access_token);
    let access = AccessRecord {
        grant_id: grant_id.to_owned(),
        client_id: grant.value.client_id.clone(),
        resource: grant.value.resource.clone(),
        scope: grant.value.scope.clone(),
        expires_at_ms: now + ttl,
        wrapped_key: wrap("access", &access_token, &access_aad, key),
    };
    server
        .stores
        .records
        .create_record(&access_aad, &encode(&access), now + ttl, now)
        .await?;
    let rotated = server
        .stores
        .records
        .update_record(
            &grant_aad,
            &encode(&record),
            now + GRANT_TTL_MS,
            grant.version,
        )
        .await;
    match rotated {
        Ok(_) => Ok(Some(pair)),
        // A conflict may be our own write whose answer was lost and retried.
        Err(crate::store::StoreError::Conflict) => {
            let landed = load_grant(server.stores, grant_id)
                .await?
                .is_some_and(|now| {
                    now.value.refresh_hash.as_deref() == record.refresh_hash.as_deref()
                });
            if landed {
                return Ok(Some(pair));
            }
            // Lost the race: nobody holds this access token; drop it.
            if let Err(err) = server.stores.records.delete_record(&access_aad).await {
                tracing::warn!(error = %err, "an unissued access token was not removed; it expires unused");
            }
            Ok(None)
        }
        // Unknown whether the rotation landed: the access record stays (it
        // expires unused if not).
        Err(err) => Err(err.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::records::PreviousRefresh;

    /// A grant record as stored before `retired` existed.
    const OLD_RECORD: &str = r#"{"client_id":"mcc_x","scope":"mcp","resource":"https://h/mcp",
        "me":{"user_id":"u","email":"e@x.test","agency_id":"a","agency_name":"A","role":"owner"},
        "upstream":[1,2],"refresh_hash":null,"refresh_wrapped_key":null,"previous":null,
        "lease_until_ms":null}"#;

    #[test]
    fn a_record_from_before_retired_loads_with_none_retired() {
        let grant: GrantRecord = serde_json::from_str(OLD_RECORD).expect("an old record loads");
        assert!(grant.retired.is_empty());
    }

    #[test]
    fn tokens_are_current_in_grace_retired_or_unknown() {
        let mut grant: GrantRecord = serde_json::from_str(OLD_RECORD).unwrap();
        grant.refresh_hash = Some(sha256_hex("mgr_g.now"));
        grant.previous = Some(PreviousRefresh {
            hash: sha256_hex("mgr_g.just"),
            until_ms: 1_000,
            handoff: Vec::new(),
        });
        grant.retired = vec![sha256_hex("mgr_g.older"), sha256_hex("mgr_g.just")];
        assert_eq!(presented(&grant, "mgr_g.now", 0), Presented::Current);
        assert_eq!(presented(&grant, "mgr_g.just", 1_000), Presented::InGrace);
        assert_eq!(presented(&grant, "mgr_g.just", 1_001), Presented::Retired);
        assert_eq!(presented(&grant, "mgr_g.older", 0), Presented::Retired);
        assert_eq!(presented(&grant, "mgr_g.forged", 0), Presented::Unknown);
        assert!(holds_refresh(&grant, "mgr_g.now", 0));
        assert!(!holds_refresh(&grant, "mgr_g.older", 0));
    }
}
