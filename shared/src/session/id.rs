//! The MCP session id: a connection secret, so it is random, never logged
//! whole, and stored only as a hash.

use std::fmt;

use sha2::{Digest, Sha256};

/// A session id in canonical UUID form, from a cryptographically secure
/// source (UUID v4 draws from the OS RNG).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().hyphenated().to_string())
    }

    /// Accepts only ids this server could have issued; anything else is an
    /// unknown session.
    pub fn parse(raw: &str) -> Option<Self> {
        let uuid = uuid::Uuid::try_parse(raw.trim()).ok()?;
        Some(Self(uuid.hyphenated().to_string()))
    }

    /// The value for the `Mcp-Session-Id` header: only the client gets it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// SHA-256 of the id, hex: the storage key. A table dump shows no id.
    pub fn storage_key(&self) -> String {
        hex::encode(Sha256::digest(format!("mcp-session:{}", self.0)))
    }

    /// A short tag for logs: the first 8 hex digits of the storage key, which
    /// correlates lines without revealing the id.
    pub fn log_tag(&self) -> String {
        self.storage_key()[..8].to_owned()
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({}…)", self.log_tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_uuids_and_distinct() {
        let a = SessionId::generate();
        let b = SessionId::generate();
        assert_ne!(a, b);
        assert_eq!(SessionId::parse(a.expose()), Some(a.clone()));
        assert_eq!(a.expose().len(), 36);
    }

    #[test]
    fn foreign_ids_are_refused() {
        for bad in [
            "",
            "abc",
            "../../etc",
            "00000000-0000-0000-0000-00000000000g",
        ] {
            assert_eq!(SessionId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn debug_and_key_hide_the_id() {
        let id = SessionId::generate();
        assert!(!format!("{id:?}").contains(id.expose()));
        assert!(!id.storage_key().contains(id.expose()));
        assert_eq!(id.storage_key().len(), 64);
    }
}
