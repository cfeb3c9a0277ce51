//! Finding a client (registered, or by metadata document) and checking its
//! credentials at the token and revocation endpoints — one check for both.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;

use super::AuthServer;
use super::form::Form;
use super::jws::Parsed;
use super::records::{ClientRecord, client_key, load};
use super::{CLIENT_TTL, OAuthError, assertion, cimd, jwks, metadata};
use crate::crypto::{same, sha256_hex};
use crate::limits::AddressKey;

/// The client named `client_id`; a metadata document may be fetched for
/// it, which counts against the asking address's limit.
pub async fn find(
    server: &AuthServer<'_>,
    client_id: &str,
    from: AddressKey,
) -> Result<Option<ClientRecord>, OAuthError> {
    if cimd::is_document_url(client_id) {
        return cimd::client(server, client_id, from).await;
    }
    let now = server.stores.clock.now_ms();
    Ok(
        load::<ClientRecord>(server.stores.records, &client_key(client_id), now)
            .await?
            .map(|loaded| loaded.value),
    )
}

/// The form of a token or revocation request and the client it
/// authenticates ([`authenticate`]): what both endpoints read first.
pub async fn read_request(
    server: &AuthServer<'_>,
    request: &http::Request<bytes::Bytes>,
) -> Result<(Form, ClientRecord), OAuthError> {
    let form = Form::parse(request.body())?;
    let client = authenticate(server, request, &form).await?;
    Ok((form, client))
}

/// Authenticates the client of a token or revocation request: a signed
/// `client_assertion` (`private_key_jwt`), HTTP Basic, `client_secret` in
/// the form, or (public clients) `client_id` alone. A presented assertion
/// must verify — a failure is never downgraded to `none`.
pub async fn authenticate(
    server: &AuthServer<'_>,
    request: &http::Request<bytes::Bytes>,
    form: &Form,
) -> Result<ClientRecord, OAuthError> {
    let headers = request.headers();
    if let Some(token) = form.get("client_assertion") {
        if basic(headers).is_some() || form.get("client_secret").is_some() {
            return Err(OAuthError::invalid_request(
                "use one client authentication method, not several",
            ));
        }
        return by_assertion(server, request, form, token).await;
    }
    if form.get("client_assertion_type").is_some() {
        return Err(OAuthError::invalid_request(
            "client_assertion_type without client_assertion",
        ));
    }
    let (client_id, secret) = match basic(headers) {
        Some(pair) => pair,
        None => (
            form.get("client_id")
                .ok_or_else(|| OAuthError::invalid_client("client_id is required"))?
                .to_owned(),
            form.get("client_secret").map(str::to_owned),
        ),
    };
    let client = find(server, &client_id, AddressKey::of_request(request))
        .await?
        .ok_or_else(|| OAuthError::invalid_client("unknown client"))?;
    match (&client.secret_hash, secret) {
        (None, _) => {}
        (Some(hash), Some(secret)) if same(hash, &sha256_hex(&secret)) => {}
        (Some(_), _) => return Err(OAuthError::invalid_client("client authentication failed")),
    }
    if client.keys.as_ref().is_some_and(|keys| !keys.none_allowed) {
        return Err(OAuthError::invalid_client(
            "this client authenticates with private_key_jwt: client_assertion is required",
        ));
    }
    Ok(client)
}

/// `private_key_jwt` (RFC 7523 §2.2): the client named by the form, or by
/// the assertion's issuer, signed this assertion for us just now.
async fn by_assertion(
    server: &AuthServer<'_>,
    request: &http::Request<bytes::Bytes>,
    form: &Form,
    token: &str,
) -> Result<ClientRecord, OAuthError> {
    if form.get("client_assertion_type") != Some(assertion::ASSERTION_TYPE) {
        return Err(OAuthError::invalid_client(format!(
            "client_assertion_type must be {}",
            assertion::ASSERTION_TYPE
        )));
    }
    let parsed = Parsed::parse(token)
        .map_err(|err| OAuthError::invalid_client(format!("client assertion refused: {err}")))?;
    let client_id = match form.get("client_id") {
        Some(id) => id.to_owned(),
        None => assertion::issuer_of(parsed.unverified_payload()).ok_or_else(|| {
            OAuthError::invalid_client("client assertion refused: it names no issuer")
        })?,
    };
    let from = AddressKey::of_request(request);
    let client = find(server, &client_id, from)
        .await?
        .ok_or_else(|| OAuthError::invalid_client("unknown client"))?;
    let Some(keys) = &client.keys else {
        return Err(OAuthError::invalid_client(
            "this client has no keys to verify a client assertion with",
        ));
    };
    let payload = jwks::verify(server, &client.client_id, keys, &parsed, from).await?;
    let claims = assertion::check(
        payload,
        &client.client_id,
        &audiences(server, request),
        server.stores.clock.now_secs(),
    )?;
    assertion::spend(server, &client.client_id, &claims).await?;
    Ok(client)
}

/// What an assertion's `aud` may name: our issuer, our token endpoint, or
/// the endpoint it is presented to.
fn audiences(server: &AuthServer<'_>, request: &http::Request<bytes::Bytes>) -> Vec<String> {
    let Some(public_url) = server.public_url else {
        return Vec::new();
    };
    let issuer = metadata::issuer(public_url);
    vec![
        format!("{issuer}/token"),
        format!("{issuer}{}", request.uri().path()),
        issuer,
    ]
}

/// A registered client in use lives on: a successful token request moves
/// its expiry to [`CLIENT_TTL`] ahead once less than half of that is left —
/// at once for a new client (registered for a day), then about every two
/// weeks. Clients that never get a token still expire within a day.
pub async fn keep_alive(server: &AuthServer<'_>, client_id: &str) {
    if cimd::is_document_url(client_id) {
        return;
    }
    let now = server.stores.clock.now_ms();
    let key = client_key(client_id);
    let ttl = CLIENT_TTL.as_millis() as i64;
    let Ok(Some(record)) = server.stores.records.get_record(&key, now).await else {
        return;
    };
    if record.expires_at_ms - now > ttl / 2 {
        return;
    }
    if let Err(err) = server
        .stores
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
