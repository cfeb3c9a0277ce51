//! A web host over HTTPS with the test CA's certificate for `chatgpt.com`
//! (`tests/fixtures/`, made once with openssl; test-only): answers GETs of
//! fixed paths with fixed JSON bodies, for a client whose documents must be
//! fetched over https from a global address (see
//! `tests/tests/e2e/oauth_chatgpt_https.rs`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::http_head::{json_answer, path, read_head};

/// The test CA that signed the host's certificate (trust it with `SSL_CERT_FILE`).
pub const CA_PEM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/test-ca.pem");
const CERT_PEM: &[u8] = include_bytes!("../fixtures/chatgpt.com.pem");
const KEY_PEM: &[u8] = include_bytes!("../fixtures/chatgpt.com.key");

pub struct TlsHost {
    fetches: Arc<AtomicU64>,
}

impl TlsHost {
    /// Serves `routes` (path → JSON body) over HTTPS at `address`.
    pub async fn start(address: SocketAddr, routes: HashMap<String, Value>) -> TlsHost {
        let certs =
            vec![CertificateDer::from_pem_slice(CERT_PEM).expect("the fixture certificate")];
        let key = PrivateKeyDer::from_pem_slice(KEY_PEM).expect("the fixture key");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("a server certificate");
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind(address)
            .await
            .expect("bind the host address");
        let routes = Arc::new(routes);
        let fetches = Arc::new(AtomicU64::new(0));
        let counted = fetches.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (acceptor, routes, counted) =
                    (acceptor.clone(), routes.clone(), counted.clone());
                tokio::spawn(async move {
                    let Ok(mut stream) = acceptor.accept(stream).await else {
                        return;
                    };
                    let Some(head) = read_head(&mut stream).await else {
                        return;
                    };
                    counted.fetch_add(1, Ordering::SeqCst);
                    let path = path(&head);
                    let answer = match routes.get(path) {
                        Some(body) => json_answer(&body.to_string()),
                        None => "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned(),
                    };
                    let _ = stream.write_all(answer.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        TlsHost { fetches }
    }

    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::SeqCst)
    }
}
