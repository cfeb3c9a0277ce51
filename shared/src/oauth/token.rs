//! `POST /token`: the authorization-code and refresh-token grants.

use bytes::Bytes;
use http::StatusCode;
use serde_json::json;

use super::AuthServer;
use super::error::no_store;
use super::form::Form;
use super::grants::{self, Pair, Presented};
use super::records::{CodeRecord, GrantRecord, Loaded, code_key, encode, grant_key, load};
use super::{OAuthError, clients, metadata};
use crate::crypto::{derive_key, open};

use crate::web::{Response, reply};

pub async fn handle(
    server: &AuthServer<'_>,
    request: &http::Request<Bytes>,
) -> Result<Response, OAuthError> {
    let (form, client) = clients::read_request(server, request).await?;
    let pair = match form.require("grant_type")? {
        "authorization_code" => exchange_code(server, &client.client_id, &form).await?,
        "refresh_token" => refresh(server, &client.client_id, &form).await?,
        other => {
            return Err(OAuthError::unsupported_grant_type(format!(
                "grant_type {other:?} is not supported"
            )));
        }
    };
    clients::keep_alive(server, &client.client_id).await;
    let mut response = reply::json(
        StatusCode::OK,
        &json!({
            "access_token": pair.access_token,
            "token_type": "Bearer",
            "expires_in": pair.expires_in,
            "refresh_token": pair.refresh_token,
            "scope": pair.scope,
        }),
    );
    no_store(&mut response);
    Ok(response)
}

/// Failed exchanges a code survives: a wrong client, redirect URI, PKCE
/// verifier or resource does not burn it (whoever merely saw a code must
/// not be able to cancel the user's sign-in), but guessing is cut short.
pub const CODE_FAILURES_ALLOWED: u64 = 3;

async fn exchange_code(
    server: &AuthServer<'_>,
    client_id: &str,
    form: &Form,
) -> Result<Pair, OAuthError> {
    let code = form.require("code")?;
    let key_name = code_key(code);
    let now = server.stores.clock.now_ms();
    let Some(loaded) = load::<CodeRecord>(server.stores.records, &key_name, now).await? else {
        return Err(OAuthError::invalid_grant(
            "unknown or expired authorization code",
        ));
    };
    let record = &loaded.value;
    if let Err(err) = check_code(server, record, client_id, form, now) {
        if !record.used {
            count_failure(server, &key_name, record, loaded.expires_at_ms, now).await?;
        }
        return Err(err);
    }
    // Single use, atomically: of two exchanges that pass every check, one
    // wins; the other is a replay and revokes what the code issued.
    let mut used = record.clone();
    used.used = true;
    let replayed = record.used
        || match server
            .stores
            .records
            .update_record(
                &key_name,
                &encode(&used),
                loaded.expires_at_ms,
                loaded.version,
            )
            .await
        {
            Ok(_) => false,
            Err(crate::store::StoreError::Conflict) => true,
            Err(err) => return Err(err.into()),
        };
    if replayed {
        grants::revoke(server.stores, &record.grant_id).await?;
        return Err(OAuthError::invalid_grant(
            "authorization code already used; the tokens it issued are revoked",
        ));
    }
    let key = grants::unwrap("code", code, &key_name, &record.wrapped_key)
        .ok_or_else(|| OAuthError::invalid_grant("authorization code is damaged"))?;
    let Some(grant) = grants::load_grant(server.stores, &record.grant_id).await? else {
        return Err(OAuthError::invalid_grant("the grant was revoked"));
    };
    grants::issue(server, &record.grant_id, &key, &grant, None)
        .await?
        .ok_or_else(|| OAuthError::invalid_grant("the grant changed concurrently; start again"))
}

/// Everything an exchange must match, checked before the code is touched.
fn check_code(
    server: &AuthServer<'_>,
    record: &CodeRecord,
    client_id: &str,
    form: &Form,
    now: i64,
) -> Result<(), OAuthError> {
    if now > record.valid_until_ms {
        return Err(OAuthError::invalid_grant("authorization code expired"));
    }
    if record.client_id != client_id {
        return Err(OAuthError::invalid_grant(
            "authorization code was issued to another client",
        ));
    }
    let redirect_ok = match record.redirect_uri_given.as_deref() {
        Some(given) => form.get("redirect_uri") == Some(given),
        // The request named none (the client has one registered URI).
        None => true,
    };
    if !redirect_ok {
        return Err(OAuthError::invalid_grant(
            "redirect_uri does not match the authorization request",
        ));
    }
    let verifier = form.require("code_verifier")?;
    if !record.code_challenge.verify(verifier) {
        return Err(OAuthError::invalid_grant("PKCE verification failed"));
    }
    check_resource(server, form.get("resource"), &record.resource)
}

