//! Client ID Metadata Documents: a client_id that is an https URL names a
//! JSON document describing the client. It is fetched through the guarded
//! door (`fetch`: global unicast only, pinned, no redirects, capped) and
//! cached — a stale copy is kept when a refetch fails. A document's client
//! authenticates with `none` (PKCE alone) or `private_key_jwt` (its keys:
//! `jwks`); shared secrets it cannot have.

use serde::{Deserialize, Serialize};

use super::AuthServer;
use super::OAuthError;
use super::cache::{self, FRESH_FOR_MS};
use super::client_name::ClientName;
use super::fetch::{self, FetchError};
use super::jwks::{ClientKeys, KeySource};
use super::jws::{Alg, Jwks};
use super::records::{ClientRecord, load};
use super::redirect::RedirectUri;
use crate::crypto::sha256_hex;
use crate::limits::AddressKey;

/// A document larger than this is refused (an inline JWK Set fits).
const MAX_BYTES: usize = 5 * 1024;

#[derive(Serialize, Deserialize)]
struct Cached {
    client: ClientRecord,
    fetched_at_ms: i64,
}

#[derive(Deserialize)]
struct Document {
    client_id: String,
    client_name: Option<String>,
    client_uri: Option<String>,
    redirect_uris: Vec<String>,
    token_endpoint_auth_method: Option<String>,
    /// Listing `none` beside `private_key_jwt` lets PKCE alone exchange.
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
    token_endpoint_auth_signing_alg: Option<String>,
    jwks_uri: Option<String>,
    jwks: Option<Jwks>,
    scope: Option<String>,
}

/// True when `client_id` is a metadata document URL rather than a registered id.
pub fn is_document_url(client_id: &str) -> bool {
    client_id.starts_with("https://") || client_id.starts_with("http://")
}

pub async fn client(
    server: &AuthServer<'_>,
    url: &str,
    from: AddressKey,
) -> Result<Option<ClientRecord>, OAuthError> {
    let key = format!("cimd#{}", sha256_hex(url));
    let now = server.stores.clock.now_ms();
    let cached = load::<Cached>(server.stores.records, &key, now).await?;
    if let Some(cached) = &cached
        && now - cached.value.fetched_at_ms < FRESH_FOR_MS
    {
        return Ok(Some(cached.value.client.clone()));
    }
    match fetch(server, url, from).await {
        Ok(client) => {
            let entry = Cached {
                client: client.clone(),
                fetched_at_ms: now,
            };
            let stored = cache::keep(server.stores, &key, &entry, cached.as_ref(), now).await;
            if let Err(err) = stored {
                tracing::debug!(error = %err, "client metadata not cached");
            }
            Ok(Some(client))
        }
        Err(FetchError::Refused(err)) => match cached {
            Some(stale) => Ok(Some(stale.value.client)),
            None => Err(err),
        },
        Err(FetchError::Failed(reason)) => {
            tracing::info!(%reason, "client metadata document fetch failed");
            Ok(cached.map(|c| c.value.client))
        }
    }
}

async fn fetch(
    server: &AuthServer<'_>,
    raw: &str,
    from: AddressKey,
) -> Result<ClientRecord, FetchError> {
    fetch::check_url(server, raw).map_err(|e| FetchError::Failed(format!("client_id {e}")))?;
    let body = fetch::get(server, raw, from, MAX_BYTES).await?;
    let document: Document = serde_json::from_slice(&body)
        .map_err(|e| FetchError::Failed(format!("not client metadata: {e}")))?;
    record(server, raw, document).map_err(FetchError::Failed)
}

/// The client a fetched document describes, when it is one we accept.
fn record(server: &AuthServer<'_>, raw: &str, document: Document) -> Result<ClientRecord, String> {
    if document.client_id != raw {
        return Err("the document's client_id differs from its URL".into());
    }
    let redirect_uris = document
        .redirect_uris
        .iter()
        .map(|uri| RedirectUri::parse(uri).map(|u| u.as_str().to_owned()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.description)?;
    let auth_method = document
        .token_endpoint_auth_method
        .clone()
        .unwrap_or_else(|| "none".into());
    let keys = match auth_method.as_str() {
        "none" => None,
        "private_key_jwt" => Some(keys(server, &document)?),
        _ => {
            return Err("a metadata-document client must use token_endpoint_auth_method none or private_key_jwt".into());
        }
    };
    Ok(ClientRecord {
        client_id: raw.to_owned(),
        secret_hash: None,
        auth_method,
        redirect_uris,
        client_name: match document.client_name.as_deref() {
            Some(raw) => ClientName::parse(raw)
                .map_err(|e| e.description)?
                .map(ClientName::into_string),
            None => None,
        },
        client_uri: document.client_uri,
        scope: document.scope,
        issued_at: server.stores.clock.now_secs(),
        keys,
    })
}

/// The keys of a `private_key_jwt` document: a `jwks_uri` or an inline
/// `jwks` (exactly one), and the algorithms it may sign with.
fn keys(server: &AuthServer<'_>, document: &Document) -> Result<ClientKeys, String> {
    let source = match (&document.jwks_uri, &document.jwks) {
        (Some(uri), None) => {
            fetch::check_url(server, uri).map_err(|e| format!("jwks_uri {e}"))?;
            KeySource::Uri(uri.clone())
        }
        (None, Some(jwks)) => KeySource::Inline(jwks.clone()),
        _ => return Err("private_key_jwt needs exactly one of jwks_uri and jwks".into()),
    };
    let algs = match &document.token_endpoint_auth_signing_alg {
        None => Alg::ALL.to_vec(),
        Some(name) => vec![Alg::parse(name).ok_or_else(|| {
            format!("token_endpoint_auth_signing_alg must be one of RS256, ES256, not {name:.20}")
        })?],
    };
    let none_allowed = document
        .token_endpoint_auth_methods_supported
        .as_ref()
        .is_some_and(|methods| methods.iter().any(|m| m == "none"));
    Ok(ClientKeys {
        source,
        algs,
        none_allowed,
    })
}
