//! Test support: start the real app (local host, hyper, loopback) and the
//! upstream simulator on ephemeral ports, and talk MCP to it over HTTP.

pub mod answer;
pub mod cfn;
pub mod client_keys;
pub mod document;
pub mod dynamo;
pub mod fault_proxy;
pub mod http_head;
pub mod iam;
pub mod key_host;
pub mod lambda;
pub mod moto;
pub mod oauth;
pub mod process;
pub mod rpc;
pub mod template;
pub mod tls_host;

use std::sync::Arc;
use std::time::Duration;

use malgomo::clock::ManualClock;
use malgomo::store::RecordStore;
use malgomo::upstream::HttpSettings;
use malgomo::{App, Config, Host, Parts};
use malgomo_sim::Simulator;
use serde_json::{Value, json};

pub use malgomo_sim::{Fault, Target, accounts};
pub use reqwest;
pub use rpc::request;

/// The `SESSION_KEY` of every test app (they form one deployment).
pub const TEST_SESSION_KEY: &str = "test-session-key-0123456789abcdef0123456789";

/// The environment of an app whose tests sign in more often than the
/// deployment's password-grant budget allows in a minute (a benchmark, a
/// test of another limit): the largest budget.
pub const UNBUDGETED: (&str, &str) = ("SUPABASE_SIGN_INS_PER_MINUTE", "10000");

/// A running app, its simulator, and the clock it reads.
pub struct TestApp {
    pub base: String,
    pub app: Arc<App>,
    pub sim: Arc<Simulator>,
    pub clock: Arc<ManualClock>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
    }
}