/// Counts a failed exchange of an unused code; the last allowed failure
/// deletes it and the (still tokenless) grant it would have opened.
async fn count_failure(
    server: &AuthServer<'_>,
    key_name: &str,
    record: &CodeRecord,
    expires_at_ms: i64,
    now: i64,
) -> Result<(), OAuthError> {
    let failures = server
        .stores
        .records
        .increment(&format!("{key_name}#failures"), expires_at_ms, now)
        .await?;
    if failures >= CODE_FAILURES_ALLOWED {
        server.stores.records.delete_record(key_name).await?;
        grants::revoke(server.stores, &record.grant_id).await?;
        tracing::info!("authorization code invalidated after failed exchanges");
    }
    Ok(())
}

/// Rotation: the presented current token gets a new pair; the token just
/// rotated out still works for the grace window and gets the current pair;
/// an older token we issued is a replay and revokes the grant; anything
/// else — a token made up around the readable grant id — is refused and
/// changes nothing, so it cannot be used to sign a user out.
async fn refresh(
    server: &AuthServer<'_>,
    client_id: &str,
    form: &Form,
) -> Result<Pair, OAuthError> {
    let token = form.require("refresh_token")?;
    let grant_id = grants::grant_of_refresh(token)
        .ok_or_else(|| OAuthError::invalid_grant("unknown refresh token"))?
        .to_owned();
    // A lost race means another request rotated the same grant: look again.
    for _ in 0..3 {
        let Some(grant) = grants::load_grant(server.stores, &grant_id).await? else {
            return Err(OAuthError::invalid_grant(
                "refresh token revoked or expired",
            ));
        };
        if grant.value.client_id != client_id {
            return Err(OAuthError::invalid_grant(
                "refresh token was issued to another client",
            ));
        }
        check_resource(server, form.get("resource"), &grant.value.resource)?;
        match grants::presented(&grant.value, token, server.stores.clock.now_ms()) {
            Presented::Current => {
                let key = grant
                    .value
                    .refresh_wrapped_key
                    .as_deref()
                    .and_then(|wrapped| {
                        grants::unwrap("refresh", token, &grant_key(&grant_id), wrapped)
                    })
                    .ok_or_else(|| OAuthError::invalid_grant("refresh token is damaged"))?;
                match grants::issue(server, &grant_id, &key, &grant, Some(token)).await? {
                    Some(pair) => return Ok(pair),
                    None => continue,
                }
            }
            Presented::InGrace => return handoff(&grant_id, &grant, token),
            Presented::Retired => {
                grants::revoke(server.stores, &grant_id).await?;
                return Err(OAuthError::invalid_grant(
                    "refresh token already used; the grant is revoked — sign in again",
                ));
            }
            Presented::Unknown => {
                return Err(OAuthError::invalid_grant("unknown refresh token"));
            }
        }
    }
    Err(OAuthError::temporarily_unavailable(
        "the grant is busy; try again",
    ))
}

/// The current pair, sealed for the token just rotated out.
fn handoff(grant_id: &str, grant: &Loaded<GrantRecord>, token: &str) -> Result<Pair, OAuthError> {
    let damaged = || OAuthError::invalid_grant("refresh token is damaged");
    let previous = grant.value.previous.as_ref().ok_or_else(damaged)?;
    let plain = open(
        &derive_key("handoff", token),
        grant_key(grant_id).as_bytes(),
        &previous.handoff,
    )
    .ok_or_else(damaged)?;
    serde_json::from_slice(&plain).map_err(|_| damaged())
}

fn check_resource(
    server: &AuthServer<'_>,
    given: Option<&str>,
    bound: &str,
) -> Result<(), OAuthError> {
    let Some(given) = given else { return Ok(()) };
    let ours = server.public_url.map(metadata::resource);
    if given.trim_end_matches('/') == bound && ours.as_deref() == Some(bound) {
        Ok(())
    } else {
        Err(OAuthError::invalid_target(format!(
            "resource {given:?} does not match the grant"
        )))
    }
}
