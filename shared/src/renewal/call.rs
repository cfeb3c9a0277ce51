//! The call side of renewal: use the access token, refresh it once when it
//! is expired or refused, and hand any new token set back for the caller to
//! persist; and one read through a token home, which does that persisting.

use super::home::{Home, Keeper};
use super::lease::renew;
use crate::clock::Clock;
use crate::domain::Secret;
use crate::upstream::{AuthClient, TokenSet, UpstreamError};

/// The result of a call plus the token set minted on the way, if any. The
/// renewed set must be persisted even when the call itself failed: the old
/// refresh token has been spent.
#[derive(Debug)]
pub struct Outcome<T> {
    pub result: Result<T, UpstreamError>,
    pub renewed: Option<TokenSet>,
}

/// Runs `call` with a usable access token.
///
/// A token known to be expired at `now` is refreshed before the call (saving
/// a 401 round trip); a 401 on the call refreshes once and retries once. At
/// most one `refresh` per invocation. `refresh` is a parameter so the session
/// layer can coordinate refreshes across instances.
pub async fn with_fresh_token<T, R, C>(
    tokens: &TokenSet,
    now: i64,
    refresh: impl FnOnce(TokenSet) -> R,
    call: impl Fn(Secret) -> C,
) -> Outcome<T>
where
    R: Future<Output = Result<TokenSet, UpstreamError>>,
    C: Future<Output = Result<T, UpstreamError>>,
{
    let refresh_first = tokens.is_expired_at(now) && tokens.can_refresh();
    if !refresh_first {
        match call(tokens.access_token.clone()).await {
            Err(UpstreamError::Unauthorized(_)) if tokens.can_refresh() => {}
            result => {
                return Outcome {
                    result,
                    renewed: None,
                };
            }
        }
    }
    match refresh(tokens.clone()).await {
        Ok(renewed) => Outcome {
            result: call(renewed.access_token.clone()).await,
            renewed: Some(renewed),
        },
        Err(err) => Outcome {
            result: Err(err),
            renewed: None,
        },
    }
}

/// One read with `tokens`, renewing them through `home` when needed.
pub async fn read<K: Keeper, T, F>(
    home: &Home<K>,
    tokens: &TokenSet,
    auth: &AuthClient,
    clock: &dyn Clock,
    fetch: impl Fn(Secret) -> F,
) -> Result<T, UpstreamError>
where
    F: Future<Output = Result<T, UpstreamError>>,
{
    let outcome = with_fresh_token(
        tokens,
        clock.now_secs(),
        |stale| async move { renew(home, auth, clock, &stale).await },
        fetch,
    )
    .await;
    match outcome.result {
        // The renewal worked, so the login holds; the token it gave was
        // refused all the same (expired on the way, or the login ended
        // upstream just now: the next renewal tells).
        Err(UpstreamError::Unauthorized(_)) if outcome.renewed.is_some() => {
            Err(UpstreamError::RenewedTokenRefused)
        }
        result => result,
    }
}
