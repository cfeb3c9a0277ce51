//! Token lifecycle: use the access token, refresh it once when it is expired
//! or refused, and hand any new token set back for the caller to persist.

use super::{TokenSet, UpstreamError};
use crate::domain::Secret;

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
