//! One way to start what a test needs: the simulator plus both clients built
//! the way the app builds them, and a canned backend for answers the simulator
//! never gives.

use std::io;
use std::net::{Ipv4Addr, TcpListener as StdListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use malgomo::domain::{Email, Secret};
use malgomo::upstream::{Grant, HttpSettings, Upstream, UpstreamError};
use malgomo_sim::Simulator;
use malgomo_sim::accounts::{self, DEMO_ANON_KEY};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use url::Url;

pub const OWNER_A: &str = "owner@agency-a.test";
pub const ADMIN_A: &str = "admin@agency-a.test";
pub const MEMBER_A: &str = "member@agency-a.test";
pub const OWNER_B: &str = "owner@agency-b.test";
pub const UNCONFIRMED: &str = "unconfirmed@agency-a.test";

/// Short timeouts, so a hung upstream costs a test one second, not fifteen.
pub fn settings() -> HttpSettings {
    HttpSettings {
        connect_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(1),
    }
}

/// A base URL the clients can join paths onto (it must end with '/').
pub fn base_url(root: &str) -> Url {
    Url::parse(&format!("{}/", root.trim_end_matches('/'))).expect("a valid base URL")
}

/// A loopback URL where nothing listens: the port was free a moment ago.
pub fn refused_url() -> Url {
    let listener = StdListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free port");
    let port = listener.local_addr().expect("a local address").port();
    drop(listener);
    base_url(&format!("http://127.0.0.1:{port}"))
}

/// The current Unix time, as `with_fresh_token` takes it.
pub fn now() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    i64::try_from(since.as_secs()).expect("seconds fit in i64")
}

pub fn email(raw: &str) -> Email {
    Email::parse(raw).expect("a valid email")
}

/// The demo password of a simulator account (the one table tests and demo share).
pub fn password(raw_email: &str) -> Secret {
    let account = accounts::find(raw_email).expect("a demo account");
    Secret::new(account.password)
}

/// A fresh simulator and the two clients pointed at it.
pub struct TestUpstream {
    pub sim: Simulator,
    pub upstream: Upstream,
}

impl TestUpstream {
    pub async fn spawn() -> Self {
        Self::spawn_with_anon_key(Some(Secret::new(DEMO_ANON_KEY))).await
    }

    pub async fn spawn_with_anon_key(anon_key: Option<Secret>) -> Self {
        let sim = Simulator::start(0).await.expect("the simulator starts");
        let base = base_url(&sim.base_url());
        let upstream =
            Upstream::new(base.clone(), base, anon_key, settings()).expect("CA certificates load");
        Self { sim, upstream }
    }

    /// Requests that reached `endpoint` (`password`, `refresh`, `me`, `kpis`, ...).
    pub fn requests(&self, endpoint: &str) -> u64 {
        self.sim.counters().request_count(endpoint)
    }

    pub async fn try_login(&self, raw_email: &str, password: &str) -> Result<Grant, UpstreamError> {
        self.upstream
            .auth
            .password_grant(&email(raw_email), &Secret::new(password))
            .await
    }

    /// Logs a demo account in with its documented password.
    pub async fn login(&self, raw_email: &str) -> Grant {
        self.upstream
            .auth
            .password_grant(&email(raw_email), &password(raw_email))
            .await
            .unwrap_or_else(|err| panic!("{raw_email} logs in: {err}"))
    }
}

/// A stand-in backend that gives every request the same HTTP answer, for
/// answers the simulator cannot be made to give through the typed client.
/// It records each request line.
pub struct Canned {
    pub base: Url,
    request_lines: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl Canned {
    pub async fn start(status: u16, body: impl Into<String>) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind a free port");
        let port = listener.local_addr().expect("a local address").port();
        let body = body.into();
        let answer = Arc::new(format!(
            "HTTP/1.1 {status} Canned\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ));
        let request_lines = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::clone(&request_lines);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let answer = Arc::clone(&answer);
                let lines = Arc::clone(&lines);
                tokio::spawn(async move {
                    if let Ok(line) = answer_once(&stream, answer.as_bytes()).await {
                        lines.lock().expect("not poisoned").push(line);
                    }
                });
            }
        });
        Self {
            base: base_url(&format!("http://127.0.0.1:{port}")),
            request_lines,
            task,
        }
    }

    /// `GET /api/... HTTP/1.1` lines, in arrival order.
    pub fn request_lines(&self) -> Vec<String> {
        self.request_lines.lock().expect("not poisoned").clone()
    }
}

impl Drop for Canned {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request head, writes `answer`, and returns the request line.
async fn answer_once(stream: &TcpStream, answer: &[u8]) -> io::Result<String> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        stream.readable().await?;
        match stream.try_read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {}
            Err(err) => return Err(err),
        }
    }
    let mut written = 0;
    while written < answer.len() {
        stream.writable().await?;
        match stream.try_write(&answer[written..]) {
            Ok(n) => written += n,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {}
            Err(err) => return Err(err),
        }
    }
    let head = String::from_utf8_lossy(&head);
    Ok(head.lines().next().unwrap_or_default().to_owned())
}
