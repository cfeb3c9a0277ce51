//! The OAuth server's stored records and how they are keyed. Keys of
//! secret things are SHA-256 hashes; secret values inside are sealed.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::OAuthError;
use crate::crypto::sha256_hex;
use crate::store::RecordStore;
use crate::upstream::Me;

/// A registered client (DCR), or the cached metadata of a CIMD client.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClientRecord {
    pub client_id: String,
    /// SHA-256 of the secret for `client_secret_post`/`client_secret_basic`.
    pub secret_hash: Option<String>,
    pub auth_method: String,
    pub redirect_uris: Vec<String>,
    pub client_name: Option<String>,
    pub client_uri: Option<String>,
    pub scope: Option<String>,
    pub issued_at: i64,
    /// A `private_key_jwt` metadata-document client's keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<super::jwks::ClientKeys>,
}

/// An `/authorize` request waiting for the user to sign in.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingRecord {
    pub client_id: String,
    /// What the page names the client by (`page::ClientShown`).
    pub client_name: String,
    /// Whether that name is proven (a metadata document's host); a record
    /// from before this field shows the name as not verified.
    #[serde(default)]
    pub client_verified: bool,
    pub redirect_uri: String,
    /// The `redirect_uri` exactly as the authorization request gave it;
    /// `None` when it was omitted (then /token may omit it too).
    pub redirect_uri_given: Option<String>,
    pub state: Option<String>,
    pub code_challenge: super::pkce::Challenge,
    pub resource: String,
    pub scope: String,
    pub csrf_hash: String,
}

/// An authorization code: single use, short-lived, bound to its client,
/// redirect URI, PKCE challenge and resource.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CodeRecord {
    pub grant_id: String,
    pub client_id: String,
    /// As the authorization request gave it (RFC 6749 §4.1.3: /token must
    /// send the identical value, or none when the request had none).
    pub redirect_uri_given: Option<String>,
    pub code_challenge: super::pkce::Challenge,
    pub resource: String,
    pub scope: String,
    /// The grant key sealed under a key derived from the code.
    pub wrapped_key: Vec<u8>,
    pub valid_until_ms: i64,
    /// Set when the code is exchanged; a second exchange revokes the grant.
    pub used: bool,
}

/// A grant: what a user's sign-in gave a client, and the upstream token set
/// behind it (sealed under the grant key, which only tokens can unwrap).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GrantRecord {
    pub client_id: String,
    pub scope: String,
    pub resource: String,
    pub me: Me,
    pub upstream: Vec<u8>,
    pub refresh_hash: Option<String>,
    pub refresh_wrapped_key: Option<Vec<u8>>,
    /// The refresh token just rotated out, honoured for a grace window.
    pub previous: Option<PreviousRefresh>,
    /// Hashes of the last `grants::RETIRED_KEPT`
    /// refresh tokens rotated out, oldest first: presenting one is reuse
    /// and revokes the grant; a token that is neither current nor retired
    /// is a forgery and changes nothing. Absent in older records.
    #[serde(default)]
    pub retired: Vec<String>,
    /// Upstream-refresh lease, as for sessions.
    pub lease_until_ms: Option<i64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PreviousRefresh {
    pub hash: String,
    pub until_ms: i64,
    /// The current token pair sealed under a key derived from the previous
    /// refresh token: a client reusing it in the window gets this pair.
    pub handoff: Vec<u8>,
}

/// An access token we issued.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccessRecord {
    pub grant_id: String,
    pub client_id: String,
    pub resource: String,
    pub scope: String,
    pub expires_at_ms: i64,
    /// The grant key sealed under a key derived from the access token.
    pub wrapped_key: Vec<u8>,
}

pub fn client_key(client_id: &str) -> String {
    format!("client#{}", sha256_hex(client_id))
}

pub fn pending_key(request_id: &str) -> String {
    format!("authreq#{}", sha256_hex(request_id))
}

pub fn code_key(code: &str) -> String {
    format!("code#{}", sha256_hex(code))
}

pub fn grant_key(grant_id: &str) -> String {
    format!("grant#{}", sha256_hex(grant_id))
}

pub fn access_key(token: &str) -> String {
    format!("access#{}", sha256_hex(token))
}

/// A typed record with the version its conditional update must name.
#[derive(Clone)]
pub struct Loaded<T> {
    pub value: T,
    pub version: u64,
    pub expires_at_ms: i64,
}

pub async fn load<T: DeserializeOwned>(
    store: &dyn RecordStore,
    key: &str,
    now_ms: i64,
) -> Result<Option<Loaded<T>>, OAuthError> {
    let Some(record) = store.get_record(key, now_ms).await? else {
        return Ok(None);
    };
    let value = serde_json::from_slice(&record.data).map_err(|err| {
        tracing::error!(error = %err, "a stored OAuth record is damaged");
        OAuthError::temporarily_unavailable("a stored record is damaged")
    })?;
    Ok(Some(Loaded {
        value,
        version: record.version,
        expires_at_ms: record.expires_at_ms,
    }))
}

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Our own plain structs always serialise.
    serde_json::to_vec(value).expect("a record serialises")
}
