//! The OAuth request parsers: a form body or query string (`/token`,
//! `/revoke`, `/oauth/login`, `/authorize`), then the typed parameters read
//! from it (PKCE challenge and verifier, redirect URI, a `client_assertion`
//! checked against a JWK Set the input also gives). Anything gets a value or
//! an OAuth error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use malgomo::oauth::jws::{Alg, Jwks, Parsed};
use malgomo::oauth::{Challenge, Form, RedirectUri};

fuzz_target!(|raw: &[u8]| {
    let Ok(form) = Form::parse(raw) else {
        return;
    };
    let _ = form.require("grant_type");
    if let Ok(challenge) = Challenge::parse(
        form.get("code_challenge"),
        form.get("code_challenge_method"),
    ) {
        let _ = challenge.verify(form.get("code_verifier").unwrap_or_default());
    }
    if let Some(raw_uri) = form.get("redirect_uri")
        && let Ok(registered) = RedirectUri::parse(raw_uri)
    {
        assert!(!registered.as_str().is_empty());
        if let Some(requested) = form.get("requested").and_then(|r| url::Url::parse(r).ok()) {
            let _ = registered.matches(&requested);
        }
        assert!(registered.matches(registered.url()), "a URI matches itself");
    }
    if let Some(token) = form.get("client_assertion")
        && let Ok(parsed) = Parsed::parse(token)
    {
        let jwks: Jwks = form
            .get("jwks")
            .and_then(|raw| serde_json::from_str(raw).ok())
            .unwrap_or_default();
        if let Ok(payload) = parsed.verify(&jwks, &Alg::ALL) {
            assert_eq!(payload, parsed.unverified_payload());
        }
    }
});
