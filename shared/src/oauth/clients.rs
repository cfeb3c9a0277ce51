//! Finding a client (registered, or by metadata document) and checking its
//! credentials at the token and revocation endpoints.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;

use super::OAuthError;
use super::cimd;
use super::form::Form;
use super::records::{ClientRecord, client_key, load};
use crate::app::App;
use crate::crypto::{same, sha256_hex};

pub async fn find(app: &App, client_id: &str) -> Result<Option<ClientRecord>, OAuthError> {
    if cimd::is_document_url(client_id) {
        return cimd::client(app, client_id).await;
    }
    let now = app.clock.now_ms();
    Ok(
        load::<ClientRecord>(app.records.as_ref(), &client_key(client_id), now)
            .await?
            .map(|loaded| loaded.value),
    )
}

/// Authenticates the client of a token or revocation request: HTTP Basic,
/// `client_secret` in the form, or (public clients) `client_id` alone.
pub async fn authenticate(
    app: &App,
    headers: &HeaderMap,
    form: &Form,
) -> Result<ClientRecord, OAuthError> {
    let (client_id, secret) = match basic(headers) {
        Some(pair) => pair,
        None => (
            form.get("client_id")
                .ok_or_else(|| OAuthError::invalid_client("client_id is required"))?
                .to_owned(),
            form.get("client_secret").map(str::to_owned),
        ),
    };
    let client = find(app, &client_id)
        .await?
        .ok_or_else(|| OAuthError::invalid_client("unknown client"))?;
    match (&client.secret_hash, secret) {
        (None, _) => Ok(client),
        (Some(hash), Some(secret)) if same(hash, &sha256_hex(&secret)) => Ok(client),
        (Some(_), _) => Err(OAuthError::invalid_client("client authentication failed")),
    }
}

fn basic(headers: &HeaderMap) -> Option<(String, Option<String>)> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((decode(id)?, decode(secret)))
}
