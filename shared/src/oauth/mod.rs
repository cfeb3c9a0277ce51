//! The OAuth 2.1 authorization server of mode A (`PUBLIC_URL` set):
//! discovery, client registration (DCR and metadata documents), the sign-in
//! page, tokens, revocation, and bearer validation for `/mcp`. Everything is
//! stored through the record store (memory or DynamoDB) with TTLs.

mod authorize;
pub mod bearer;
mod cimd;
mod clients;
mod error;
mod form;
mod grants;
mod login;
pub mod metadata;
mod page;
mod pkce;
mod records;
mod redirect;
mod register;
mod revoke;
mod ssrf;
mod token;
pub mod upstream;

use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode};

pub use bearer::GrantAccess;
pub use error::OAuthError;
pub use token::CODE_FAILURES_ALLOWED;
// The request parsers, public for the fuzz targets.
pub use form::Form;
pub use pkce::Challenge;
pub use redirect::RedirectUri;

use crate::app::App;
use crate::web::{Response, cors, reply};

/// A pending sign-in page stays valid this long.
pub const PENDING_TTL: Duration = Duration::from_secs(10 * 60);
/// An authorization code is valid this long.
pub const CODE_TTL: Duration = Duration::from_secs(60);
/// A rotated-out refresh token still works this long.
pub const REFRESH_GRACE: Duration = Duration::from_secs(30);
/// A registered client in use lives this long past its last token request.
pub const CLIENT_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// A registered client that has not completed a sign-in lives this long
/// (hosted Claude registers one per connection; unused ones go away soon).
pub const UNUSED_CLIENT_TTL: Duration = Duration::from_secs(24 * 60 * 60);

const PATHS: [&str; 9] = [
    "/.well-known/oauth-protected-resource",
    "/.well-known/oauth-protected-resource/mcp",
    "/.well-known/oauth-authorization-server",
    "/.well-known/openid-configuration",
    "/register",
    "/authorize",
    "/oauth/login",
    "/token",
    "/revoke",
];

/// Revokes a grant (the logout tool in mode A).
pub async fn revoke_grant(app: &App, grant_id: &str) -> Result<(), OAuthError> {
    grants::revoke(app, grant_id).await
}

pub fn is_oauth_path(path: &str) -> bool {
    PATHS.contains(&path)
}

/// Serves an OAuth path (mode A only; elsewhere 404).
pub async fn handle(app: &App, request: http::Request<Bytes>) -> Response {
    let Some(discovery) = &app.discovery else {
        return reply::error(
            StatusCode::NOT_FOUND,
            "not_found",
            "OAuth is not enabled on this server",
        );
    };
    let headers = request.headers().clone();
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    if method == Method::OPTIONS {
        return cors::preflight(&headers, "GET, POST, OPTIONS");
    }
    if request
        .extensions()
        .get::<crate::web::BodyTooLarge>()
        .is_some()
    {
        let too_large = OAuthError::too_large("the request body is over the size limit");
        return cors::decorate(&headers, too_large.into_response());
    }
    let response = match (method, path.as_str()) {
        (
            Method::GET,
            "/.well-known/oauth-protected-resource" | "/.well-known/oauth-protected-resource/mcp",
        ) => reply::json_bytes(StatusCode::OK, discovery.protected_resource.clone()),
        (
            Method::GET,
            "/.well-known/oauth-authorization-server" | "/.well-known/openid-configuration",
        ) => reply::json_bytes(StatusCode::OK, discovery.authorization_server.clone()),
        (Method::POST, "/register") => register::handle(app, &request)
            .await
            .unwrap_or_else(OAuthError::into_response),
        (Method::GET, "/authorize") => authorize::handle(app, &request).await,
        (Method::POST, "/oauth/login") => login::handle(app, &request).await,
        (Method::POST, "/token") => token::handle(app, &request)
            .await
            .unwrap_or_else(OAuthError::into_response),
        (Method::POST, "/revoke") => revoke::handle(app, &request)
            .await
            .unwrap_or_else(OAuthError::into_response),
        _ => reply::error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "method not allowed",
        ),
    };
    cors::decorate(&headers, response)
}
