//! The process's TLS: rustls with *ring* as its cryptography, for both HTTP
//! clients — reqwest (Supabase, the MalGomo API, client metadata documents)
//! and the DynamoDB SDK's. Chosen once, here.
//!
//! Why ring rather than the crates' default (aws-lc): every Lambda bootstrap
//! is uploaded and unpacked on each cold start, and aws-lc's static library
//! is most of a megabyte-scale difference in its size, for cipher suites a
//! client of two HTTPS services never uses. Certificates are still checked
//! against the system's root certificates by both.
//!
//! A process that finds no root certificate at all (an image without CA
//! certificates) gets [`NoTls`], an error it can answer with, not a panic.

use std::sync::{Once, OnceLock};

use aws_sdk_dynamodb::config::{HttpClient, RuntimeComponents, SharedHttpClient};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::{HttpConnectorSettings, SharedHttpConnector};

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

/// The process has no certificate to trust, so it cannot verify (or reach)
/// any HTTPS upstream. Carries the TLS backend's reason.
#[derive(Debug, thiserror::Error)]
#[error(
    "no TLS trust store: {0} (the image needs CA certificates in /etc/ssl/certs, or SSL_CERT_FILE / SSL_CERT_DIR naming them)"
)]
pub struct NoTls(String);

impl NoTls {
    /// The reason of a failed client build: reqwest's own message says only
    /// "builder error", the TLS backend's is further down the chain.
    pub(crate) fn from_build(err: &(dyn std::error::Error + 'static)) -> Self {
        let mut reason = err.to_string();
        let mut source = err.source();
        while let Some(cause) = source {
            reason = format!("{reason}: {cause}");
            source = cause.source();
        }
        Self(reason)
    }
}

/// The DynamoDB SDK's HTTPS client, on rustls with ring, built when the
/// first DynamoDB request needs it.
pub fn dynamodb_http_client() -> SharedHttpClient {
    SharedHttpClient::new(OnFirstUse::default())
}

/// Building the HTTPS client reads every system root certificate (a few
/// milliseconds of file reads and parsing): a cold start whose first
/// request stores nothing — `initialize`, `GET /healthz` on the `mcp`
/// function — should not pay for it.
#[derive(Debug, Default)]
struct OnFirstUse(OnceLock<SharedHttpClient>);

impl HttpClient for OnFirstUse {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0
            .get_or_init(|| {
                aws_smithy_http_client::Builder::new()
                    .tls_provider(Provider::Rustls(CryptoMode::Ring))
                    .build_https()
            })
            .http_connector(settings, components)
    }
}
