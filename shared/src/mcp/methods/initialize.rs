//! `initialize` (2025 era): version negotiation and what this server offers.

use serde::Deserialize;
use serde_json::Value;

use super::server;
use crate::mcp::SignIn;
use crate::protocol::jsonrpc::RpcError;
use crate::protocol::lifecycle::InitializeResult;
use crate::protocol::{Era, ProtocolVersion};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Params {
    protocol_version: String,
}

/// The negotiated version and the `initialize` result, whose instructions
/// say how `sign_in` logs in.
pub fn negotiate(
    params: Value,
    sign_in: SignIn,
) -> Result<(ProtocolVersion, InitializeResult), RpcError> {
    let params: Params = serde_json::from_value(params)
        .map_err(|err| RpcError::invalid_params(format!("initialize: {err}")))?;
    let version = ProtocolVersion::negotiate(&params.protocol_version);
    let result = InitializeResult {
        protocol_version: version,
        capabilities: server::capabilities(),
        server_info: server::INFO,
        instructions: server::instructions(Era::Sessionful, sign_in),
    };
    Ok((version, result))
}
