//! The one door through which the authorization server fetches anything a
//! client names (metadata documents, JWK Sets): each fetch is counted
//! against the asking address's limit, reaches global unicast addresses
//! only (`ssrf`; the connection is pinned to the checked address, through
//! no proxy), follows no redirect, and is capped in size and time.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use url::Url;

use super::AuthServer;
use super::{OAuthError, ssrf};
use crate::limits::{self, AddressKey};

const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// Why nothing was fetched.
pub enum FetchError {
    /// Over the address's fetch limit (or the limit's store failed).
    Refused(OAuthError),
    /// The fetch was attempted, or refused by the guard: why, for the log.
    Failed(String),
}

/// Whether `url` may be fetched at all: https, or plain http on loopback
/// when `PUBLIC_URL` is itself loopback (local development and tests);
/// never with a fragment or credentials.
pub fn check_url(server: &AuthServer<'_>, raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|_| "not a URL".to_owned())?;
    let allowed_scheme =
        url.scheme() == "https" || (loopback_allowed(server) && url.scheme() == "http");
    if !allowed_scheme || url.fragment().is_some() || !url.username().is_empty() {
        return Err("must be an https URL without fragment or credentials".into());
    }
    Ok(url)
}

fn loopback_allowed(server: &AuthServer<'_>) -> bool {
    server
        .public_url
        .is_some_and(crate::domain::is_loopback_host)
}

/// GETs `raw` for `from`, answering at most `max_bytes` of a 2xx body.
pub async fn get(
    server: &AuthServer<'_>,
    raw: &str,
    from: AddressKey,
    max_bytes: usize,
) -> Result<Vec<u8>, FetchError> {
    // Each outbound fetch costs up to FETCH_TIMEOUT: limited per address.
    OAuthError::limit(server, &limits::METADATA_FETCH, from, "metadata fetches")
        .await
        .map_err(FetchError::Refused)?;
    fetch(server, raw, max_bytes)
        .await
        .map_err(FetchError::Failed)
}

async fn fetch(server: &AuthServer<'_>, raw: &str, max_bytes: usize) -> Result<Vec<u8>, String> {
    let url = check_url(server, raw)?;
    let loopback_allowed = loopback_allowed(server);
    // A loopback PUBLIC_URL may fetch from plain loopback; nothing else
    // that is not global unicast, ever.
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
        .get(url)
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
        if body.len() > max_bytes {
            return Err(format!("larger than {max_bytes} bytes"));
        }
    }
    Ok(body)
}
