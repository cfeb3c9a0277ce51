//! The 2026-07-28 headers that mirror the body, so that proxies and load
//! balancers can route without parsing JSON: `MCP-Protocol-Version`,
//! `Mcp-Method` and `Mcp-Name`. Each must be present when the body has the
//! value and equal to it; header names are case-insensitive, values are
//! compared exactly after trimming optional whitespace (RFC 9110 §5.5) and
//! decoding the `=?base64?…?=` form.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;
use serde_json::Value;

use super::negotiate::PROTOCOL_VERSION;
use crate::protocol::jsonrpc::{Request, RpcError};

pub const METHOD: &str = "mcp-method";
pub const NAME: &str = "mcp-name";

/// Checks `Mcp-Method` and `Mcp-Name` against the request. `Err` is the
/// HeaderMismatch error to answer with HTTP 400.
pub fn check_method_and_name(headers: &HeaderMap, request: &Request) -> Result<(), RpcError> {
    matches(headers, METHOD, Some(&request.method))?;
    matches(headers, NAME, name_in_body(request))
}

/// Checks `MCP-Protocol-Version` against the version the body declares.
pub fn check_version(headers: &HeaderMap, declared: &str) -> Result<(), RpcError> {
    matches(headers, PROTOCOL_VERSION, Some(declared))
}

/// The header value, trimmed and decoded; `None` when absent.
pub fn value(headers: &HeaderMap, name: &str) -> Option<Result<String, RpcError>> {
    let raw = headers.get(name)?;
    let text = std::str::from_utf8(raw.as_bytes())
        .map_err(|_| RpcError::header_mismatch(format!("{name} is not UTF-8")));
    Some(text.and_then(|text| decode(name, text.trim_matches([' ', '\t']))))
}

/// What `Mcp-Name` mirrors: the tool or prompt name, or the resource URI.
fn name_in_body(request: &Request) -> Option<&str> {
    let field = match request.method.as_str() {
        "tools/call" | "prompts/get" => "name",
        "resources/read" => "uri",
        _ => return None,
    };
    request.params.get(field).and_then(Value::as_str)
}

fn matches(headers: &HeaderMap, name: &str, body: Option<&str>) -> Result<(), RpcError> {
    match (value(headers, name).transpose()?, body) {
        (None, None) => Ok(()),
        (Some(header), Some(body)) if header == body => Ok(()),
        (None, Some(body)) => Err(RpcError::header_mismatch(format!(
            "the {name} header is required and must be {body:?}"
        ))),
        (Some(header), Some(body)) => Err(RpcError::header_mismatch(format!(
            "the {name} header says {header:?} but the body says {body:?}"
        ))),
        (Some(header), None) => Err(RpcError::header_mismatch(format!(
            "the {name} header says {header:?} but the body has no such value"
        ))),
    }
}

/// `=?base64?…?=` carries a value that is not plain ASCII; it must be
/// canonical, padded base64 of UTF-8. Anything else is taken literally.
fn decode(name: &str, value: &str) -> Result<String, RpcError> {
    let Some(encoded) = value
        .strip_prefix("=?base64?")
        .and_then(|rest| rest.strip_suffix("?="))
    else {
        return Ok(value.to_owned());
    };
    STANDARD
        .decode(encoded)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| RpcError::header_mismatch(format!("{name} is not valid base64 of UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mcp::negotiate::headers;
    use crate::protocol::jsonrpc::HEADER_MISMATCH;
    use serde_json::json;

    fn call(name: &str) -> Request {
        Request {
            id: json!(1),
            method: "tools/call".into(),
            params: json!({ "name": name }),
        }
    }

    fn list() -> Request {
        Request {
            id: json!(1),
            method: "tools/list".into(),
            params: json!({}),
        }
    }

    #[test]
    fn method_must_be_present_and_exact() {
        let check =
            |pairs: &[(&'static str, &str)]| check_method_and_name(&headers(pairs), &list());
        assert!(check(&[("mcp-method", "tools/list")]).is_ok());
        assert!(check(&[("mcp-method", " \ttools/list ")]).is_ok());
        for bad in [
            &[][..],
            &[("mcp-method", "TOOLS/LIST")],
            &[("mcp-method", "prompts/list")],
        ] {
            assert_eq!(check(bad).unwrap_err().code, HEADER_MISMATCH, "{bad:?}");
        }
    }

    #[test]
    fn name_mirrors_the_tool_name() {
        let check = |pairs: &[(&'static str, &str)], name| {
            let mut all = vec![("mcp-method", "tools/call")];
            all.extend_from_slice(pairs);
            check_method_and_name(&headers(&all), &call(name))
        };
        assert!(check(&[("mcp-name", "  malgomo_status  ")], "malgomo_status").is_ok());
        assert!(check(&[], "malgomo_status").is_err());
        assert!(check(&[("mcp-name", "other")], "malgomo_status").is_err());
        // A name header on a method without a name is a mismatch too.
        assert!(
            check_method_and_name(
                &headers(&[("mcp-method", "tools/list"), ("mcp-name", "x")]),
                &list()
            )
            .is_err()
        );
    }

    #[test]
    fn base64_values_are_decoded_strictly() {
        let check = |value| {
            check_method_and_name(
                &headers(&[("mcp-method", "tools/call"), ("mcp-name", value)]),
                &call("Hello"),
            )
        };
        assert!(check("=?base64?SGVsbG8=?=").is_ok());
        assert!(check("=?base64?SGVsbG8?=").is_err(), "padding is required");
        assert!(check("=?base64?SGVs!!!bG8=?=").is_err());
        assert!(
            check("=?base64?SGVsbG8").is_err(),
            "not the wrapper: literal, and not Hello"
        );
    }

    #[test]
    fn version_header_must_equal_the_body() {
        let ok = headers(&[("mcp-protocol-version", "2026-07-28")]);
        assert!(check_version(&ok, "2026-07-28").is_ok());
        assert!(check_version(&ok, "v999.0.0").is_err());
        assert!(check_version(&HeaderMap::new(), "2026-07-28").is_err());
    }
}
