//! `POST /revoke` (RFC 7009): always 200 for an authenticated client; the
//! token — and the grant behind it — stops working at once.

use bytes::Bytes;
use http::StatusCode;

use super::error::no_store;
use super::form::Form;
use super::records::{AccessRecord, access_key, load};
use super::{OAuthError, clients, grants};
use crate::app::App;
use crate::web::{Response, reply};

pub async fn handle(app: &App, request: &http::Request<Bytes>) -> Result<Response, OAuthError> {
    let form = Form::parse(request.body())?;
    let client = clients::authenticate(app, request.headers(), &form).await?;
    let token = form.require("token")?;
    // A client may revoke only its own tokens (RFC 7009 §2.1); anything
    // else is answered 200 all the same and changes nothing.
    let grant_id = match grants::grant_of_refresh(token) {
        Some(grant_id) => Some(grant_id.to_owned()),
        None => load::<AccessRecord>(app.records.as_ref(), &access_key(token), app.clock.now_ms())
            .await?
            .filter(|access| access.value.client_id == client.client_id)
            .map(|access| access.value.grant_id),
    };
    if let Some(grant_id) = grant_id
        && let Some(grant) = grants::load_grant(app, &grant_id).await?
        && grant.value.client_id == client.client_id
    {
        grants::revoke(app, &grant_id).await?;
        app.records.delete_record(&access_key(token)).await?;
    }
    let mut response = reply::empty(StatusCode::OK);
    no_store(&mut response);
    Ok(response)
}
