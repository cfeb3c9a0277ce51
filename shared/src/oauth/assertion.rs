//! RFC 7523 client assertions (`private_key_jwt`): once the signature
//! verifies (`jwks`), the claims must name the client as both issuer and
//! subject, name us as audience, be current and short-lived, and carry a
//! `jti` never seen before — spent in the shared store, so a replay to
//! another instance is refused too.

use serde::Deserialize;

use super::AuthServer;
use super::OAuthError;
use crate::crypto::sha256_hex;
use crate::store::StoreError;

/// The only `client_assertion_type` there is (RFC 7523 §2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Clock difference allowed between the client and us.
pub const SKEW_SECS: i64 = 60;
/// An assertion may expire at most this far ahead: the `jti` is held that long.
pub const MAX_LIFETIME_SECS: i64 = 60 * 60;
const MAX_JTI_LEN: usize = 256;

/// The claims we check.
#[derive(Debug, Deserialize)]
pub struct Claims {
    iss: String,
    sub: String,
    aud: Audience,
    exp: f64,
    nbf: Option<f64>,
    iat: Option<f64>,
    jti: String,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn names_any(&self, ours: &[String]) -> bool {
        let ours = |aud: &String| ours.iter().any(|o| o == aud);
        match self {
            Audience::One(aud) => ours(aud),
            Audience::Many(auds) => auds.iter().any(ours),
        }
    }
}

/// The unverified `iss` of a payload: whose keys to verify it with when
/// the request names no `client_id`.
pub fn issuer_of(payload: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Iss {
        iss: String,
    }
    serde_json::from_slice::<Iss>(payload).ok().map(|c| c.iss)
}

/// The verified payload's claims, when they hold for `client_id` at
/// `now_secs` with one of `audiences` (our URLs this request may name).
pub fn check(
    payload: &[u8],
    client_id: &str,
    audiences: &[String],
    now_secs: i64,
) -> Result<Claims, OAuthError> {
    let refuse = |why: &str| OAuthError::invalid_client(format!("client assertion refused: {why}"));
    let claims: Claims = serde_json::from_slice(payload)
        .map_err(|_| refuse("claims iss, sub, aud, exp and jti are required"))?;
    if claims.iss != client_id || claims.sub != client_id {
        return Err(refuse("iss and sub must both be the client_id"));
    }
    if !claims.aud.names_any(audiences) {
        return Err(refuse(
            "aud must name this server's token endpoint or issuer",
        ));
    }
    let exp = claims.exp as i64;
    if exp + SKEW_SECS <= now_secs {
        return Err(refuse("expired"));
    }
    if exp > now_secs + MAX_LIFETIME_SECS + SKEW_SECS {
        return Err(refuse("exp is more than an hour ahead"));
    }
    if claims
        .nbf
        .is_some_and(|nbf| nbf as i64 > now_secs + SKEW_SECS)
    {
        return Err(refuse("not yet valid (nbf)"));
    }
    if claims
        .iat
        .is_some_and(|iat| iat as i64 > now_secs + SKEW_SECS)
    {
        return Err(refuse("issued in the future (iat)"));
    }
    if claims.jti.is_empty() || claims.jti.len() > MAX_JTI_LEN {
        return Err(refuse("jti must be 1 to 256 characters"));
    }
    Ok(claims)
}

/// Spends the assertion's `jti`: the first use wins everywhere (one store
/// record, created only if absent, until the assertion could no longer be
/// accepted anyway).
pub async fn spend(
    server: &AuthServer<'_>,
    client_id: &str,
    claims: &Claims,
) -> Result<(), OAuthError> {
    let key = format!(
        "jti#{}",
        sha256_hex(&format!("{client_id}\n{}", claims.jti))
    );
    let until_ms = (claims.exp as i64 + SKEW_SECS) * 1000;
    match server
        .stores
        .records
        .create_record(&key, b"{}", until_ms, server.stores.clock.now_ms())
        .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::AlreadyExists) => Err(OAuthError::invalid_client(
            "client assertion refused: its jti was already used",
        )),
        Err(err) => Err(err.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = "https://client.example/c.json";
    const NOW: i64 = 1_800_000_000;

    fn ours() -> Vec<String> {
        vec![
            "https://mcp.example".to_owned(),
            "https://mcp.example/token".to_owned(),
        ]
    }

    fn claims(change: impl FnOnce(&mut serde_json::Value)) -> Result<Claims, OAuthError> {
        let mut value = serde_json::json!({
            "iss": CLIENT, "sub": CLIENT, "aud": "https://mcp.example/token",
            "exp": NOW + 300, "iat": NOW, "jti": "j-1"
        });
        change(&mut value);
        check(value.to_string().as_bytes(), CLIENT, &ours(), NOW)
    }

    #[test]
    fn good_claims_pass_in_either_audience_form() {
        assert!(claims(|_| {}).is_ok());
        assert!(claims(|c| c["aud"] = serde_json::json!(["x", "https://mcp.example"])).is_ok());
        assert!(
            claims(|c| c["exp"] = serde_json::json!(NOW - 30)).is_ok(),
            "within skew"
        );
    }

    #[test]
    fn each_bad_claim_is_refused() {
        type Change = Box<dyn FnOnce(&mut serde_json::Value)>;
        let cases: [(&str, Change); 10] = [
            (
                "iss",
                Box::new(|c| c["iss"] = "https://other.example/c.json".into()),
            ),
            ("sub", Box::new(|c| c["sub"] = "someone".into())),
            (
                "aud",
                Box::new(|c| c["aud"] = "https://mcp.example/other".into()),
            ),
            (
                "aud list",
                Box::new(|c| c["aud"] = serde_json::json!(["a", "b"])),
            ),
            ("expired", Box::new(|c| c["exp"] = (NOW - 61).into())),
            ("far", Box::new(|c| c["exp"] = (NOW + 3600 + 61).into())),
            ("nbf", Box::new(|c| c["nbf"] = (NOW + 120).into())),
            ("iat", Box::new(|c| c["iat"] = (NOW + 120).into())),
            (
                "no jti",
                Box::new(|c| {
                    c.as_object_mut().unwrap().remove("jti");
                }),
            ),
            ("long jti", Box::new(|c| c["jti"] = "j".repeat(257).into())),
        ];
        for (name, change) in cases {
            let err = claims(change).unwrap_err();
            assert_eq!(err.code, "invalid_client", "{name}");
        }
    }

    #[test]
    fn the_issuer_is_read_unverified() {
        assert_eq!(issuer_of(br#"{"iss":"a"}"#).as_deref(), Some("a"));
        assert_eq!(issuer_of(b"[]"), None);
    }
}
