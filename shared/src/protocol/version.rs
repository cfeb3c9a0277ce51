//! MCP protocol revisions this server speaks, in two eras: the sessionful
//! 2025 revisions (negotiated by `initialize`, remembered by the session)
//! and the stateless 2026-07-28 revision (named by every request).

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
    #[serde(rename = "2026-07-28")]
    V2026_07_28,
}

/// How a revision carries its state: a session opened by `initialize`, or
/// nothing at all (every request self-contained).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Era {
    Sessionful,
    Stateless,
}

impl ProtocolVersion {
    /// What `initialize` offers when the client asks for a version we lack.
    pub const NEWEST_SESSIONFUL: Self = Self::V2025_11_25;
    /// What a 2025-era request without an `MCP-Protocol-Version` header is
    /// assumed to speak (the transport rule of 2025-06-18).
    pub const ASSUMED: Self = Self::V2025_03_26;
    /// The revisions `initialize` negotiates.
    pub const SESSIONFUL: [Self; 3] = [Self::V2025_03_26, Self::V2025_06_18, Self::V2025_11_25];
    /// The revisions served without a session (`server/discover` lists them).
    pub const STATELESS: [Self; 1] = [Self::V2026_07_28];

    pub fn parse(value: &str) -> Option<Self> {
        Self::SESSIONFUL
            .into_iter()
            .chain(Self::STATELESS)
            .find(|version| version.as_str() == value)
    }

    /// A revision `initialize` can negotiate.
    pub fn parse_sessionful(value: &str) -> Option<Self> {
        Self::parse(value).filter(|version| version.era() == Era::Sessionful)
    }

    /// Initialize negotiation: echo the client's version when we support it
    /// in a session, otherwise offer our newest and let the client decide.
    pub fn negotiate(requested: &str) -> Self {
        Self::parse_sessionful(requested).unwrap_or(Self::NEWEST_SESSIONFUL)
    }

    pub fn era(self) -> Era {
        match self {
            Self::V2026_07_28 => Era::Stateless,
            _ => Era::Sessionful,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::V2025_03_26 => "2025-03-26",
            Self::V2025_06_18 => "2025-06-18",
            Self::V2025_11_25 => "2025-11-25",
            Self::V2026_07_28 => "2026-07-28",
        }
    }

    /// JSON-RPC batches were part of 2025-03-26 only.
    pub fn allows_batches(self) -> bool {
        self == Self::V2025_03_26
    }

    /// The sessionful revisions, comma-separated (for error messages).
    pub fn sessionful_list() -> String {
        Self::SESSIONFUL.map(Self::as_str).join(", ")
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
    fn negotiation_echoes_sessionful_and_offers_newest_otherwise() {
        assert_eq!(
            ProtocolVersion::negotiate("2025-06-18"),
            ProtocolVersion::V2025_06_18
        );
        for other in ["2024-11-05", "2026-07-28", "garbage"] {
            assert_eq!(
                ProtocolVersion::negotiate(other),
                ProtocolVersion::NEWEST_SESSIONFUL
            );
        }
    }

    #[test]
    fn eras() {
        assert_eq!(
            ProtocolVersion::parse("2026-07-28").unwrap().era(),
            Era::Stateless
        );
        assert!(
            ProtocolVersion::SESSIONFUL
                .iter()
                .all(|v| v.era() == Era::Sessionful)
        );
        assert_eq!(ProtocolVersion::parse_sessionful("2026-07-28"), None);
        assert_eq!(ProtocolVersion::parse("v999.0.0"), None);
    }

    #[test]
    fn only_2025_03_26_allows_batches() {
        assert!(ProtocolVersion::V2025_03_26.allows_batches());
        assert!(!ProtocolVersion::V2025_06_18.allows_batches());
        assert!(!ProtocolVersion::V2025_11_25.allows_batches());
        assert!(!ProtocolVersion::V2026_07_28.allows_batches());
    }
}
