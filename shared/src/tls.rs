//! The process's TLS: rustls with *ring* as its cryptography, for both HTTP
//! clients — reqwest (Supabase, the MalGomo API, client metadata documents)
//! and the DynamoDB SDK's. Chosen once, here.
//!
//! Why ring rather than the crates' default (aws-lc): every Lambda bootstrap
//! is uploaded and unpacked on each cold start, and aws-lc's static library
//! is most of a megabyte-scale difference in its size, for cipher suites a
//! client of two HTTPS services never uses. Certificates are still checked
//! against the platform's roots (reqwest) and the web PKI (the SDK).

use std::sync::Once;

use aws_sdk_dynamodb::config::SharedHttpClient;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};

/// A reqwest builder whose TLS uses ring: installs ring as the process's
/// default rustls provider (once; reqwest takes the default it finds).
pub fn reqwest_builder() -> reqwest::ClientBuilder {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Fails only when another provider was installed first, which then
        // stays in use: nothing in this process installs one.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
}

/// The DynamoDB SDK's HTTPS client, on rustls with ring.
pub fn dynamodb_http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}
