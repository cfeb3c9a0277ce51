//! MCP protocol revisions this server speaks (the 2025 sessionful era).

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProtocolVersion {
    #[serde(rename = "2025-03-26")]
    V2025_03_26,
    #[serde(rename = "2025-06-18")]
    V2025_06_18,
    #[serde(rename = "2025-11-25")]
    V2025_11_25,
}

impl ProtocolVersion {
    pub const LATEST: Self = Self::V2025_11_25;
    /// What a request without an `MCP-Protocol-Version` header is assumed to
    /// speak (the transport rule of 2025-06-18).
    pub const ASSUMED: Self = Self::V2025_03_26;
    pub const SUPPORTED: [Self; 3] = [Self::V2025_03_26, Self::V2025_06_18, Self::V2025_11_25];

    pub fn parse(value: &str) -> Option<Self> {
        Self::SUPPORTED
            .into_iter()
            .find(|version| version.as_str() == value)
    }

    /// Initialize negotiation: echo the client's version when we support it,
    /// otherwise offer our latest and let the client decide.
    pub fn negotiate(requested: &str) -> Self {
        Self::parse(requested).unwrap_or(Self::LATEST)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::V2025_03_26 => "2025-03-26",
            Self::V2025_06_18 => "2025-06-18",
            Self::V2025_11_25 => "2025-11-25",
        }
    }

    /// JSON-RPC batches were part of 2025-03-26 only.
    pub fn allows_batches(self) -> bool {
        self == Self::V2025_03_26
    }

    pub fn supported_list() -> String {
        Self::SUPPORTED.map(Self::as_str).join(", ")
    }
}

impl fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_echoes_supported_and_offers_latest_otherwise() {
        assert_eq!(
            ProtocolVersion::negotiate("2025-06-18"),
            ProtocolVersion::V2025_06_18
        );
        for other in ["2024-11-05", "2026-07-28", "garbage"] {
            assert_eq!(ProtocolVersion::negotiate(other), ProtocolVersion::LATEST);
        }
    }

    #[test]
    fn only_2025_03_26_allows_batches() {
        assert!(ProtocolVersion::V2025_03_26.allows_batches());
        assert!(!ProtocolVersion::V2025_06_18.allows_batches());
        assert!(!ProtocolVersion::V2025_11_25.allows_batches());
    }
}
