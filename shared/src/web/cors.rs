//! CORS for browser-based clients (e.g. MCP Inspector) on `/mcp` and the
//! OAuth endpoints. Origins are already vetted by the guard.

use http::{HeaderMap, HeaderValue, StatusCode, header};

use super::reply::{Response, empty};

const ALLOW_HEADERS: &str =
    "Authorization, Content-Type, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID, Accept";
const EXPOSE_HEADERS: &str = "Mcp-Session-Id, WWW-Authenticate, MCP-Protocol-Version";

/// The request's `Origin`, kept (one header value, not the request's
/// headers) for [`decorate`] once the request itself is consumed.
pub fn origin(request: &HeaderMap) -> Option<HeaderValue> {
    request.get(header::ORIGIN).cloned()
}

/// Adds the CORS answer headers for the request's `Origin` ([`origin`]),
/// if it had one.
pub fn decorate(origin: Option<HeaderValue>, mut response: Response) -> Response {
    let Some(origin) = origin else {
        return response;
    };
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    response
}

/// The answer to a preflight `OPTIONS`.
pub fn preflight(request: &HeaderMap, methods: &'static str) -> Response {
    let mut response = empty(StatusCode::NO_CONTENT);
    let headers = response.headers_mut();
    for (name, value) in [
        (header::ACCESS_CONTROL_ALLOW_METHODS, methods),
        (header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS),
        (header::ACCESS_CONTROL_MAX_AGE, "86400"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    decorate(origin(request), response)
}
