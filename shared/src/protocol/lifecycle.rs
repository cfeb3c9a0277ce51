//! What the server says about itself: `initialize` (2025 era) and
//! `server/discover` (2026-07-28), from one description.

use serde::Serialize;

use super::ProtocolVersion;
use super::result::CacheHint;

/// `serverInfo`: name, display title, version, and what a host's connector
/// directory shows of the server (2026-07-28 schema, served in both eras):
/// a description, icons and the product's website.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Implementation {
    pub name: &'static str,
    pub title: &'static str,
    pub version: &'static str,
    pub description: &'static str,
    pub icons: &'static [Icon],
    pub website_url: &'static str,
}

/// An icon a client may show for the server: `src` is an `https:` or
/// `data:` URI of an image of `mime_type`, drawn well at each of `sizes`
/// (`"any"` for a scalable image).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Icon {
    pub src: &'static str,
    pub mime_type: &'static str,
    pub sizes: &'static [&'static str],
}

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
