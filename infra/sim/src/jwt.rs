//! HS256 access tokens, shaped like the ones Supabase issues.
//!
//! The MCP server never verifies signatures (it has no key); the simulated backend does,
//! so a token forged or altered by a client is rejected the way the real backend would.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The fixed JOSE header: `{"alg":"HS256","typ":"JWT"}`.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// The claims Supabase puts in an access token (contract §1 "Access token").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: u64,
    pub iat: u64,
    pub email: String,
    pub role: String,
    pub aal: String,
    pub session_id: String,
    pub is_anonymous: bool,
}

/// Why a token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts, not JSON, or not HS256.
    Malformed,
    /// Signed with another key, or altered.
    BadSignature,
    /// `exp` is not in the future.
    Expired,
}

/// Signs and verifies with one secret (a random one per simulator).
#[derive(Clone)]
pub struct Signer {
    mac: HmacSha256,
}

impl Signer {
    /// A signer over a 64-byte key; the key type is fixed-size so construction cannot fail.
    pub fn new(secret: [u8; 64]) -> Self {
        Signer {
            mac: HmacSha256::new(&secret.into()),
        }
    }

    /// A signer with a key drawn from the OS RNG (through UUID v4, which the crate already
    /// depends on, rather than another RNG crate).
    pub fn random() -> Self {
        let mut secret = [0u8; 64];
        for chunk in secret.chunks_mut(16) {
            chunk.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        }
        Signer::new(secret)
    }

    /// `header.claims.signature`, all base64url without padding.
    pub fn sign(&self, claims: &Claims) -> String {
        let payload = serde_json::to_vec(claims).unwrap_or_default();
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(HEADER),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let mut mac = self.mac.clone();
        mac.update(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// Checks structure, algorithm, signature (constant time) and expiry, in that order.
    pub fn verify(&self, token: &str, now_unix: u64) -> Result<Claims, JwtError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed);
        };
        let header_json = URL_SAFE_NO_PAD
            .decode(header)
            .map_err(|_| JwtError::Malformed)?;
        let header_value: serde_json::Value =
            serde_json::from_slice(&header_json).map_err(|_| JwtError::Malformed)?;
        if header_value.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
            return Err(JwtError::Malformed);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| JwtError::Malformed)?;
        let mut mac = self.mac.clone();
        mac.update(header.as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| JwtError::BadSignature)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| JwtError::Malformed)?;
        let claims: Claims = serde_json::from_slice(&payload).map_err(|_| JwtError::Malformed)?;
        if claims.exp <= now_unix {
            return Err(JwtError::Expired);
        }
        Ok(claims)
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: u64) -> Claims {
        Claims {
            iss: "http://127.0.0.1:1/auth/v1".into(),
            sub: "u".into(),
            aud: "authenticated".into(),
            exp,
            iat: 100,
            email: "e@x.test".into(),
            role: "authenticated".into(),
            aal: "aal1".into(),
            session_id: "s".into(),
            is_anonymous: false,
        }
    }

    #[test]
    fn round_trip() {
        let s = Signer::random();
        let token = s.sign(&claims(200));
        assert_eq!(s.verify(&token, 150), Ok(claims(200)));
        assert!(token.starts_with("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
    }

    #[test]
    fn expired_at_exp() {
        let s = Signer::random();
        assert_eq!(s.verify(&s.sign(&claims(200)), 200), Err(JwtError::Expired));
    }

    #[test]
    fn other_key_is_bad_signature() {
        let token = Signer::random().sign(&claims(200));
        assert_eq!(
            Signer::random().verify(&token, 1),
            Err(JwtError::BadSignature)
        );
    }

    #[test]
    fn altered_payload_is_rejected() {
        let s = Signer::random();
        let token = s.sign(&claims(200));
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(9_999)).unwrap());
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
        assert_eq!(s.verify(&forged, 1), Err(JwtError::BadSignature));
    }

    #[test]
    fn garbage_never_panics() {
        let s = Signer::random();
        for t in ["", ".", "..", "a.b.c", "a.b.c.d", "eyJ.eyJ.%%%", "ü.ö.ä"] {
            assert!(s.verify(t, 1).is_err(), "{t}");
        }
    }
}
