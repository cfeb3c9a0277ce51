//! The reserved `_meta` keys of MCP 2026-07-28 and what a stateless request
//! declares about itself with them.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::jsonrpc::RpcError;

/// Request `_meta`: the revision this request speaks (required).
pub const PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
/// Request `_meta`: the client's capabilities for this request (required).
pub const CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
/// Request `_meta`: who the client is (optional, never trusted).
pub const CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";
/// Result `_meta`: who the server is.
pub const SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";

/// The `_meta` a 2026-07-28 request must carry. Client capabilities are
/// read but never needed: no method of this server asks anything of the
/// client (no sampling, elicitation or roots).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RequestMeta {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion")]
    pub protocol_version: String,
    #[serde(rename = "io.modelcontextprotocol/clientCapabilities")]
    pub client_capabilities: Map<String, Value>,
}

impl RequestMeta {
    /// Reads `params._meta`; anything missing or of the wrong type is
    /// -32602 naming the key.
    pub fn parse(params: &Value) -> Result<Self, RpcError> {
        let Some(meta) = params.get("_meta") else {
            return Err(RpcError::invalid_params(format!(
                "params._meta is required in protocol 2026-07-28 (with {PROTOCOL_VERSION} and {CLIENT_CAPABILITIES})"
            )));
        };
        serde_json::from_value(meta.clone())
            .map_err(|err| RpcError::invalid_params(format!("params._meta: {err}")))
    }

    /// The version a body names, if it names one at all (any JSON type): the
    /// sign of a stateless request.
    pub fn declared_version(params: &Value) -> Option<&Value> {
        params.get("_meta")?.get(PROTOCOL_VERSION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::jsonrpc::INVALID_PARAMS;
    use serde_json::json;

    #[test]
    fn requires_version_and_capabilities() {
        let ok = json!({ "_meta": { PROTOCOL_VERSION: "2026-07-28", CLIENT_CAPABILITIES: {} } });
        assert_eq!(
            RequestMeta::parse(&ok).unwrap().protocol_version,
            "2026-07-28"
        );
        for bad in [
            json!({}),
            json!({ "_meta": 5 }),
            json!({ "_meta": { CLIENT_CAPABILITIES: {} } }),
            json!({ "_meta": { PROTOCOL_VERSION: "2026-07-28" } }),
            json!({ "_meta": { PROTOCOL_VERSION: 7, CLIENT_CAPABILITIES: {} } }),
            json!({ "_meta": { PROTOCOL_VERSION: "2026-07-28", CLIENT_CAPABILITIES: [] } }),
        ] {
            let err = RequestMeta::parse(&bad).unwrap_err();
            assert_eq!(err.code, INVALID_PARAMS, "{bad}");
        }
    }

    #[test]
    fn client_info_is_optional() {
        let params = json!({ "_meta": {
            PROTOCOL_VERSION: "2026-07-28",
            CLIENT_CAPABILITIES: { "sampling": {} },
            CLIENT_INFO: { "name": "x", "version": "1" }
        } });
        assert!(RequestMeta::parse(&params).is_ok());
        assert_eq!(
            RequestMeta::declared_version(&params),
            Some(&json!("2026-07-28"))
        );
        assert_eq!(RequestMeta::declared_version(&json!({})), None);
    }
}
