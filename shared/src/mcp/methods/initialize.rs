//! `initialize`: version negotiation and what this server offers.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::mcp::ProtocolVersion;
use crate::mcp::jsonrpc::RpcError;
use crate::resources::{MCP_APP_MIME, UI_EXTENSION};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Params {
    protocol_version: String,
}

pub const INSTRUCTIONS: &str = "Read the MalGomo agency dashboard: revenue KPIs (malgomo_get_kpis), fan growth (malgomo_get_fans) and earnings (malgomo_get_earnings), each for period today (default), yesterday, 7d or 30d. Log in first with malgomo_login (email + password) unless the connection already carries a token; malgomo_status tells whether you are logged in. Dashboard data is owner/admin only.";

/// The negotiated version and the `initialize` result.
pub fn negotiate(params: Value) -> Result<(ProtocolVersion, Value), RpcError> {
    let params: Params = serde_json::from_value(params)
        .map_err(|err| RpcError::invalid_params(format!("initialize: {err}")))?;
    let version = ProtocolVersion::negotiate(&params.protocol_version);
    let result = json!({
        "protocolVersion": version,
        "capabilities": {
            "tools": { "listChanged": false },
            "resources": { "listChanged": false, "subscribe": false },
            "extensions": { UI_EXTENSION: { "mimeTypes": [MCP_APP_MIME] } }
        },
        "serverInfo": {
            "name": "malgomo-mcp",
            "title": "MalGomo dashboard",
            "version": env!("CARGO_PKG_VERSION")
        },
        "instructions": INSTRUCTIONS
    });
    Ok((version, result))
}
