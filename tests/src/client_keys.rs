//! A `private_key_jwt` client's side: its signing keys (RSA fixtures made
//! once with openssl, `tests/fixtures/`; P-256 generated per test), their
//! public JWKs, and RFC 7523 client assertions signed with them — or
//! forged, the ways an attacker would.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{
    self, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair, RsaKeyPair,
    RsaPublicKeyComponents,
};
use serde_json::{Value, json};

/// The only assertion type (RFC 7523 §2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

const RSA_1: &[u8] = include_bytes!("../fixtures/client-rsa-1.pk8");
const RSA_2: &[u8] = include_bytes!("../fixtures/client-rsa-2.pk8");

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A signing key and the `kid` its JWK carries.
pub enum Key {
    Rsa(RsaKeyPair, String),
    Ec(EcdsaKeyPair, String),
}

impl Key {
    /// RSA fixture 1 or 2, under `kid`.
    pub fn rsa(which: u8, kid: &str) -> Key {
        let der = if which == 1 { RSA_1 } else { RSA_2 };
        Key::Rsa(
            RsaKeyPair::from_pkcs8(der).expect("the RSA fixture is PKCS#8"),
            kid.to_owned(),
        )
    }

    /// A fresh P-256 key under `kid`.
    pub fn ec(kid: &str) -> Key {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .expect("a P-256 key");
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .expect("the key just made");
        Key::Ec(pair, kid.to_owned())
    }

    pub fn kid(&self) -> &str {
        match self {
            Key::Rsa(_, kid) | Key::Ec(_, kid) => kid,
        }
    }

    pub fn alg(&self) -> &'static str {
        match self {
            Key::Rsa(..) => "RS256",
            Key::Ec(..) => "ES256",
        }
    }

    /// The public JWK.
    pub fn jwk(&self) -> Value {
        match self {
            Key::Rsa(pair, kid) => {
                let public: RsaPublicKeyComponents<Vec<u8>> = pair.public().into();
                json!({
                    "kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
                    "n": b64(&public.n), "e": b64(&public.e),
                })
            }
            Key::Ec(pair, kid) => {
                let point = pair.public_key().as_ref();
                json!({
                    "kty": "EC", "kid": kid, "crv": "P-256",
                    "x": b64(&point[1..33]), "y": b64(&point[33..65]),
                })
            }
        }
    }

    /// The public key bytes an HMAC forgery would use as its secret.
    pub fn public_bytes(&self) -> Vec<u8> {
        match self {
            Key::Rsa(pair, _) => pair.public().as_ref().to_vec(),
            Key::Ec(pair, _) => pair.public_key().as_ref().to_vec(),
        }
    }

    /// A compact JWS of `claims` under `header`, signed with this key.
    pub fn sign_with(&self, header: &Value, claims: &Value) -> String {
        let input = signing_input(header, claims);
        let rng = SystemRandom::new();
        let signature = match self {
            Key::Rsa(pair, _) => {
                let mut sig = vec![0; pair.public().modulus_len()];
                pair.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &rng,
                    input.as_bytes(),
                    &mut sig,
                )
                .expect("RSA signs");
                sig
            }
            Key::Ec(pair, _) => pair
                .sign(&rng, input.as_bytes())
                .expect("ECDSA signs")
                .as_ref()
                .to_vec(),
        };
        format!("{input}.{}", b64(&signature))
    }

    /// A correctly signed assertion of `claims` (header: our alg and kid).
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_with(
            &json!({ "alg": self.alg(), "kid": self.kid(), "typ": "JWT" }),
            claims,
        )
    }
}

/// A JWK Set of these keys' public halves.
pub fn jwks(keys: &[&Key]) -> Value {
    json!({ "keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>() })
}

fn signing_input(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    )
}

/// The `alg: none` forgery: no signature at all.
pub fn unsigned(kid: &str, claims: &Value) -> String {
    format!(
        "{}.",
        signing_input(&json!({ "alg": "none", "kid": kid }), claims)
    )
}

/// The HS256 forgery: an HMAC keyed with the public key.
pub fn hmac_with(secret: &[u8], kid: &str, claims: &Value) -> String {
    let input = signing_input(&json!({ "alg": "HS256", "kid": kid }), claims);
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let tag = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}

/// The claims of a good assertion by `client_id` for `audience` at
/// `now_secs`, with a fresh `jti`.
pub fn claims(client_id: &str, audience: &str, now_secs: i64) -> Value {
    let mut jti = [0u8; 16];
    ring::rand::SecureRandom::fill(&SystemRandom::new(), &mut jti).expect("random");
    json!({
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now_secs,
        "exp": now_secs + 300,
        "jti": b64(&jti),
    })
}
