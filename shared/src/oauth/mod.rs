//! The OAuth 2.1 authorization server of mode A (`PUBLIC_URL` set):
//! discovery, client registration (DCR and metadata documents), the sign-in
//! page, tokens, revocation, and bearer validation for `/mcp`. Everything is
//! stored through the record store (memory or DynamoDB) with TTLs.

mod assertion;
mod authorize;
pub mod bearer;
mod cache;
mod cimd;
mod client_name;
mod clients;
mod error;
mod fetch;
mod form;
mod grants;
mod jwks;
pub mod jws;
mod login;
pub mod metadata;
mod page;
mod pkce;
mod records;
mod redirect;
mod register;
mod revoke;
mod server;
mod ssrf;
mod token;

use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode};

pub use bearer::GrantAccess;
pub use client_name::{ClientName, MAX_CLIENT_NAME_CHARS};
pub use error::OAuthError;
// The grant's record and its sealed login, for the grant's token home
// (`renewal`).
pub use grants::{load_grant, open_login, save as save_grant, seal_login};
pub use records::{GrantRecord, Loaded};
pub use token::CODE_FAILURES_ALLOWED;
// The request parsers, public for the fuzz targets.
pub use form::Form;
pub use pkce::Challenge;
pub use redirect::RedirectUri;
pub use server::AuthServer;

use crate::store::Stores;
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

/// Declares [`Endpoint`] and [`ROUTES`] from one list: each endpoint's
/// variant, the one method it answers, and its paths. What serves each is
/// an exhaustive `match` in [`handle`]; the template's `OauthFunction`
/// events are checked against [`ROUTES`] (tests/src/template.rs).
macro_rules! endpoints {
    ($($variant:ident: $method:ident $($path:literal),+;)*) => {
        /// An endpoint of the authorization server.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Endpoint {
            $($variant,)*
        }

        /// Every OAuth path: the method it answers and its endpoint.
        pub const ROUTES: &[(&str, Method, Endpoint)] = &[
            $($(($path, Method::$method, Endpoint::$variant),)+)*
        ];
    };
}

endpoints! {
    ProtectedResource: GET
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/mcp";
    AuthorizationServer: GET
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration";
    Register: POST "/register";
    Authorize: GET "/authorize";
    Login: POST "/oauth/login";
    Token: POST "/token";
    Revoke: POST "/revoke";
}

/// The route at `path`: the method it answers and its endpoint.
fn route(path: &str) -> Option<(&Method, Endpoint)> {
    ROUTES
        .iter()
        .find(|(at, _, _)| *at == path)
        .map(|(_, method, endpoint)| (method, *endpoint))
}

/// Revokes a grant (the logout tool in mode A).
pub async fn revoke_grant(stores: Stores<'_>, grant_id: &str) -> Result<(), OAuthError> {
    grants::revoke(stores, grant_id).await
}

pub fn is_oauth_path(path: &str) -> bool {
    route(path).is_some()
}

/// Serves an OAuth path (mode A only; elsewhere 404).
pub async fn handle(server: &AuthServer<'_>, request: http::Request<Bytes>) -> Response {
    let Some(discovery) = server.discovery else {
        return reply::error(
            StatusCode::NOT_FOUND,
            "not_found",
            "OAuth is not enabled on this server",
        );
    };
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    if method == Method::OPTIONS {
        return cors::preflight(request.headers(), "GET, POST, OPTIONS");
    }
    let origin = cors::origin(request.headers());
    if request
        .extensions()
        .get::<crate::web::BodyTooLarge>()
        .is_some()
    {
        let too_large = OAuthError::too_large("the request body is over the size limit");
        return cors::decorate(origin, too_large.into_response());
    }
    let response = match route(&path) {
        None => reply::error(StatusCode::NOT_FOUND, "not_found", "no such path"),
        Some((answers, _)) if *answers != method => reply::error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "method not allowed",
        ),
        Some((_, endpoint)) => match endpoint {
            Endpoint::ProtectedResource => {
                reply::json_bytes(StatusCode::OK, discovery.protected_resource.clone())
            }
            Endpoint::AuthorizationServer => {
                reply::json_bytes(StatusCode::OK, discovery.authorization_server.clone())
            }
            Endpoint::Register => register::handle(server, &request)
                .await
                .unwrap_or_else(OAuthError::into_response),
            Endpoint::Authorize => authorize::handle(server, &request).await,
            Endpoint::Login => login::handle(server, &request).await,
            Endpoint::Token => token::handle(server, &request)
                .await
                .unwrap_or_else(OAuthError::into_response),
            Endpoint::Revoke => revoke::handle(server, &request)
                .await
                .unwrap_or_else(OAuthError::into_response),
        },
    };
    cors::decorate(origin, response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_routes_to_its_own_endpoint_once() {
        for (path, method, endpoint) in ROUTES {
            assert_eq!(route(path), Some((method, *endpoint)), "{path}");
            assert!(is_oauth_path(path));
        }
        let mut paths: Vec<&str> = ROUTES.iter().map(|(path, _, _)| *path).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), ROUTES.len(), "one route a path");
        for other in ["/mcp", "/token/", "/.well-known/", "/oauth", ""] {
            assert!(!is_oauth_path(other), "{other}");
        }
    }
}
