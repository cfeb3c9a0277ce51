//! `POST /revoke` (RFC 7009): always 200 for an authenticated client; a
//! token that proves itself (its secret matches what we stored) stops
//! working at once, with the grant behind it.

use bytes::Bytes;
use http::StatusCode;

use super::AuthServer;
use super::error::no_store;
use super::records::{AccessRecord, access_key, load};
use super::{OAuthError, clients, grants};
use crate::web::{Response, reply};

pub async fn handle(
    server: &AuthServer<'_>,
    request: &http::Request<Bytes>,
) -> Result<Response, OAuthError> {
    let (form, client) = clients::read_request(server, request).await?;
    let token = form.require("token")?;
    // A client may revoke only its own tokens (RFC 7009 §2.1); anything
    // else is answered 200 all the same and changes nothing.
    // A refresh token names its grant in the clear; only its secret, checked
    // against the grant, proves it (else anyone could revoke any grant).
    let grant_id = match grants::grant_of_refresh(token) {
        Some(grant_id) => grants::load_grant(server.stores, grant_id)
            .await?
            .filter(|grant| {
                grants::holds_refresh(&grant.value, token, server.stores.clock.now_ms())
            })
            .map(|_| grant_id.to_owned()),
        None => load::<AccessRecord>(
            server.stores.records,
            &access_key(token),
            server.stores.clock.now_ms(),
        )
        .await?
        .filter(|access| access.value.client_id == client.client_id)
        .map(|access| access.value.grant_id),
    };
    if let Some(grant_id) = grant_id
        && let Some(grant) = grants::load_grant(server.stores, &grant_id).await?
        && grant.value.client_id == client.client_id
    {
        grants::revoke(server.stores, &grant_id).await?;
        server
            .stores
            .records
            .delete_record(&access_key(token))
            .await?;
    }
    let mut response = reply::empty(StatusCode::OK);
    no_store(&mut response);
    Ok(response)
}
