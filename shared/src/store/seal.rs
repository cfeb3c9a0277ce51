//! Encryption at rest of a session's login (the upstream token set), with a
//! key derived from the session id — which only the client holds; the table
//! holds only its hash. A dump of the table gives nobody a usable token.

use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};

use crate::session::SessionId;

const NONCE_LEN: usize = 12;

/// The key of one session. The id carries 122 random bits, so a
/// domain-separated SHA-256 is a sound key derivation; the label differs
/// from the storage-key hash, so the stored hash reveals nothing of the key.
fn cipher(id: &SessionId) -> ChaCha20Poly1305 {
    let digest = Sha256::digest(format!("malgomo-session-login-key:v1:{}", id.expose()));
    ChaCha20Poly1305::new(&Key::from(<[u8; 32]>::from(digest)))
}

/// `nonce || ciphertext`, bound to `aad` (the storage key), so a blob
/// copied onto another record does not open.
pub fn seal(id: &SessionId, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let nonce = Nonce::generate();
    let sealed = cipher(id)
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad,
            },
        )
        // Encryption fails only for messages beyond 256 GiB.
        .expect("a session login is small");
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

/// The plaintext, or `None` when the blob is damaged or not this session's.
pub fn open(id: &SessionId, aad: &[u8], blob: &[u8]) -> Option<Vec<u8>> {
    if blob.len() < NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = blob.split_at(NONCE_LEN);
    let nonce = Nonce::try_from(nonce).ok()?;
    cipher(id)
        .decrypt(&nonce, Payload { msg: sealed, aad })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_hides_the_plaintext() {
        let id = SessionId::generate();
        let blob = seal(&id, b"key", b"secret-token");
        assert!(!blob.windows(12).any(|w| w == b"secret-token"));
        assert_eq!(open(&id, b"key", &blob).unwrap(), b"secret-token");
    }

    #[test]
    fn another_session_or_record_cannot_open_it() {
        let id = SessionId::generate();
        let blob = seal(&id, b"key", b"secret");
        assert!(open(&SessionId::generate(), b"key", &blob).is_none());
        assert!(open(&id, b"other", &blob).is_none());
        assert!(open(&id, b"key", &blob[..5]).is_none());
        let mut tampered = blob.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(open(&id, b"key", &tampered).is_none());
    }

    #[test]
    fn nonces_differ_per_seal() {
        let id = SessionId::generate();
        assert_ne!(seal(&id, b"k", b"x"), seal(&id, b"k", b"x"));
    }
}
