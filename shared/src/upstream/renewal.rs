//! Renewing a stored upstream token set without refresh storms. Upstream
//! refresh tokens are single use: if two instances (or two concurrent calls)
//! refresh with the same one, the second spends a dead token and the
//! upstream may revoke the whole family. So a refresh is guarded by a lease
//! in the record that holds the tokens, taken with a conditional write: one
//! caller refreshes and stores the new pair; the others wait and use it.
//! Sessions and OAuth grants hold tokens; each is a [`TokenHome`].

use std::time::Duration;

use async_trait::async_trait;

use super::{AuthClient, TokenSet, UpstreamError};
use crate::clock::Clock;

/// How long a lease holds: longer than one upstream refresh can take.
const LEASE: Duration = Duration::from_secs(20);
/// How often a waiter looks for the lease holder's result.
const POLL: Duration = Duration::from_millis(50);

/// The tokens as stored, with their lease and version.
pub struct Held {
    pub tokens: TokenSet,
    pub leased_until_ms: Option<i64>,
    pub version: u64,
}

/// What to write into the record.
#[derive(Clone, Copy)]
pub enum Write<'a> {
    /// Take the lease until this instant (Unix ms).
    Lease(i64),
    /// The refresh worked: store these tokens, drop the lease.
    Renewed(&'a TokenSet),
    /// The refresh token is dead: the login is over.
    Dead,
    /// The refresh failed for now: just drop the lease.
    Release,
}

/// A record that holds a token set: a session, a grant.
#[async_trait]
pub trait TokenHome: Send + Sync {
    /// The stored tokens; `Unauthorized` when the login is gone.
    async fn load(&self) -> Result<Held, UpstreamError>;

    /// Writes if the stored version is still `version`; the new version, or
    /// `None` when another writer got there first.
    async fn write(&self, version: u64, write: Write<'_>) -> Result<Option<u64>, UpstreamError>;
}

/// Renews the tokens of `home` whose access token `stale` was found expired
/// or refused. Spends at most one upstream refresh across all callers
/// holding the same stale token, on any instance.
pub async fn renew(
    home: &dyn TokenHome,
    auth: &AuthClient,
    clock: &dyn Clock,
    stale: &TokenSet,
) -> Result<TokenSet, UpstreamError> {
    let give_up = tokio::time::Instant::now() + LEASE + Duration::from_secs(1);
    loop {
        let now = clock.now_ms();
        let held = home.load().await?;
        if held.tokens.access_token != stale.access_token {
            // Someone else renewed it already.
            return Ok(held.tokens);
        }
        if held.leased_until_ms.is_some_and(|until| until > now) {
            if tokio::time::Instant::now() >= give_up {
                return Err(UpstreamError::Unavailable(
                    "a token refresh in progress did not finish".into(),
                ));
            }
            tokio::time::sleep(POLL).await;
            continue;
        }
        let until = now + LEASE.as_millis() as i64;
        let Some(version) = home.write(held.version, Write::Lease(until)).await? else {
            continue;
        };
        let outcome = auth.refresh(&held.tokens).await.map(|grant| grant.tokens);
        let write = match &outcome {
            Ok(tokens) => Write::Renewed(tokens),
            Err(UpstreamError::Unauthorized(_)) => Write::Dead,
            Err(_) => Write::Release,
        };
        settle(home, version, stale, write).await?;
        return outcome;
    }
}

/// Stores the lease holder's result. Another writer may have changed the
/// record meanwhile (a session touch, a token rotation): re-read and write
/// again while the record still holds the tokens we renewed, so the new
/// pair is never lost.
async fn settle(
    home: &dyn TokenHome,
    mut version: u64,
    stale: &TokenSet,
    write: Write<'_>,
) -> Result<(), UpstreamError> {
    for _ in 0..5 {
        if home.write(version, write).await?.is_some() {
            return Ok(());
        }
        let held = match home.load().await {
            Ok(held) => held,
            // Gone meanwhile (logged out, revoked): nothing to store.
            Err(UpstreamError::Unauthorized(_)) => return Ok(()),
            Err(err) => return Err(err),
        };
        if held.tokens.access_token != stale.access_token {
            return Ok(());
        }
        version = held.version;
    }
    Err(UpstreamError::Unavailable(
        "the renewed token could not be saved".into(),
    ))
}
