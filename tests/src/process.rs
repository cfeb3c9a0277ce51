//! The real server binary (`malgomo-mcp`) as a child process on a loopback
//! port, configured by environment only, for tests that need whole
//! instances: several on one DynamoDB table, or one killed mid-request.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

/// A running `malgomo-mcp`; killed (SIGKILL) when dropped.
pub struct Server {
    pub base: String,
    child: Child,
    output: Arc<Mutex<String>>,
}

/// The environment of an instance on `table` behind `dynamodb` (an
/// endpoint URL) with the upstreams at `upstream`: loopback only, dummy
/// AWS credentials, no instance-metadata lookups.
pub fn instance_env(upstream: &str, dynamodb: &str, table: &str) -> Vec<(&'static str, String)> {
    vec![
        ("MALGOMO_API_BASE", upstream.to_owned()),
        ("SUPABASE_URL", upstream.to_owned()),
        (
            "SUPABASE_ANON_KEY",
            malgomo_sim::accounts::DEMO_ANON_KEY.to_owned(),
        ),
        ("DYNAMODB_TABLE", table.to_owned()),
        ("AWS_ENDPOINT_URL_DYNAMODB", dynamodb.to_owned()),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ("SESSION_KEY", crate::TEST_SESSION_KEY.to_owned()),
        ("MAX_SESSIONS", "2000".to_owned()),
        // Load runs sign in far more often than the deployment's budget
        // of password grants allows in a minute.
        (crate::UNBUDGETED.0, crate::UNBUDGETED.1.to_owned()),
        ("RUST_LOG", "warn".to_owned()),
    ]
}

impl Server {
    /// Starts `binary` (a `CARGO_BIN_EXE_*` path) with exactly `env` on a
    /// free loopback port and waits (bounded) until `/healthz` answers.
    pub async fn start(binary: &str, env: &[(&'static str, String)]) -> Server {
        let port = crate::free_port();
        let mut child = Command::new(binary)
            .args(["--port", &port.to_string()])
            .env_clear()
            .envs(env.iter().map(|(key, value)| (*key, value.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {binary}: {err}"));
        let output = Arc::new(Mutex::new(String::new()));
        for pipe in [
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
        ]
        .into_iter()
        .flatten()
        {
            let output = output.clone();
            tokio::spawn(async move {
                let mut pipe = pipe;
                let mut chunk = [0u8; 4096];
                while let Ok(read) = pipe.read(&mut chunk).await {
                    if read == 0 {
                        break;
                    }
                    let text = String::from_utf8_lossy(&chunk[..read]).into_owned();
                    output
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push_str(&text);
                }
            });
        }
        let mut server = Server {
            base: format!("http://127.0.0.1:{port}"),
            child,
            output,
        };
        server.wait_until_serving().await;
        server
    }

    async fn wait_until_serving(&mut self) {
        let http = reqwest::Client::new();
        let health = format!("{}/healthz", self.base);
        for _ in 0..600 {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the server exited ({status}) before serving:\n{}",
                    self.output()
                );
            }
            if http
                .get(&health)
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not serve within 30 s:\n{}", self.output());
    }

    pub fn mcp_url(&self) -> String {
        format!("{}/mcp", self.base)
    }

    /// What the process wrote so far (stdout and stderr).
    pub fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// SIGKILL, and waits for the process to be gone.
    pub async fn kill(&mut self) {
        self.child.kill().await.expect("the server is killed");
    }
}
