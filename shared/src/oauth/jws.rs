//! Compact JWS verification (RFC 7515) for client assertions, with ring.
//! The algorithm is ours to choose: a token's header only says which of
//! the algorithms *we* allow it claims, and the key must fit that claim
//! (an RSA key only for RS256, a P-256 key only for ES256). `none`, HMAC
//! (the public key used as a shared secret) and anything else are refused
//! before a key is looked at.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde::{Deserialize, Serialize};

/// A compact JWS longer than this is refused unread (a client assertion
/// is a few hundred bytes; an RSA-4096 signature is 683 characters).
pub const MAX_TOKEN_LEN: usize = 8 * 1024;

/// The signature algorithms we verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Alg {
    RS256,
    ES256,
}

impl Alg {
    /// Every algorithm we verify, as the metadata names them.
    pub const ALL: [Alg; 2] = [Alg::RS256, Alg::ES256];

    pub fn name(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::ES256 => "ES256",
        }
    }

    /// The algorithm named `name`, when it is one we verify.
    pub fn parse(name: &str) -> Option<Alg> {
        Alg::ALL.into_iter().find(|alg| alg.name() == name)
    }
}

/// A public JSON Web Key (RFC 7517), the members we read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    pub kty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

/// A JWK Set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

/// Why a JWS was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JwsError {
    #[error("the assertion is not a compact JWS")]
    Malformed,
    #[error("the assertion's algorithm {0:?} is not allowed")]
    AlgNotAllowed(String),
    /// No key of the set fits the header (an unknown `kid`, perhaps a key
    /// rotated in since the set was fetched).
    #[error("no key of the client's JWK Set fits the assertion")]
    NoKey,
    #[error("the assertion's signature does not verify")]
    BadSignature,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    crit: Option<serde_json::Value>,
}

/// The parts of a compact JWS, decoded but not verified.
pub struct Parsed<'a> {
    header: Header,
    signing_input: &'a str,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

impl<'a> Parsed<'a> {
    pub fn parse(token: &'a str) -> Result<Self, JwsError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(JwsError::Malformed);
        }
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwsError::Malformed);
        };
        let decode = |part: &str| {
            URL_SAFE_NO_PAD
                .decode(part)
                .map_err(|_| JwsError::Malformed)
        };
        let header: Header =
            serde_json::from_slice(&decode(header)?).map_err(|_| JwsError::Malformed)?;
        Ok(Self {
            header,
            signing_input: &token[..token.len() - signature.len() - 1],
            payload: decode(payload)?,
            signature: decode(signature)?,
        })
    }

    /// The payload, unverified: only for finding whose keys to verify with.
    pub fn unverified_payload(&self) -> &[u8] {
        &self.payload
    }

    /// The payload, once the signature verifies under a key of `jwks` with
    /// an algorithm of `allowed`.
    pub fn verify(&self, jwks: &Jwks, allowed: &[Alg]) -> Result<&[u8], JwsError> {
        // Extensions we do not understand must not be ignored (RFC 7515 §4.1.11).
        if self.header.crit.is_some() {
            return Err(JwsError::Malformed);
        }
        let alg = Alg::parse(&self.header.alg)
            .filter(|alg| allowed.contains(alg))
            .ok_or_else(|| JwsError::AlgNotAllowed(self.header.alg.chars().take(20).collect()))?;
        let fitting: Vec<&Jwk> = jwks.keys.iter().filter(|key| fits(key, alg)).collect();
        let key = match &self.header.kid {
            Some(kid) => fitting
                .iter()
                .find(|key| key.kid.as_deref() == Some(kid.as_str())),
            None if fitting.len() == 1 => fitting.first(),
            None => None,
        }
        .ok_or(JwsError::NoKey)?;
        let message = self.signing_input.as_bytes();
        let verified = match alg {
            Alg::RS256 => rsa_verify(key, message, &self.signature),
            Alg::ES256 => ec_verify(key, message, &self.signature),
        };
        if verified {
            Ok(&self.payload)
        } else {
            Err(JwsError::BadSignature)
        }
    }
}

/// Whether `key` is a signing key of the kind `alg` needs.
fn fits(key: &Jwk, alg: Alg) -> bool {
    let declared_ok = key.alg.as_deref().is_none_or(|a| a == alg.name())
        && key.use_.as_deref().is_none_or(|u| u == "sig");
    let kind_ok = match alg {
        Alg::RS256 => key.kty == "RSA" && key.n.is_some() && key.e.is_some(),
        Alg::ES256 => {
            key.kty == "EC"
                && key.crv.as_deref() == Some("P-256")
                && key.x.is_some()
                && key.y.is_some()
        }
    };
    declared_ok && kind_ok
}

fn member(value: Option<&String>) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(value?).ok()
}

fn rsa_verify(key: &Jwk, message: &[u8], signature: &[u8]) -> bool {
    let (Some(n), Some(e)) = (member(key.n.as_ref()), member(key.e.as_ref())) else {
        return false;
    };
    RsaPublicKeyComponents { n: &n, e: &e }
        .verify(&signature::RSA_PKCS1_2048_8192_SHA256, message, signature)
        .is_ok()
}

