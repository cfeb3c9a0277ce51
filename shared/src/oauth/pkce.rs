//! PKCE (RFC 7636), S256 only: `plain` would hand the verifier to anyone
//! who sees the authorization request.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::OAuthError;

/// A code challenge as sent to `/authorize` (43 base64url characters).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Challenge(String);

impl Challenge {
    pub fn parse(challenge: Option<&str>, method: Option<&str>) -> Result<Self, OAuthError> {
        let challenge = challenge
            .ok_or_else(|| OAuthError::invalid_request("code_challenge is required (PKCE S256)"))?;
        match method {
            Some("S256") => {}
            Some("plain") | None => {
                return Err(OAuthError::invalid_request(
                    "code_challenge_method must be S256; plain is not supported",
                ));
            }
            Some(other) => {
                return Err(OAuthError::invalid_request(format!(
                    "unsupported code_challenge_method {other:?}; use S256"
                )));
            }
        }
        let valid = challenge.len() == 43
            && challenge
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(OAuthError::invalid_request(
                "code_challenge must be the base64url SHA-256 of the verifier (43 characters)",
            ));
        }
        Ok(Self(challenge.to_owned()))
    }

    /// Whether `verifier` hashes to this challenge (constant time).
    pub fn verify(&self, verifier: &str) -> bool {
        let verifier_ok = (43..=128).contains(&verifier.len())
            && verifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
        let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        verifier_ok && crate::crypto::same(&computed, &self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 Appendix B.
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn s256_verifies_the_rfc_example() {
        let challenge = Challenge::parse(Some(CHALLENGE), Some("S256")).unwrap();
        assert!(challenge.verify(VERIFIER));
        assert!(!challenge.verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj"));
        assert!(!challenge.verify(""));
    }

    #[test]
    fn plain_and_missing_are_refused() {
        assert!(Challenge::parse(Some(CHALLENGE), Some("plain")).is_err());
        assert!(Challenge::parse(Some(CHALLENGE), None).is_err());
        assert!(Challenge::parse(None, Some("S256")).is_err());
        assert!(Challenge::parse(Some("short"), Some("S256")).is_err());
    }
}
