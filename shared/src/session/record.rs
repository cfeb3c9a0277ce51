//! What a session remembers between requests.

use serde::{Deserialize, Serialize};

use crate::protocol::ProtocolVersion;
use crate::upstream::{Me, TokenSet};

/// One MCP session. Holds the login's token set, never the credentials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The protocol version negotiated at initialize.
    pub protocol_version: ProtocolVersion,
    /// The identity that created the session, when it came with a bearer
    /// (a hash of the bearer's JWT subject, made in `auth`); a request from any other
    /// identity finds no session.
    pub owner: Option<String>,
    pub login: Option<Login>,
    /// Sliding idle expiry, Unix milliseconds; checked on every read.
    pub expires_at_ms: i64,
    /// When the expiry was last pushed forward, Unix milliseconds.
    pub touched_at_ms: i64,
    /// While set and in the future, one request (on any instance) is
    /// refreshing the login's upstream token; the others wait for its result
    /// instead of spending the same single-use refresh token.
    #[serde(default)]
    pub refresh_lease_until_ms: Option<i64>,
}

/// The user logged in through `malgomo_login`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Login {
    pub tokens: TokenSet,
    pub me: Me,
}

impl SessionRecord {
    pub fn is_expired_at(&self, now_ms: i64) -> bool {
        self.expires_at_ms <= now_ms
    }
}
