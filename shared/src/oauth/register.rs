//! `POST /register`: Dynamic Client Registration (RFC 7591). Public clients
//! (`none`) and confidential ones (`client_secret_post`, `_basic`); hosted
//! Claude registers a new client per connection, so a client that never
//! completes a sign-in expires within a day, and registrations are limited
//! per address.

use bytes::Bytes;
use http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AuthServer;
use super::client_name::ClientName;
use super::error::no_store;
use super::metadata::CLIENT_AUTH_METHODS;
use super::records::{ClientRecord, client_key, encode};
use super::redirect::RedirectUri;
use super::{OAuthError, UNUSED_CLIENT_TTL};
use crate::crypto::{random_token, sha256_hex};
use crate::limits::{self, AddressKey};
use crate::web::{Response, reply};

/// The largest registration body we read.
pub const MAX_REGISTRATION_BYTES: usize = 16 * 1024;

#[derive(Deserialize)]
struct Metadata {
    redirect_uris: Option<Vec<String>>,
    token_endpoint_auth_method: Option<String>,
    grant_types: Option<Vec<String>>,
    response_types: Option<Vec<String>>,
    client_name: Option<String>,
    client_uri: Option<String>,
    scope: Option<String>,
}

pub async fn handle(
    server: &AuthServer<'_>,
    request: &http::Request<Bytes>,
) -> Result<Response, OAuthError> {
    OAuthError::limit(
        server,
        &limits::REGISTER,
        AddressKey::of_request(request),
        "registrations",
    )
    .await?;
    let body = request.body();
    if body.len() > MAX_REGISTRATION_BYTES {
        return Err(OAuthError::too_large(format!(
            "registration metadata is limited to {MAX_REGISTRATION_BYTES} bytes"
        )));
    }
    let metadata: Metadata = serde_json::from_slice(body).map_err(|err| {
        OAuthError::invalid_client_metadata(format!("the body is not client metadata JSON: {err}"))
    })?;
    let uris = metadata.redirect_uris.unwrap_or_default();
    if uris.is_empty() {
        return Err(OAuthError::invalid_redirect_uri(
            "redirect_uris must list at least one URI",
        ));
    }
    if uris.len() > 10 {
        return Err(OAuthError::invalid_redirect_uri("at most 10 redirect_uris"));
    }
    let redirect_uris = uris
        .iter()
        .map(|uri| RedirectUri::parse(uri).map(|u| u.as_str().to_owned()))
        .collect::<Result<Vec<_>, _>>()?;
    let auth_method = metadata
        .token_endpoint_auth_method
        .unwrap_or_else(|| "client_secret_basic".into());
    if !CLIENT_AUTH_METHODS.contains(&auth_method.as_str()) {
        return Err(OAuthError::invalid_client_metadata(format!(
            "token_endpoint_auth_method {auth_method:?} is not supported ({})",
            CLIENT_AUTH_METHODS.join(", ")
        )));
    }
    let grant_types = metadata
        .grant_types
        .unwrap_or_else(|| vec!["authorization_code".into(), "refresh_token".into()]);
    if let Some(bad) = grant_types
        .iter()
        .find(|g| !["authorization_code", "refresh_token"].contains(&g.as_str()))
    {
        return Err(OAuthError::invalid_client_metadata(format!(
            "grant type {bad:?} is not supported"
        )));
    }
    if let Some(bad) = metadata
        .response_types
        .unwrap_or_default()
        .iter()
        .find(|r| *r != "code")
    {
        return Err(OAuthError::invalid_client_metadata(format!(
            "response type {bad:?} is not supported"
        )));
    }
    let client_name = match metadata.client_name.as_deref() {
        Some(raw) => ClientName::parse(raw)?.map(ClientName::into_string),
        None => None,
    };
    let client_uri = text_field("client_uri", metadata.client_uri, 500)?;
    let scope = text_field("scope", metadata.scope, 500)?;

    let client_id = random_token("mcc_");
    let secret = (auth_method != "none").then(|| random_token("mcs_"));
    let now = server.stores.clock.now_ms();
    let record = ClientRecord {
        client_id: client_id.clone(),
        secret_hash: secret.as_deref().map(sha256_hex),
        auth_method: auth_method.clone(),
        redirect_uris: redirect_uris.clone(),
        client_name: client_name.clone(),
        client_uri: client_uri.clone(),
        scope: scope.clone(),
        issued_at: now / 1000,
        keys: None,
    };
    // Until a sign-in with it completes; then it lives on (`clients::keep_alive`).
    let ttl = UNUSED_CLIENT_TTL.as_millis() as i64;
    server
        .stores
        .records
        .create_record(&client_key(&client_id), &encode(&record), now + ttl, now)
        .await?;
    tracing::info!(
        client = client_name.as_deref().unwrap_or("unnamed"),
        method = %auth_method,
        "client registered"
    );
    let mut answer = json!({
        "client_id": client_id,
        "client_id_issued_at": now / 1000,
        "redirect_uris": redirect_uris,
        "token_endpoint_auth_method": auth_method,
        "grant_types": grant_types,
        "response_types": ["code"],
    });
    insert(&mut answer, "client_name", client_name);
    insert(&mut answer, "client_uri", client_uri);
    insert(&mut answer, "scope", scope);
    if let Some(secret) = secret {
        answer["client_secret"] = json!(secret);
        answer["client_secret_expires_at"] = json!(0);
    }
    let mut response = reply::json(StatusCode::CREATED, &answer);
    no_store(&mut response);
    Ok(response)
}

fn text_field(name: &str, value: Option<String>, max: usize) -> Result<Option<String>, OAuthError> {
    match value {
        Some(value) if value.chars().count() > max => Err(OAuthError::invalid_client_metadata(
            format!("{name} is longer than {max} characters"),
        )),
        Some(value) if value.chars().any(char::is_control) => Err(
            OAuthError::invalid_client_metadata(format!("{name} contains control characters")),
        ),
        other => Ok(other.filter(|v| !v.trim().is_empty())),
    }
}

fn insert(answer: &mut Value, name: &str, value: Option<String>) {
    if let Some(value) = value {
        answer[name] = json!(value);
    }
}