/// How to start the app.
pub struct Options {
    /// Extra environment, on top of the upstream variables pointing at the simulator.
    pub env: Vec<(&'static str, String)>,
    pub loopback_bind: bool,
    pub can_stream: bool,
    pub http: HttpSettings,
    /// Reuse a simulator (two apps, one upstream).
    pub sim: Option<Arc<Simulator>>,
    /// A record store for sessions other than the embedded in-memory one.
    pub store: Option<Arc<dyn RecordStore>>,
    /// An OAuth record store other than the embedded in-memory one.
    pub records: Option<Arc<dyn RecordStore>>,
    /// Share a clock between apps (two instances, one time).
    pub clock: Option<Arc<ManualClock>>,
    /// A listener bound beforehand (when the configuration must name the
    /// server's own address, as `PUBLIC_URL` does).
    pub listener: Option<tokio::net::TcpListener>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            env: Vec::new(),
            loopback_bind: true,
            can_stream: true,
            http: HttpSettings {
                connect_timeout: Duration::from_secs(2),
                request_timeout: Duration::from_secs(2),
            },
            sim: None,
            store: None,
            records: None,
            clock: None,
            listener: None,
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let sim = match options.sim {
        Some(sim) => sim,
        None => Arc::new(Simulator::start(0).await.expect("simulator starts")),
    };
    let mut env = vec![
        ("MALGOMO_API_BASE", sim.base_url()),
        ("SUPABASE_URL", sim.base_url()),
        ("SUPABASE_ANON_KEY", accounts::DEMO_ANON_KEY.to_owned()),
        // One deployment: every test app verifies the others' session ids.
        ("SESSION_KEY", TEST_SESSION_KEY.to_owned()),
    ];
    env.extend(options.env);
    let config = Config::from_lookup(|name| {
        env.iter()
            .rev()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    })
    .expect("test configuration is valid");
    let clock = options.clock.unwrap_or_else(ManualClock::new);
    let host = Host {
        can_stream: options.can_stream,
        loopback_bind: options.loopback_bind,
    };
    let parts = Parts {
        clock: Some(clock.clone()),
        http: Some(options.http),
        store: options.store,
        records: options.records,
    };
    let app = Arc::new(App::with_parts(config, host, parts).expect("the app starts"));
    let listener = match options.listener {
        Some(listener) => listener,
        None => tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback"),
    };
    let base = format!("http://{}", listener.local_addr().expect("local addr"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(malgomo::host::local::serve(app.clone(), listener, async {
        let _ = stopped.await;
    }));
    TestApp {
        base,
        app,
        sim,
        clock,
        shutdown: Some(stop),
    }
}

impl TestApp {
    pub fn mcp_url(&self) -> String {
        format!("{}/mcp", self.base)
    }

    /// A fresh MCP client without a session.
    pub fn client(&self) -> Mcp {
        Mcp::at(&self.mcp_url())
    }

    /// A fresh MCP client without a session, connecting from `ip` (a
    /// loopback address other than 127.0.0.1 stands for another network).
    pub fn client_from(&self, ip: [u8; 4]) -> Mcp {
        Mcp {
            http: http_from(ip),
            ..self.client()
        }
    }

    /// A client that has initialized (protocol 2025-06-18).
    pub async fn session(&self) -> Mcp {
        let mut mcp = self.client();
        mcp.initialize("2025-06-18").await;
        mcp
    }

    /// A client that has initialized and logged in as `email`.
    pub async fn logged_in(&self, email: &str) -> Mcp {
        let mcp = self.session().await;
        let result = mcp.login(email).await;
        assert_eq!(result["isError"], false, "login failed: {result}");
        mcp
    }

    /// Like [`Self::logged_in`], with an upstream token the app already
    /// counts as expired (minted for 5 s; the app renews 10 s early), so
    /// the session's next data call renews. Later tokens live an hour, and
    /// the simulator's counters start at zero.
    pub async fn logged_in_renewing(&self, email: &str) -> Mcp {
        self.sim
            .set_token_lifetime(std::time::Duration::from_secs(5));
        let mcp = self.logged_in(email).await;
        self.sim
            .set_token_lifetime(std::time::Duration::from_secs(3600));
        self.sim.reset_counters();
        mcp
    }
}

/// A loopback port that was free a moment ago (for a child process that
/// must be told its port before it binds it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// An HTTP client whose connections leave from `ip` (use 127.x.y.z: the
/// whole 127/8 is loopback), never following redirects: per-address limits
/// see it as its own caller.
pub fn http_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(ip))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// A raw MCP-over-HTTP client: every header is the test's to choose.
#[derive(Clone)]
pub struct Mcp {
    pub http: reqwest::Client,
    pub url: String,
    pub session: Option<String>,
    pub bearer: Option<String>,
}

impl Mcp {
    /// A fresh client of the endpoint at `url`, without session or bearer.
    pub fn at(url: &str) -> Mcp {
        Mcp {
            http: reqwest::Client::new(),
            url: url.to_owned(),
            session: None,
            bearer: None,
        }
    }

    /// A POST with the standard headers plus the session and bearer held.
    pub fn post(&self) -> reqwest::RequestBuilder {
        let mut builder = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream");
        if let Some(session) = &self.session {
            builder = builder.header("mcp-session-id", session);
        }
        if let Some(bearer) = &self.bearer {
            builder = builder.bearer_auth(bearer);
        }
        builder
    }

    /// `GET` for an event stream, with the session and bearer held.
    pub fn get_stream(&self) -> reqwest::RequestBuilder {
        let mut builder = self
            .http
            .get(&self.url)
            .header("accept", "text/event-stream");
        if let Some(session) = &self.session {
            builder = builder.header("mcp-session-id", session);
        }
        if let Some(bearer) = &self.bearer {
            builder = builder.bearer_auth(bearer);
        }
        builder
    }

    pub async fn send(&self, body: &Value) -> reqwest::Response {
        self.post().json(body).send().await.expect("server answers")
    }

    /// Sends a request and returns (status, JSON body).
    pub async fn rpc(&self, method: &str, params: Value) -> (u16, Value) {
        let response = self.send(&request(1, method, params)).await;
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    pub async fn initialize(&mut self, version: &str) -> Value {
        let response = self.send(&rpc::initialize_request(version)).await;
        assert_eq!(response.status(), 200, "initialize failed");
        self.session = response
            .headers()
            .get("mcp-session-id")
            .map(|v| v.to_str().expect("ascii session id").to_owned());
        let body: Value = response.json().await.expect("initialize answers JSON");
        self.send(&rpc::notification("notifications/initialized"))
            .await;
        body
    }

    /// `tools/call`; returns the `result` (panics on a JSON-RPC error).
    pub async fn call_tool(&self, name: &str, arguments: Value) -> Value {
        let (status, body) = self
            .rpc(
                "tools/call",
                json!({ "name": name, "arguments": arguments }),
            )
            .await;
        assert_eq!(status, 200, "tools/call {name}: {body}");
        body.get("result")
            .cloned()
            .unwrap_or_else(|| panic!("tools/call {name} gave no result: {body}"))
    }

    pub async fn login(&self, email: &str) -> Value {
        let account = accounts::find(email).expect("a demo account");
        self.call_tool(
            "malgomo_login",
            json!({ "email": account.email, "password": account.password }),
        )
        .await
    }
}

/// A real access token from the simulator's password grant (what a client
/// would send as `Authorization: Bearer` in mode B).
pub async fn simulator_jwt(sim: &Simulator, email: &str) -> String {
    let account = accounts::find(email).expect("a demo account");
    let response = reqwest::Client::new()
        .post(format!(
            "{}/auth/v1/token?grant_type=password",
            sim.base_url()
        ))
        .header("apikey", accounts::DEMO_ANON_KEY)
        .json(&json!({ "email": account.email, "password": account.password }))
        .send()
        .await
        .expect("simulator answers");
    assert_eq!(response.status(), 200, "password grant");
    let body: Value = response.json().await.expect("grant JSON");
    body["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// The text of a tool result's first content block.
pub fn text(result: &Value) -> &str {
    result["content"][0]["text"].as_str().unwrap_or_default()
}
