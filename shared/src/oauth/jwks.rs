//! A `private_key_jwt` client's keys: the JWK Set its metadata document
//! gives inline, or the one at its `jwks_uri` — fetched through the guarded
//! door (`fetch`) and cached in the shared store like the document. An
//! assertion naming a key the cached set lacks (the client rotated keys)
//! refetches the set, at most once per [`REFETCH_AFTER_MS`] per client: key
//! rotation works, a flood of made-up `kid`s costs no fetch each.

use serde::{Deserialize, Serialize};

use super::AuthServer;
use super::OAuthError;
use super::cache::{self, FRESH_FOR_MS};
use super::fetch::{self, FetchError};
use super::jws::{Alg, Jwks, JwsError, Parsed};
use super::records::{Loaded, load};
use crate::crypto::sha256_hex;
use crate::limits::AddressKey;

/// A JWK Set larger than this is refused (a set of a few RSA keys is 2 KB).
pub const MAX_BYTES: usize = 16 * 1024;
/// At most one fetch of a client's set this often, whatever is asked.
pub const REFETCH_AFTER_MS: i64 = 5 * 60 * 1000;

/// Where a client's verification keys come from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum KeySource {
    Uri(String),
    Inline(Jwks),
}

/// How a `private_key_jwt` client proves itself at `/token` and `/revoke`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClientKeys {
    pub source: KeySource,
    /// Our algorithms, narrowed by the document's
    /// `token_endpoint_auth_signing_alg` when it names one.
    pub algs: Vec<Alg>,
    /// The document also lists `none`: PKCE alone may exchange.
    pub none_allowed: bool,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    jwks: Jwks,
    /// When `jwks` was fetched.
    fetched_at_ms: i64,
    /// When a fetch was last tried (successful or not).
    tried_at_ms: i64,
}

/// The payload of `token`, verified under one of `client_id`'s keys.
pub async fn verify<'a>(
    server: &AuthServer<'_>,
    client_id: &str,
    keys: &ClientKeys,
    token: &'a Parsed<'a>,
    from: AddressKey,
) -> Result<&'a [u8], OAuthError> {
    let uri = match &keys.source {
        KeySource::Inline(jwks) => return token.verify(jwks, &keys.algs).map_err(refused),
        KeySource::Uri(uri) => uri,
    };
    // Keyed by the URI too: a document that moves its keys is not
    // answered with the old set.
    let key = format!("jwks#{}", sha256_hex(&format!("{client_id}\n{uri}")));
    let now = server.stores.clock.now_ms();
    let cached = load::<Cached>(server.stores.records, &key, now).await?;
    let jwks = match &cached {
        Some(c)
            if now - c.value.fetched_at_ms < FRESH_FOR_MS
                || now - c.value.tried_at_ms < REFETCH_AFTER_MS =>
        {
            c.value.jwks.clone()
        }
        _ => refresh(server, &key, uri, cached, from).await?,
    };
    match token.verify(&jwks, &keys.algs) {
        Err(JwsError::NoKey) => {}
        other => return other.map_err(refused),
    }
    // Perhaps a key rotated in since: look again, unless someone just did.
    let latest = load::<Cached>(server.stores.records, &key, now).await?;
    if latest
        .as_ref()
        .is_some_and(|c| now - c.value.tried_at_ms < REFETCH_AFTER_MS)
    {
        return Err(refused(JwsError::NoKey));
    }
    let jwks = refresh(server, &key, uri, latest, from).await?;
    token.verify(&jwks, &keys.algs).map_err(refused)
}

fn refused(err: JwsError) -> OAuthError {
    OAuthError::invalid_client(format!("client assertion refused: {err}"))
}

/// Fetches the set at `uri` and caches it; on failure, the stale copy.
async fn refresh(
    server: &AuthServer<'_>,
    key: &str,
    uri: &str,
    cached: Option<Loaded<Cached>>,
    from: AddressKey,
) -> Result<Jwks, OAuthError> {
    let now = server.stores.clock.now_ms();
    let fetched = match fetch::get(server, uri, from, MAX_BYTES).await {
        Ok(body) => {
            serde_json::from_slice::<Jwks>(&body).map_err(|e| format!("not a JWK Set: {e}"))
        }
        Err(FetchError::Refused(err)) => {
            return match cached {
                Some(stale) => Ok(stale.value.jwks),
                None => Err(err),
            };
        }
        Err(FetchError::Failed(reason)) => Err(reason),
    };
    let (entry, answer) = match (fetched, cached.as_ref()) {
        (Ok(jwks), _) => (
            Cached {
                jwks: jwks.clone(),
                fetched_at_ms: now,
                tried_at_ms: now,
            },
            jwks,
        ),
        (Err(reason), Some(stale)) => {
            tracing::info!(%reason, "client JWK Set fetch failed; the cached set is used");
            let jwks = stale.value.jwks.clone();
            (
                Cached {
                    jwks: jwks.clone(),
                    fetched_at_ms: stale.value.fetched_at_ms,
                    tried_at_ms: now,
                },
                jwks,
            )
        }
        (Err(reason), None) => {
            tracing::info!(%reason, "client JWK Set fetch failed");
            return Err(OAuthError::invalid_client(
                "the client's JWK Set could not be fetched",
            ));
        }
    };
    let stored = cache::keep(server.stores, key, &entry, cached.as_ref(), now).await;
    if let Err(err) = stored {
        tracing::debug!(error = %err, "client JWK Set not cached");
    }
    Ok(answer)
}
