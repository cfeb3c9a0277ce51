//! Building responses: JSON, HTML, empty, with the standard headers.

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use serde_json::Value;

use super::Body;

pub type Response = http::Response<Body>;

pub fn json(status: StatusCode, value: &Value) -> Response {
    with_type(status, "application/json", value.to_string())
}

/// A JSON document serialised beforehand (an answer that never changes is
/// serialised once; cloning `Bytes` shares it).
pub fn json_bytes(status: StatusCode, json: Bytes) -> Response {
    with_type(status, "application/json", json)
}

/// The policy of our own pages: no script, nothing external, never framed.
const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub fn html(status: StatusCode, page: String) -> Response {
    html_with(status, page, PAGE_CSP, "DENY")
}

/// An HTML page under its own policy and `X-Frame-Options` (the docs page
/// frames the dashboard demo, which runs its inline script).
pub fn html_with(
    status: StatusCode,
    page: String,
    csp: &'static str,
    frame_options: &'static str,
) -> Response {
    let mut response = with_type(status, "text/html; charset=utf-8", page);
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, frame_options),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

pub fn empty(status: StatusCode) -> Response {
    let mut response = http::Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// A plain JSON error for non-JSON-RPC routes.
pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    json(
        status,
        &serde_json::json!({ "error": code, "error_description": message }),
    )
}

fn with_type(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response {
    let mut response = http::Response::new(Body::full(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
