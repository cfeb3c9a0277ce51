//! Reading (not verifying) a Supabase JWT's claims. The server has no key;
//! it reads `exp`/`email` for display and scheduling and treats the
//! backend's 401 as the truth.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Claims {
    pub exp: Option<i64>,
    pub email: Option<String>,
    pub sub: Option<String>,
}

/// The payload claims of a JWT, or `None` when `token` is not a JWT.
pub fn claims(token: &str) -> Option<Claims> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(payload: &str) -> String {
        format!(
            "eyJhbGciOiJIUzI1NiJ9.{}.sig",
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn reads_exp_and_email() {
        let c = claims(&token(r#"{"exp":42,"email":"a@b.c","sub":"u"}"#)).unwrap();
        assert_eq!(c.exp, Some(42));
        assert_eq!(c.email.as_deref(), Some("a@b.c"));
    }

    #[test]
    fn non_jwts_give_none() {
        for bad in [
            "",
            "opaque",
            "a.b",
            "a.b.c.d",
            "a.!!!.c",
            &token("not json"),
        ] {
            assert_eq!(claims(bad), None, "{bad:?}");
        }
    }
}
