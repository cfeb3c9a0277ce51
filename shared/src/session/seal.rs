//! Encryption at rest of a stored session record (the login's upstream
//! token set included), with a key derived from the session id — which only the client holds; the table
//! holds only its hash. A dump of the table gives nobody a usable token.

use crate::crypto;
use crate::session::SessionId;

fn key(id: &SessionId) -> [u8; 32] {
    // The label differs from the storage-key hash, so the stored hash
    // reveals nothing of the key.
    crypto::derive_key("session-login", id.expose())
}

/// Sealed, bound to `aad` (the storage key), so a blob copied onto another
/// record does not open.
pub fn seal(id: &SessionId, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    crypto::seal(&key(id), aad, plaintext)
}

/// The plaintext, or `None` when the blob is damaged or not this session's.
pub fn open(id: &SessionId, aad: &[u8], blob: &[u8]) -> Option<Vec<u8>> {
    crypto::open(&key(id), aad, blob)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ProtocolVersion;
    use crate::session::SessionKey;

    fn new_id() -> SessionId {
        SessionKey::generate().issue(0, ProtocolVersion::V2025_11_25, None)
    }

    #[test]
    fn only_the_session_that_sealed_it_opens_it() {
        let id = new_id();
        let blob = seal(&id, b"key", b"secret");
        assert_eq!(open(&id, b"key", &blob).unwrap(), b"secret");
        assert!(open(&new_id(), b"key", &blob).is_none());
        assert!(open(&id, b"other", &blob).is_none());
    }
}
