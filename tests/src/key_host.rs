//! A `private_key_jwt` client's web host on loopback: its metadata
//! document at `/client.json` (ChatGPT's shape by default) and its JWK Set
//! at `/jwks.json`, both replaceable while it runs (key rotation), each
//! fetch counted (so a test can prove a fetch did or did not happen).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::{Value, json};

#[derive(Default)]
struct Served {
    document: Mutex<Value>,
    jwks: Mutex<Value>,
    document_fetches: AtomicU64,
    jwks_fetches: AtomicU64,
}

pub struct KeyHost {
    pub base: String,
    served: Arc<Served>,
}

impl KeyHost {
    /// Serves ChatGPT's document shape (RS256, `jwks_uri`) redirecting to
    /// `redirect`, and `jwks`.
    pub async fn start(redirect: &str, jwks: Value) -> KeyHost {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let host = Self::serve(listener, base);
        host.set_document(host.chatgpt_document(redirect));
        host.set_jwks(jwks);
        host
    }

    /// Serves on `listener`, known to its clients as `base`.
    pub fn serve(listener: tokio::net::TcpListener, base: String) -> KeyHost {
        let served = Arc::new(Served::default());
        let app = Router::new()
            .route("/client.json", get(document))
            .route("/jwks.json", get(key_set))
            .with_state(served.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        KeyHost { base, served }
    }

    pub fn client_id(&self) -> String {
        format!("{}/client.json", self.base)
    }

    pub fn jwks_uri(&self) -> String {
        format!("{}/jwks.json", self.base)
    }

    /// The document ChatGPT serves (issue 17), on this host.
    pub fn chatgpt_document(&self, redirect: &str) -> Value {
        chatgpt_document(
            &self.client_id(),
            &format!("{}/", self.base),
            redirect,
            &self.jwks_uri(),
        )
    }

    pub fn set_document(&self, document: Value) {
        *self.served.document.lock().unwrap() = document;
    }

    pub fn set_jwks(&self, jwks: Value) {
        *self.served.jwks.lock().unwrap() = jwks;
    }

    pub fn jwks_fetches(&self) -> u64 {
        self.served.jwks_fetches.load(Ordering::SeqCst)
    }

    pub fn document_fetches(&self) -> u64 {
        self.served.document_fetches.load(Ordering::SeqCst)
    }
}

async fn document(State(served): State<Arc<Served>>) -> axum::Json<Value> {
    served.document_fetches.fetch_add(1, Ordering::SeqCst);
    axum::Json(served.document.lock().unwrap().clone())
}

async fn key_set(State(served): State<Arc<Served>>) -> axum::Json<Value> {
    served.jwks_fetches.fetch_add(1, Ordering::SeqCst);
    axum::Json(served.jwks.lock().unwrap().clone())
}

/// The client metadata document ChatGPT publishes (issue 17: the one
/// public reports show), for its client_id, site, redirect and key set.
pub fn chatgpt_document(
    client_id: &str,
    client_uri: &str,
    redirect: &str,
    jwks_uri: &str,
) -> Value {
    json!({
        "client_id": client_id,
        "client_uri": client_uri,
        "redirect_uris": [redirect],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "client_name": "ChatGPT",
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "RS256",
        "jwks_uri": jwks_uri,
    })
}
