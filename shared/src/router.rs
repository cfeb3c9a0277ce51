//! The one router: `http::Request` → response, the same for every host. It
//! takes [`Router`], the handles of the layers it hands requests to and the
//! settings of its own guards, built by the app.

use bytes::Bytes;
use http::{Method, StatusCode};
use serde_json::json;
use url::Url;

use crate::auth::Auth;
use crate::docs;
use crate::domain::OriginSecrets;
use crate::mcp;
use crate::oauth::{self, AuthServer};
use crate::web::guard::OriginPolicy;
use crate::web::{BodyTooLarge, Response, cors, edge, reply};

const MCP_METHODS: &str = "GET, POST, DELETE, OPTIONS";

/// Everything the router uses. Borrowed, so building one per request costs
/// nothing.
#[derive(Clone, Copy, Debug)]
pub struct Router<'a> {
    /// `ORIGIN_SECRET` (and its previous value): the front door's header.
    pub origin_secret: Option<&'a OriginSecrets>,
    /// The origin/host guard (DNS-rebinding protection).
    pub origins: &'a OriginPolicy,
    /// `PUBLIC_URL`: the base URL the docs page names, when set.
    pub public_url: Option<&'a Url>,
    /// The server is bound to loopback only (a base URL from the request is
    /// then `http`).
    pub loopback_bind: bool,
    /// The authorization server (mode A) and the bearer check of `/mcp`.
    pub oauth: AuthServer<'a>,
    /// `/mcp` of both eras.
    pub mcp: mcp::Server<'a>,
}

pub async fn handle(app: &Router<'_>, request: http::Request<Bytes>) -> Response {
    // First of all, every path: a request that went around the front door.
    if !edge::admits(app.origin_secret, request.headers()) {
        tracing::info!("request refused: no valid origin secret (not through the front door)");
        return reply::error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "this endpoint is served only through its front door",
        );
    }
    if let Err(refused) = app.origins.check(request.headers()) {
        tracing::info!(reason = refused.0, "request refused by the origin guard");
        return reply::error(StatusCode::FORBIDDEN, "forbidden", refused.0);
    }
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    match path.as_str() {
        "/mcp" | "/mcp/" => {
            if method == Method::OPTIONS {
                return cors::preflight(request.headers(), MCP_METHODS);
            }
            let origin = cors::origin(request.headers());
            let response = match authenticate(app, request.headers()).await {
                Err(challenge) => challenge,
                Ok(_) if request.extensions().get::<BodyTooLarge>().is_some() => {
                    mcp::post::too_large()
                }
                Ok(auth) => match method {
                    Method::POST => mcp::post::handle(&app.mcp, request, auth).await,
                    Method::GET => mcp::stream::handle(&app.mcp, request, auth).await,
                    Method::DELETE => mcp::end::handle(&app.mcp, request, auth).await,
                    _ => not_allowed(MCP_METHODS),
                },
            };
            cors::decorate(origin, response)
        }
        path if oauth::is_oauth_path(path) => oauth::handle(&app.oauth, request).await,
        "/healthz" if method == Method::GET || method == Method::HEAD => {
            reply::json(StatusCode::OK, &json!({ "status": "ok" }))
        }
        "/" | "/docs" if method == Method::GET || method == Method::HEAD => reply::html_with(
            StatusCode::OK,
            docs::page(&base_url(app, &request)),
            docs::PAGE_CSP,
            "DENY",
        ),
        "/docs/dashboard" if method == Method::GET || method == Method::HEAD => reply::html_with(
            StatusCode::OK,
            docs::dashboard_demo(),
            docs::DEMO_CSP,
            "SAMEORIGIN",
        ),
        "/healthz" | "/" | "/docs" | "/docs/dashboard" => not_allowed("GET, HEAD"),
        _ => reply::error(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such endpoint; see /docs",
        ),
    }
}

/// Mode A: `/mcp` needs one of our access tokens (else 401 with the
/// discovery challenge). Mode B: a bearer, if any, is the user's own token.
async fn authenticate(app: &Router<'_>, headers: &http::HeaderMap) -> Result<Auth, Response> {
    if !app.mcp.oauth_enabled {
        return Ok(Auth::from_headers(headers));
    }
    Ok(Auth::Granted(
        oauth::bearer::validate(&app.oauth, headers).await?,
    ))
}

fn not_allowed(allow: &'static str) -> Response {
    let mut response = reply::error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed on this endpoint",
    );
    response
        .headers_mut()
        .insert(http::header::ALLOW, http::HeaderValue::from_static(allow));
    response
}

/// This server's public base URL: `PUBLIC_URL`, else what the request says
/// it reached (Host and the forwarded protocol).
pub fn base_url(app: &Router<'_>, request: &http::Request<Bytes>) -> String {
    if let Some(url) = app.public_url {
        return url.as_str().trim_end_matches('/').to_owned();
    }
    let headers = request.headers();
    let host = headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or(if app.loopback_bind { "http" } else { "https" });
    format!("{scheme}://{host}")
}
