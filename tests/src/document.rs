//! A client metadata document host on loopback: answers every GET with a
//! document whose `client_id` is the URL asked for, and counts the fetches
//! (so a test can prove a fetch never happened).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use crate::http_head::{json_answer, path, read_head};

pub struct DocumentHost {
    pub port: u16,
    fetches: Arc<AtomicU64>,
}

impl DocumentHost {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let fetches = Arc::new(AtomicU64::new(0));
        let counted = fetches.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let counted = counted.clone();
                tokio::spawn(async move {
                    let Some(head) = read_head(&mut stream).await else {
                        return;
                    };
                    counted.fetch_add(1, Ordering::SeqCst);
                    let path = path(&head);
                    let host = head
                        .lines()
                        .find_map(|l| l.strip_prefix("host: ").or(l.strip_prefix("Host: ")))
                        .unwrap_or_default();
                    let body = json!({
                        "client_id": format!("http://{host}{path}"),
                        "client_name": "Document client",
                        "redirect_uris": [crate::oauth::REDIRECT],
                        "token_endpoint_auth_method": "none",
                    })
                    .to_string();
                    let _ = stream.write_all(json_answer(&body).as_bytes()).await;
                });
            }
        });
        Self { port, fetches }
    }

    /// A document URL on this host, under the host name `host`.
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::SeqCst)
    }
}