fn ec_verify(key: &Jwk, message: &[u8], signature: &[u8]) -> bool {
    let (Some(x), Some(y)) = (member(key.x.as_ref()), member(key.y.as_ref())) else {
        return false;
    };
    if x.len() != 32 || y.len() != 32 {
        return false;
    }
    let mut point = Vec::with_capacity(65);
    point.push(0x04);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
        .verify(message, signature)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn ec_key() -> (EcdsaKeyPair, Jwk) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let public = pair.public_key().as_ref();
        let jwk = Jwk {
            kty: "EC".into(),
            kid: Some("ec-1".into()),
            crv: Some("P-256".into()),
            x: Some(b64(&public[1..33])),
            y: Some(b64(&public[33..65])),
            ..Jwk::default()
        };
        (pair, jwk)
    }

    fn sign(pair: &EcdsaKeyPair, header: &str, payload: &str) -> String {
        let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        let sig = pair.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
        format!("{input}.{}", b64(sig.as_ref()))
    }

    #[test]
    fn an_es256_token_verifies_and_a_changed_one_does_not() {
        let (pair, jwk) = ec_key();
        let jwks = Jwks { keys: vec![jwk] };
        let token = sign(&pair, r#"{"alg":"ES256","kid":"ec-1"}"#, r#"{"a":1}"#);
        let parsed = Parsed::parse(&token).unwrap();
        assert_eq!(parsed.verify(&jwks, &Alg::ALL).unwrap(), br#"{"a":1}"#);
        // Our allowlist, narrowed, decides.
        assert_eq!(
            parsed.verify(&jwks, &[Alg::RS256]).unwrap_err(),
            JwsError::AlgNotAllowed("ES256".into())
        );
        let (head, _) = token.rsplit_once('.').unwrap();
        let other = sign(&pair, r#"{"alg":"ES256","kid":"ec-1"}"#, r#"{"a":2}"#);
        let forged = format!("{head}.{}", other.rsplit_once('.').unwrap().1);
        assert_eq!(
            Parsed::parse(&forged).unwrap().verify(&jwks, &Alg::ALL),
            Err(JwsError::BadSignature)
        );
    }

    #[test]
    fn keys_are_chosen_by_kid_and_must_fit_the_algorithm() {
        let (pair, jwk) = ec_key();
        let (_, second) = ec_key();
        let one = Jwks {
            keys: vec![jwk.clone()],
        };
        let no_kid = sign(&pair, r#"{"alg":"ES256"}"#, "{}");
        assert!(
            Parsed::parse(&no_kid)
                .unwrap()
                .verify(&one, &Alg::ALL)
                .is_ok()
        );
        let two = Jwks {
            keys: vec![
                jwk.clone(),
                Jwk {
                    kid: Some("ec-2".into()),
                    ..second
                },
            ],
        };
        assert_eq!(
            Parsed::parse(&no_kid).unwrap().verify(&two, &Alg::ALL),
            Err(JwsError::NoKey),
            "no kid and two keys: none is guessed"
        );
        let unknown = sign(&pair, r#"{"alg":"ES256","kid":"nope"}"#, "{}");
        assert_eq!(
            Parsed::parse(&unknown).unwrap().verify(&two, &Alg::ALL),
            Err(JwsError::NoKey)
        );
        // An EC key claimed as RS256 does not fit.
        let rs = sign(&pair, r#"{"alg":"RS256","kid":"ec-1"}"#, "{}");
        assert_eq!(
            Parsed::parse(&rs).unwrap().verify(&one, &Alg::ALL),
            Err(JwsError::NoKey)
        );
        let declared_other = Jwks {
            keys: vec![Jwk {
                alg: Some("ES384".into()),
                ..jwk
            }],
        };
        assert_eq!(
            Parsed::parse(&no_kid)
                .unwrap()
                .verify(&declared_other, &Alg::ALL),
            Err(JwsError::NoKey)
        );
    }

    #[test]
    fn none_hmac_crit_and_garbage_are_refused() {
        let (pair, jwk) = ec_key();
        let jwks = Jwks { keys: vec![jwk] };
        for alg in ["none", "HS256", "RS384", "es256", ""] {
            let token = format!(
                "{}.{}.",
                b64(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()),
                b64(b"{}")
            );
            assert!(
                matches!(
                    Parsed::parse(&token).unwrap().verify(&jwks, &Alg::ALL),
                    Err(JwsError::AlgNotAllowed(_))
                ),
                "{alg}"
            );
        }
        let crit = sign(&pair, r#"{"alg":"ES256","crit":["x"],"x":1}"#, "{}");
        assert_eq!(
            Parsed::parse(&crit).unwrap().verify(&jwks, &Alg::ALL),
            Err(JwsError::Malformed)
        );
        for garbage in [
            "",
            "a.b",
            "a.b.c.d",
            "!!.e30.",
            "e30.e30.e30",
            &"a".repeat(9000),
        ] {
            assert!(Parsed::parse(garbage).is_err(), "{garbage:.20}");
        }
    }
}
