//! Finding a client (registered, or by metadata document) and checking its
//! credentials at the token and revocation endpoints.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;

use super::cimd;
use super::form::Form;
use super::records::{ClientRecord, client_key, load};
use super::{CLIENT_TTL, OAuthError};
use crate::app::App;
use crate::crypto::{same, sha256_hex};
use crate::limits::AddressKey;

/// The client named `client_id`; a metadata document may be fetched for
/// it, which counts against the asking address's limit.
pub async fn find(
    app: &App,
    client_id: &str,
    from: AddressKey,
) -> Result<Option<ClientRecord>, OAuthError> {
    if cimd::is_document_url(client_id) {
        return cimd::client(app, client_id, from).await;
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
    request: &http::Request<bytes::Bytes>,
    form: &Form,
) -> Result<ClientRecord, OAuthError> {
    let headers = request.headers();
    let (client_id, secret) = match basic(headers) {
        Some(pair) => pair,
        None => (
            form.get("client_id")
                .ok_or_else(|| OAuthError::invalid_client("client_id is required"))?
                .to_owned(),
            form.get("client_secret").map(str::to_owned),
        ),
    };
    let client = find(app, &client_id, AddressKey::of_request(request))
        .await?
        .ok_or_else(|| OAuthError::invalid_client("unknown client"))?;
    match (&client.secret_hash, secret) {
        (None, _) => {}
        (Some(hash), Some(secret)) if same(hash, &sha256_hex(&secret)) => {}
        (Some(_), _) => return Err(OAuthError::invalid_client("client authentication failed")),
    }
    Ok(client)
}

/// A registered client in use lives on: a successful token request moves
/// its expiry to [`CLIENT_TTL`] ahead once less than half of that is left —
/// at once for a new client (registered for a day), then about every two
/// weeks. Clients that never get a token still expire within a day.
pub async fn keep_alive(app: &App, client_id: &str) {
    if cimd::is_document_url(client_id) {
        return;
    }
    let now = app.clock.now_ms();
    let key = client_key(client_id);
    let ttl = CLIENT_TTL.as_millis() as i64;
    let Ok(Some(record)) = app.records.get_record(&key, now).await else {
        return;
    };
    if record.expires_at_ms - now > ttl / 2 {
        return;
    }
    if let Err(err) = app
        .records
        .update_record(&key, &record.data, now + ttl, record.version)
        .await
    {
        tracing::debug!(error = %err, "client lifetime not extended");
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
