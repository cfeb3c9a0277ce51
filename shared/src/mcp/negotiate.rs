//! Header rules of the Streamable HTTP transport that come before any
//! message is read: media types and the protocol-version header.

use http::{HeaderMap, header};

use crate::protocol::ProtocolVersion;

pub const SESSION_ID: &str = "mcp-session-id";
pub const PROTOCOL_VERSION: &str = "mcp-protocol-version";

/// The largest POST body we read (1 MiB); larger ones are refused with 413.
/// MCP requests are small; the biggest real ones are tool arguments.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How the client wants POST answers: JSON, or (if it takes only that) one
/// SSE event carrying the JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Json,
    Sse,
}

/// `None` when the client accepts neither JSON nor SSE (→ 406). A missing
/// `Accept` accepts anything.
pub fn post_answer(headers: &HeaderMap) -> Option<Answer> {
    if accepts(headers, "application", "json") {
        Some(Answer::Json)
    } else if accepts(headers, "text", "event-stream") {
        Some(Answer::Sse)
    } else {
        None
    }
}

pub fn accepts_sse(headers: &HeaderMap) -> bool {
    accepts(headers, "text", "event-stream")
}

/// True when the body is declared JSON (parameters such as charset allowed).
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// The `MCP-Protocol-Version` header of a 2025-era request: `Ok(None)` when
/// absent, `Err` with the raw value when it names no sessionful version.
pub fn version_header(headers: &HeaderMap) -> Result<Option<ProtocolVersion>, String> {
    let Some(value) = headers.get(PROTOCOL_VERSION) else {
        return Ok(None);
    };
    let raw = value.to_str().map_err(|_| "(not ASCII)".to_owned())?.trim();
    ProtocolVersion::parse_sessionful(raw)
        .map(Some)
        .ok_or_else(|| raw.to_owned())
}

/// True when `Accept` takes `kind/sub`: a range that names it or a
/// wildcard of it, without `q=0` ("not acceptable"). Read in place, no
/// copy of the header; a request without one (or with none in ASCII)
/// accepts anything.
fn accepts(headers: &HeaderMap, kind: &str, sub: &str) -> bool {
    let mut values = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .peekable();
    if values.peek().is_none() {
        return true;
    }
    let names = |range: &str, name: &str| range == "*" || range.eq_ignore_ascii_case(name);
    values.flat_map(|value| value.split(',')).any(|range| {
        let mut parts = range.split(';');
        let Some((k, s)) = parts.next().and_then(|media| media.trim().split_once('/')) else {
            return false;
        };
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        !refused && names(k, kind) && names(s, sub)
    })
}

/// A header map from name/value pairs, for the header rules' unit tests.
#[cfg(test)]
pub fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, value.parse().unwrap());
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_rules() {
        let answer = |accept: &str| post_answer(&headers(&[("accept", accept)]));
        assert_eq!(
            answer("application/json, text/event-stream"),
            Some(Answer::Json)
        );
        assert_eq!(answer("text/event-stream"), Some(Answer::Sse));
        assert_eq!(answer("*/*"), Some(Answer::Json));
        assert_eq!(answer("application/*"), Some(Answer::Json));
        assert_eq!(answer("text/html"), None);
        assert_eq!(answer("application/json;q=0, text/html"), None);
        assert_eq!(post_answer(&HeaderMap::new()), Some(Answer::Json));
        assert_eq!(answer("Application/JSON"), Some(Answer::Json));
        assert_eq!(answer("application/json; q=0.5"), Some(Answer::Json));
        assert_eq!(answer("text/*;q=0, application/json"), Some(Answer::Json));
        assert_eq!(answer("application/json;q=0, text/*"), Some(Answer::Sse));
        assert_eq!(answer("nonsense"), None);
        let both = headers(&[("accept", "text/html"), ("accept", "text/event-stream")]);
        assert_eq!(
            post_answer(&both),
            Some(Answer::Sse),
            "every Accept line counts"
        );
    }

    #[test]
    fn content_type_rules() {
        assert!(is_json(&headers(&[("content-type", "application/json")])));
        assert!(is_json(&headers(&[(
            "content-type",
            "Application/JSON; charset=utf-8"
        )])));
        assert!(!is_json(&headers(&[("content-type", "text/plain")])));
        assert!(!is_json(&HeaderMap::new()));
    }

    #[test]
    fn version_header_rules() {
        assert_eq!(version_header(&HeaderMap::new()), Ok(None));
        assert_eq!(
            version_header(&headers(&[("mcp-protocol-version", "2025-06-18")])),
            Ok(Some(ProtocolVersion::V2025_06_18))
        );
        assert_eq!(
            version_header(&headers(&[("mcp-protocol-version", "2026-07-28")])),
            Err("2026-07-28".into())
        );
    }
}
