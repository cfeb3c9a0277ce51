//! Renewing a session's upstream token without refresh storms. Upstream
//! refresh tokens are single use: if two instances (or two concurrent calls)
//! both refresh with the same one, the second spends a dead token and the
//! upstream may revoke the whole family. So the refresh is guarded by a
//! lease in the session record, taken with a conditional write: one caller
//! refreshes and saves the new pair; the others wait for it and use it.

use std::time::Duration;

use crate::app::App;
use crate::store::{StoreError, Versioned};
use crate::upstream::{TokenSet, UpstreamError};

use super::SessionId;

/// How long a lease holds: longer than one upstream refresh can take.
const LEASE: Duration = Duration::from_secs(20);
/// How often a waiter looks for the lease holder's result.
const POLL: Duration = Duration::from_millis(50);

/// The renewed token set and the session as it now stands.
pub struct Renewed {
    pub tokens: TokenSet,
    pub stored: Versioned,
}

/// Renews the login of session `id` whose access token `stale` was found
/// expired or refused. Spends at most one upstream refresh across all
/// callers holding the same stale token.
pub async fn renew(app: &App, id: &SessionId, stale: &TokenSet) -> Result<Renewed, UpstreamError> {
    let give_up = tokio::time::Instant::now() + LEASE + Duration::from_secs(1);
    loop {
        let now = app.clock.now_ms();
        let current = app
            .store
            .get(id, now)
            .await
            .map_err(storage)?
            .ok_or_else(ended)?;
        let Some(login) = current.record.login.clone() else {
            return Err(ended());
        };
        if login.tokens.access_token != stale.access_token {
            // Someone else renewed it already.
            return Ok(Renewed {
                tokens: login.tokens,
                stored: current,
            });
        }
        let leased = current
            .record
            .refresh_lease_until_ms
            .is_some_and(|until| until > now);
        if leased {
            if tokio::time::Instant::now() >= give_up {
                return Err(UpstreamError::Unavailable(
                    "a token refresh in progress did not finish".into(),
                ));
            }
            tokio::time::sleep(POLL).await;
            continue;
        }
        let mut record = current.record.clone();
        record.refresh_lease_until_ms = Some(now + LEASE.as_millis() as i64);
        match app.store.update(id, &record, current.version).await {
            Ok(held) => return refresh_holding_lease(app, id, held, &login.tokens).await,
            Err(StoreError::Conflict) => continue,
            Err(err) => return Err(storage(err)),
        }
    }
}

async fn refresh_holding_lease(
    app: &App,
    id: &SessionId,
    held: Versioned,
    tokens: &TokenSet,
) -> Result<Renewed, UpstreamError> {
    let refreshed = app.upstream.auth.refresh(tokens).await;
    let mut record = held.record.clone();
    record.refresh_lease_until_ms = None;
    match &refreshed {
        Ok(grant) => {
            if let Some(login) = record.login.as_mut() {
                login.tokens = grant.tokens.clone();
            }
        }
        // The refresh token is dead: the login is over.
        Err(UpstreamError::Unauthorized(_)) => record.login = None,
        Err(_) => {}
    }
    let saved = save_holding_lease(app, id, held.version, record, tokens).await;
    let grant = refreshed?;
    let stored = saved.map_err(|err| {
        tracing::warn!(error = %err, "renewed token could not be saved");
        storage(err)
    })?;
    Ok(Renewed {
        tokens: grant.tokens,
        stored,
    })
}

/// Saves the lease holder's result. Another request may have written the
/// session meanwhile (a touch, say): re-read and re-apply while the stored
/// login is still the one we renewed, so the new tokens are never lost.
async fn save_holding_lease(
    app: &App,
    id: &SessionId,
    version: u64,
    record: crate::session::SessionRecord,
    renewed_from: &TokenSet,
) -> Result<Versioned, StoreError> {
    let mut attempt = (version, record);
    for _ in 0..5 {
        match app.store.update(id, &attempt.1, attempt.0).await {
            Err(StoreError::Conflict) => {}
            other => return other,
        }
        let fresh = app
            .store
            .get(id, app.clock.now_ms())
            .await?
            .ok_or(StoreError::Conflict)?;
        let still_ours = fresh
            .record
            .login
            .as_ref()
            .is_some_and(|login| login.tokens.access_token == renewed_from.access_token);
        if !still_ours {
            // Logged out or replaced meanwhile: leave it be.
            return Ok(fresh);
        }
        let mut merged = fresh.record.clone();
        merged.login = attempt.1.login.clone();
        merged.refresh_lease_until_ms = None;
        attempt = (fresh.version, merged);
    }
    Err(StoreError::Conflict)
}

fn ended() -> UpstreamError {
    UpstreamError::Unauthorized("the session's login ended".into())
}

fn storage(err: StoreError) -> UpstreamError {
    UpstreamError::Unavailable(format!("session storage: {err}"))
}
