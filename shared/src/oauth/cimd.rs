//! Client ID Metadata Documents: a client_id that is an https URL names a
//! JSON document describing the client. Fetching it is an SSRF door, so
//! the host must resolve to global unicast addresses only (`ssrf`; the
//! connection is pinned to the checked address, through no proxy), the body
//! is capped, redirects are not followed,
//! and the answer is cached — a stale copy is kept when a refetch fails.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use super::OAuthError;
use super::client_name::ClientName;
use super::records::{ClientRecord, encode, load};
use super::redirect::RedirectUri;
use super::ssrf;
use crate::app::App;
use crate::crypto::sha256_hex;
use crate::limits::{self, AddressKey};

const MAX_BYTES: usize = 5 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Refetch a cached document after an hour; keep a copy for a week.
const FRESH_FOR_MS: i64 = 60 * 60 * 1000;
const KEEP_FOR_MS: i64 = 7 * 24 * 60 * 60 * 1000;

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
    scope: Option<String>,
}

/// True when `client_id` is a metadata document URL rather than a registered id.
pub fn is_document_url(client_id: &str) -> bool {
    client_id.starts_with("https://") || client_id.starts_with("http://")
}

pub async fn client(
    app: &App,
    url: &str,
    from: AddressKey,
) -> Result<Option<ClientRecord>, OAuthError> {
    let key = format!("cimd#{}", sha256_hex(url));
    let now = app.clock.now_ms();
    let cached = load::<Cached>(app.records.as_ref(), &key, now).await?;
    if let Some(cached) = &cached
        && now - cached.value.fetched_at_ms < FRESH_FOR_MS
    {
        return Ok(Some(cached.value.client.clone()));
    }
    // Each outbound fetch costs up to FETCH_TIMEOUT: limited per address.
    if let Err(err) =
        OAuthError::limit(app, &limits::METADATA_FETCH, from, "metadata fetches").await
    {
        return match cached {
            Some(stale) => Ok(Some(stale.value.client)),
            None => Err(err),
        };
    }
    match fetch(app, url).await {
        Ok(client) => {
            let entry = Cached {
                client: client.clone(),
                fetched_at_ms: now,
            };
            let data = encode(&entry);
            let stored = match &cached {
                Some(old) => app
                    .records
                    .update_record(&key, &data, now + KEEP_FOR_MS, old.version)
                    .await
                    .map(|_| ()),
                None => {
                    app.records
                        .create_record(&key, &data, now + KEEP_FOR_MS, now)
                        .await
                }
            };
            if let Err(err) = stored {
                tracing::debug!(error = %err, "client metadata not cached");
            }
            Ok(Some(client))
        }
        Err(reason) => {
            tracing::info!(%reason, "client metadata document fetch failed");
            Ok(cached.map(|c| c.value.client))
        }
    }
}

async fn fetch(app: &App, raw: &str) -> Result<ClientRecord, String> {
    let url = Url::parse(raw).map_err(|_| "not a URL".to_owned())?;
    let loopback_allowed = app
        .config
        .public_url
        .as_ref()
        .is_some_and(crate::config::is_loopback_host);
    let allowed_scheme = url.scheme() == "https" || (loopback_allowed && url.scheme() == "http");
    if !allowed_scheme || url.fragment().is_some() || !url.username().is_empty() {
        return Err("client_id must be an https URL without fragment or credentials".into());
    }
    // A loopback PUBLIC_URL (local development and tests) may fetch from
    // plain loopback; nothing else that is not global unicast, ever.
    let reachable = |ip: IpAddr| {
        ssrf::is_global(ip)
            || (loopback_allowed && matches!(ip, IpAddr::V4(v4) if v4.is_loopback()))
            || (loopback_allowed && ip == IpAddr::V6(std::net::Ipv6Addr::LOCALHOST))
    };
    let host = url.host_str().ok_or("no host")?.to_owned();
    let port = url.port_or_known_default().ok_or("no port")?;
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|_| "host does not resolve".to_owned())?
        .collect();
    let address = addresses
        .iter()
        .copied()
        .find(|a| reachable(a.ip()))
        .filter(|_| addresses.iter().all(|a| reachable(a.ip())))
        .ok_or("host resolves to an address that is not global unicast")?;
    let http = crate::tls::reqwest_builder()
        .timeout(FETCH_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        // A proxy would connect wherever it resolves the host, undoing
        // the pinning to the checked address.
        .no_proxy()
        .resolve(&host, address)
        .build()
        .map_err(|_| "no HTTP client".to_owned())?;
    let mut response = http
        .get(url.clone())
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|_| "fetch failed".to_owned())?;
    if !response.status().is_success() {
        return Err(format!("answered {}", response.status().as_u16()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|_| "read failed".to_owned())?
    {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BYTES {
            return Err("document larger than 5 KB".into());
        }
    }
    let document: Document =
        serde_json::from_slice(&body).map_err(|e| format!("not client metadata: {e}"))?;
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
        .unwrap_or_else(|| "none".into());
    if auth_method != "none" {
        return Err("a metadata-document client must use token_endpoint_auth_method none".into());
    }
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
        issued_at: app.clock.now_secs(),
    })
}
