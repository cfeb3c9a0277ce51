//! The few cryptographic primitives the server uses, in one place: random
//! secrets, SHA-256 keys for storage, key derivation, and AEAD sealing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 12;

/// 32 bytes from the OS CSPRNG.
pub fn random_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    // The OS RNG failing means the machine cannot do cryptography at all.
    getrandom::fill(&mut bytes).expect("the OS random number generator works");
    bytes
}

/// A random secret token: `prefix` + 256 bits, base64url.
pub fn random_token(prefix: &str) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(random_bytes()))
}

/// SHA-256, hex: how secrets become storage keys.
pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value))
}

/// A 32-byte key from a high-entropy secret, domain-separated by `label`
/// (the secrets here carry ≥ 122 random bits, so SHA-256 is a sound KDF).
pub fn derive_key(label: &str, secret: &str) -> [u8; 32] {
    Sha256::digest(format!("malgomo:{label}:v1:{secret}")).into()
}

/// `nonce || ciphertext` of `plaintext` under `key`, bound to `aad`.
pub fn seal(key: &[u8; 32], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let nonce = Nonce::generate();
    let sealed = ChaCha20Poly1305::new(&Key::from(*key))
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad,
            },
        )
        // Encryption fails only for messages beyond 256 GiB.
        .expect("a sealed value is small");
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

/// The plaintext, or `None` when the blob is damaged, was sealed under
/// another key, or for another `aad`.
pub fn open(key: &[u8; 32], aad: &[u8], blob: &[u8]) -> Option<Vec<u8>> {
    if blob.len() < NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = blob.split_at(NONCE_LEN);
    let nonce = Nonce::try_from(nonce).ok()?;
    ChaCha20Poly1305::new(&Key::from(*key))
        .decrypt(&nonce, Payload { msg: sealed, aad })
        .ok()
}

/// Constant-time equality of two strings (token hashes, CSRF tokens).
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_prefixed() {
        let a = random_token("mga_");
        assert!(a.starts_with("mga_"));
        assert_eq!(a.len(), 4 + 43);
        assert_ne!(a, random_token("mga_"));
    }

    #[test]
    fn sealing_round_trips_and_binds_key_and_aad() {
        let key = random_bytes();
        let blob = seal(&key, b"aad", b"secret-token");
        assert!(!blob.windows(12).any(|w| w == b"secret-token"));
        assert_eq!(open(&key, b"aad", &blob).unwrap(), b"secret-token");
        assert!(open(&random_bytes(), b"aad", &blob).is_none());
        assert!(open(&key, b"other", &blob).is_none());
        assert!(open(&key, b"aad", &blob[..4]).is_none());
        assert_ne!(seal(&key, b"aad", b"x"), seal(&key, b"aad", b"x"));
    }

    #[test]
    fn derived_keys_depend_on_label_and_secret() {
        assert_ne!(derive_key("a", "s"), derive_key("b", "s"));
        assert_ne!(derive_key("a", "s"), derive_key("a", "t"));
        assert_eq!(derive_key("a", "s"), derive_key("a", "s"));
    }

    #[test]
    fn same_compares_exactly() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
