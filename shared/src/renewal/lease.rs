//! Renewing a stored upstream token set without refresh storms. Upstream
//! refresh tokens are single use: if two instances (or two concurrent calls)
//! refresh with the same one, the second spends a dead token and the
//! upstream may revoke the whole family. So a refresh is guarded by a lease
//! in the record that holds the tokens, taken with a conditional write: one
//! caller refreshes and stores the new pair; the others wait and use it.
//! Sessions and OAuth grants hold tokens; each is a [`Home`] over its
//! [`Keeper`](super::Keeper).

use std::time::Duration;

use super::home::{Home, Keeper, Write};
use crate::clock::Clock;
use crate::upstream::{AuthClient, TokenSet, UpstreamError};

/// How long a lease holds: longer than one upstream refresh can take.
const LEASE: Duration = Duration::from_secs(20);
/// How often a waiter looks for the lease holder's result.
const POLL: Duration = Duration::from_millis(50);
/// How long the lease holder keeps trying to store its result through
/// storage faults (beyond the store's own retries). A renewed pair that is
/// not stored is lost with the spent refresh token, and the lease keeps
/// anyone from replaying that token before it ends (20 s, longer than the
/// upstream's reuse window): the login would end. So the pair is worth a
/// few seconds of the call, well inside the function's deadline.
const SAVE_PATIENCE: Duration = Duration::from_secs(8);
/// The first pause between two tries of storing the result; doubles.
const SAVE_PAUSE: Duration = Duration::from_millis(100);
/// Lost races (another writer changed the record) before giving up.
const SAVE_RACES: u32 = 5;

/// Renews the tokens of `home` whose access token `stale` was found expired
/// or refused. Spends at most one upstream refresh across all callers
/// holding the same stale token, on any instance.
pub async fn renew<K: Keeper>(
    home: &Home<K>,
    auth: &AuthClient,
    clock: &dyn Clock,
    stale: &TokenSet,
) -> Result<TokenSet, UpstreamError> {
    let give_up = tokio::time::Instant::now() + LEASE + Duration::from_secs(1);
    let mut stale = stale.clone();
    loop {
        let now = clock.now_ms();
        let held = home.load().await?;
        if held.tokens.access_token != stale.access_token {
            if !held.tokens.is_expired_at(now / 1000) || !held.tokens.can_refresh() {
                // Someone else renewed it already.
                return Ok(held.tokens);
            }
            // Someone else renewed it, so long ago (this call queued) that
            // that token has expired too: renew the stored one.
            stale = held.tokens.clone();
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
        settle(home, version, &stale, write).await?;
        return outcome;
    }
}

/// Stores the lease holder's result. Another writer may have changed the
/// record meanwhile (a session touch, a token rotation): re-read and write
/// again while the record still holds the tokens we renewed, so the new
/// pair is never lost. A storage fault is tried again, with growing pauses,
/// for [`SAVE_PATIENCE`] when the result is a renewed pair.
async fn settle<K: Keeper>(
    home: &Home<K>,
    mut version: u64,
    stale: &TokenSet,
    write: Write<'_>,
) -> Result<(), UpstreamError> {
    // Only a renewed pair is worth the wait; an unreleased lease just ends.
    let patience = tokio::time::Instant::now()
        + match write {
            Write::Renewed(_) => SAVE_PATIENCE,
            _ => Duration::ZERO,
        };
    let mut pause = SAVE_PAUSE;
    let mut races = 0;
    loop {
        let fault = match home.write(version, write).await {
            Ok(Some(_)) => return Ok(()),
            Ok(None) => match home.load().await {
                // Gone meanwhile (logged out, revoked): nothing to store.
                Err(UpstreamError::Unauthorized(_)) => return Ok(()),
                Ok(held) if held.tokens.access_token != stale.access_token => return Ok(()),
                Ok(held) => {
                    races += 1;
                    if races == SAVE_RACES {
                        return Err(UpstreamError::Unavailable(
                            "the renewed token could not be saved".into(),
                        ));
                    }
                    version = held.version;
                    continue;
                }
                Err(fault) => fault,
            },
            // The write may have landed with its answer lost: the next try
            // then meets a changed version and re-reads.
            Err(fault) => fault,
        };
        if tokio::time::Instant::now() + pause > patience {
            tracing::warn!(error = %fault, "could not store the result of a token refresh");
            return Err(fault);
        }
        tokio::time::sleep(pause).await;
        pause *= 2;
    }
}
