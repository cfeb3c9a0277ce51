//! What the server says about itself: `initialize` (2025 era) and
//! `server/discover` (2026-07-28), from one description.

use serde::Serialize;

use super::ProtocolVersion;
use super::result::CacheHint;
pub use super::result::{Icon, Implementation};

/// The capabilities this server declares; its lists never change while it
/// runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerCapabilities {
    pub tools: ToolsCapability,
    pub resources: ResourcesCapability,
    pub extensions: Extensions,
}

/// The extensions a server declares, by identifier.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Extensions {
    /// MCP Apps (SEP-1865): views rendered next to tool results.
    #[serde(rename = "io.modelcontextprotocol/ui")]
    pub ui: UiExtension,
}

/// What the MCP Apps extension declares: the view media types it serves.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UiExtension {
    pub mime_types: &'static [&'static str],
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcesCapability {
    pub list_changed: bool,
    pub subscribe: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolsCapability {
    pub list_changed: bool,
}

/// The result of `initialize`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InitializeResult {
    pub protocol_version: ProtocolVersion,
    pub capabilities: ServerCapabilities,
    pub server_info: Implementation,
    pub instructions: String,
}

/// The result of `server/discover` (its `_meta` carries the server info, as
/// on every 2026-07-28 result).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscoverResult {
    pub supported_versions: Vec<ProtocolVersion>,
    pub capabilities: ServerCapabilities,
    pub instructions: String,
    #[serde(flatten)]
    pub cache: CacheHint,
}
