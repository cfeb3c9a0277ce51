//! Discovery: protected resource metadata (RFC 9728) and authorization
//! server metadata (RFC 8414), all on the MCP server's own origin with a
//! path-less issuer.

use bytes::Bytes;
use serde_json::{Value, json};
use url::Url;

pub const SCOPE: &str = "mcp";
pub const SCOPES_SUPPORTED: [&str; 2] = ["mcp", "offline_access"];
/// How a registered client may authenticate at `/token` and `/revoke`:
/// what registration accepts.
pub const CLIENT_AUTH_METHODS: [&str; 3] = ["none", "client_secret_post", "client_secret_basic"];
/// What the token and revocation endpoints accept: the registered methods,
/// and `private_key_jwt` for metadata-document clients.
pub const ENDPOINT_AUTH_METHODS: [&str; 4] = [
    "none",
    "client_secret_post",
    "client_secret_basic",
    "private_key_jwt",
];

/// The `private_key_jwt` signing algorithms we verify.
pub fn signing_algs() -> Vec<&'static str> {
    super::jws::Alg::ALL.iter().map(|alg| alg.name()).collect()
}

/// The issuer: `PUBLIC_URL` without a trailing slash.
pub fn issuer(public_url: &Url) -> String {
    public_url.as_str().trim_end_matches('/').to_owned()
}

/// The protected resource: `PUBLIC_URL/mcp`.
pub fn resource(public_url: &Url) -> String {
    format!("{}/mcp", issuer(public_url))
}

/// Where the protected resource metadata lives (path-suffixed form).
pub fn resource_metadata_url(public_url: &Url) -> String {
    format!(
        "{}/.well-known/oauth-protected-resource/mcp",
        issuer(public_url)
    )
}

pub fn protected_resource(public_url: &Url) -> Value {
    json!({
        "resource": resource(public_url),
        "authorization_servers": [issuer(public_url)],
        "scopes_supported": SCOPES_SUPPORTED,
        "bearer_methods_supported": ["header"],
        "resource_name": "MalGomo dashboard",
        "resource_documentation": format!("{}/docs", issuer(public_url))
    })
}

pub fn authorization_server(public_url: &Url) -> Value {
    let issuer = issuer(public_url);
    json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "registration_endpoint": format!("{issuer}/register"),
        "revocation_endpoint": format!("{issuer}/revoke"),
        "scopes_supported": SCOPES_SUPPORTED,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ENDPOINT_AUTH_METHODS,
        "token_endpoint_auth_signing_alg_values_supported": signing_algs(),
        "revocation_endpoint_auth_methods_supported": ENDPOINT_AUTH_METHODS,
        "revocation_endpoint_auth_signing_alg_values_supported": signing_algs(),
        "client_id_metadata_document_supported": true,
        "authorization_response_iss_parameter_supported": true,
        "service_documentation": format!("{issuer}/docs")
    })
}

/// Both discovery documents, serialised once per app: they depend on
/// `PUBLIC_URL` alone, and clients fetch them on every connect.
#[derive(Clone, Debug)]
pub struct Discovery {
    pub protected_resource: Bytes,
    pub authorization_server: Bytes,
}

impl Discovery {
    pub fn new(public_url: &Url) -> Self {
        Self {
            protected_resource: Bytes::from(protected_resource(public_url).to_string()),
            authorization_server: Bytes::from(authorization_server(public_url).to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_has_no_trailing_slash_and_resource_is_mcp() {
        let url = Url::parse("https://mcp.example.com").unwrap();
        assert_eq!(issuer(&url), "https://mcp.example.com");
        assert_eq!(resource(&url), "https://mcp.example.com/mcp");
        let doc = authorization_server(&url);
        assert_eq!(doc["issuer"], "https://mcp.example.com");
        assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
        for list in [
            "token_endpoint_auth_methods_supported",
            "revocation_endpoint_auth_methods_supported",
        ] {
            assert_eq!(
                doc[list],
                json!([
                    "none",
                    "client_secret_post",
                    "client_secret_basic",
                    "private_key_jwt"
                ]),
                "{list}"
            );
        }
        for list in [
            "token_endpoint_auth_signing_alg_values_supported",
            "revocation_endpoint_auth_signing_alg_values_supported",
        ] {
            assert_eq!(doc[list], json!(["RS256", "ES256"]), "{list}");
        }
        assert_eq!(
            protected_resource(&url)["authorization_servers"],
            json!(["https://mcp.example.com"])
        );
    }

    #[test]
    fn the_serialised_documents_are_the_documents() {
        let url = Url::parse("https://mcp.example.com").unwrap();
        let discovery = Discovery::new(&url);
        let parse = |bytes: &Bytes| serde_json::from_slice::<Value>(bytes).unwrap();
        assert_eq!(
            parse(&discovery.protected_resource),
            protected_resource(&url)
        );
        assert_eq!(
            parse(&discovery.authorization_server),
            authorization_server(&url)
        );
    }
}
