//! Mode A on `/mcp`: the bearer must be an access token we issued, for our
//! resource, of a live grant. Anything else is 401 with the challenge that
//! starts OAuth discovery (given once, on a 401 — never a 200 with an error).

use std::fmt;

use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::json;

use super::AuthServer;
use super::grants::{self, GrantKey};
use super::metadata;
use super::records::{AccessRecord, access_key, load};
use crate::crypto::sha256_hex;
use crate::session::Login;
use crate::web::{Response, reply};

/// A validated access token: the grant behind it and its upstream login.
#[derive(Clone)]
pub struct GrantAccess {
    pub grant_id: String,
    pub key: GrantKey,
    pub login: Login,
    /// Names the user for session binding (a hash, stable across refreshes).
    pub identity: String,
}

impl fmt::Debug for GrantAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GrantAccess")
            .field("identity", &&self.identity[..8])
            .finish_non_exhaustive()
    }
}

pub async fn validate(
    server: &AuthServer<'_>,
    headers: &HeaderMap,
) -> Result<GrantAccess, Response> {
    let Some(public_url) = server.public_url else {
        return Err(challenge(server, None));
    };
    let Some(token) = bearer(headers) else {
        return Err(challenge(server, None));
    };
    let invalid = |why: &str| challenge(server, Some(why));
    let now = server.stores.clock.now_ms();
    let key_name = access_key(token);
    let access = match load::<AccessRecord>(server.stores.records, &key_name, now).await {
        Ok(Some(access)) => access.value,
        Ok(None) => return Err(invalid("the access token is unknown, expired or revoked")),
        Err(err) => return Err(err.into_response()),
    };
    if access.resource != metadata::resource(public_url) {
        return Err(invalid("the access token is for another resource"));
    }
    let grant = match grants::load_grant(server.stores, &access.grant_id).await {
        Ok(Some(grant)) => grant,
        Ok(None) => return Err(invalid("the grant behind this token was revoked")),
        Err(err) => return Err(err.into_response()),
    };
    let login = grants::unwrap("access", token, &key_name, &access.wrapped_key).and_then(|key| {
        grants::open_login(&access.grant_id, &key, &grant.value.upstream).map(|l| (key, l))
    });
    let Some((key, login)) = login else {
        return Err(invalid("the access token does not open its grant"));
    };
    Ok(GrantAccess {
        identity: sha256_hex(&format!("grant:{}", access.grant_id)),
        grant_id: access.grant_id,
        key,
        login,
    })
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// 401 with `WWW-Authenticate: Bearer resource_metadata="…", scope="mcp"`
/// (plus `error="invalid_token"` when a token was presented).
pub fn challenge(server: &AuthServer<'_>, invalid: Option<&str>) -> Response {
    let metadata_url = server
        .public_url
        .map(metadata::resource_metadata_url)
        .unwrap_or_default();
    let mut value = format!(
        "Bearer resource_metadata=\"{metadata_url}\", scope=\"{}\"",
        metadata::SCOPE
    );
    if invalid.is_some() {
        value.push_str(", error=\"invalid_token\"");
    }
    let (code, description) = match invalid {
        Some(why) => ("invalid_token", why),
        None => (
            "unauthorized",
            "this endpoint requires a bearer token; sign in through your MCP client",
        ),
    };
    let mut response = reply::json(
        StatusCode::UNAUTHORIZED,
        &json!({ "error": code, "error_description": description }),
    );
    if let Ok(header_value) = HeaderValue::from_str(&value) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, header_value);
    }
    response
}
