//! Support for the OAuth (mode A) end-to-end tests.
//!
//! Mode A needs `PUBLIC_URL` to be the server's own base URL, which is known
//! only once the listener is bound; `malgomo_tests::spawn_app_with` binds
//! after building the config, so this file binds first, then builds the app
//! (mirroring `spawn_app_with`).

use std::sync::Arc;

use crate::{Mcp, Options, TestApp, spawn_app_with};
use malgomo::App;
use malgomo::clock::ManualClock;
use malgomo::store::RecordStore;
use malgomo_sim::Simulator;
use serde_json::{Value, json};
use url::Url;

pub const OWNER: &str = "owner@agency-a.test";
pub const OWNER_PASSWORD: &str = "owner-a-pass";
pub const KPIS: &str = "malgomo_get_kpis";
/// RFC 7636 Appendix B.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
/// A well-formed verifier that does not hash to [`CHALLENGE`].
pub const WRONG_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj";
pub const REDIRECT: &str = "http://127.0.0.1:4444/cb";
pub const STATE: &str = "st-42";
/// A loopback browser origin (MCP Inspector's), allowed by the origin guard.
pub const BROWSER_ORIGIN: &str = "http://localhost:6274";

// ------------------------------------------------------------------ the app

/// A running mode-A app, its simulator and the clock it reads; its
/// endpoints through [`Endpoint`] (deref).
pub struct OAuthApp {
    pub endpoint: Endpoint,
    pub app: Arc<App>,
    pub sim: Arc<Simulator>,
    pub clock: Arc<ManualClock>,
    /// The running instance; dropping it stops the server.
    _instance: TestApp,
}

impl std::ops::Deref for OAuthApp {
    type Target = Endpoint;

    fn deref(&self) -> &Endpoint {
        &self.endpoint
    }
}

/// A mode-A server as its clients see it: where to connect and what it
/// calls itself. Any deployment shape (an in-process app, the Lambda
/// functions behind a front door) is driven through this.
#[derive(Clone)]
pub struct Endpoint {
    /// Where clients connect (`http://127.0.0.1:<port>`).
    pub base: String,
    /// `PUBLIC_URL` (the base unless the server is reached another way).
    pub public: String,
    /// Never follows redirects.
    pub http: reqwest::Client,
}

impl Endpoint {
    pub fn new(base: &str, public: &str) -> Endpoint {
        Endpoint {
            base: base.to_owned(),
            public: public.to_owned(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("an HTTP client"),
        }
    }
}

/// What an instance shares with others.
#[derive(Default)]
pub struct Shared {
    pub sim: Option<Arc<Simulator>>,
    pub clock: Option<Arc<ManualClock>>,
    pub store: Option<Arc<dyn RecordStore>>,
    pub records: Option<Arc<dyn RecordStore>>,
    pub env: Vec<(&'static str, String)>,
}

pub async fn bind() -> (tokio::net::TcpListener, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("local addr"));
    (listener, base)
}

/// One instance on its own simulator, memory store and clock, with
/// `PUBLIC_URL` = its own base URL.
pub async fn spawn() -> OAuthApp {
    let (listener, base) = bind().await;
    spawn_on(listener, &base, Shared::default()).await
}

/// An instance serving `listener` with `PUBLIC_URL` = `public`.
pub async fn spawn_on(listener: tokio::net::TcpListener, public: &str, shared: Shared) -> OAuthApp {
    let mut env = vec![("PUBLIC_URL", public.to_owned())];
    env.extend(shared.env);
    let instance = spawn_app_with(Options {
        env,
        listener: Some(listener),
        sim: shared.sim,
        clock: shared.clock,
        store: shared.store,
        records: shared.records,
        ..Options::default()
    })
    .await;
    OAuthApp {
        endpoint: Endpoint::new(&instance.base, public),
        app: instance.app.clone(),
        sim: instance.sim.clone(),
        clock: instance.clock.clone(),
        _instance: instance,
    }
}

/// Two instances behind one public URL, as behind one front door, sharing
/// one simulator, one clock and one fresh DynamoDB table (the wire server of
/// `MALGOMO_TEST_DYNAMODB`).
pub async fn two_on_one_table() -> (OAuthApp, OAuthApp) {
    let store = Arc::new(crate::dynamo::fresh_store(None).await);
    let sim = Arc::new(Simulator::start(0).await.expect("simulator"));
    let clock = ManualClock::new();
    let (listener_a, public) = bind().await;
    let (listener_b, _) = bind().await;
    let shared = || Shared {
        sim: Some(sim.clone()),
        clock: Some(clock.clone()),
        store: Some(store.clone()),
        records: Some(store.clone()),
        env: Vec::new(),
    };
    let a = spawn_on(listener_a, &public, shared()).await;
    let b = spawn_on(listener_b, &public, shared()).await;
    (a, b)
}

// --------------------------------------------------------------- responses

pub use crate::answer::{Answer, exchange};

/// Query-string parameters of a URL, by name (first wins).
pub fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

pub fn form_body(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

// ------------------------------------------------------------------ clients

/// A registered client.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: String,
    pub secret: Option<String>,
}

/// The token pair of a token response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

impl Tokens {
    pub fn from(answer: &Answer) -> Self {
        assert_eq!(answer.status, 200, "token request failed: {}", answer.body);
        let body = answer.json();
        Self {
            access: body["access_token"]
                .as_str()
                .expect("access_token")
                .to_owned(),
            refresh: body["refresh_token"]
                .as_str()
                .expect("refresh_token")
                .to_owned(),
        }
    }

    /// The grant part of the refresh token (`mgr_<grant>.<secret>`): what
    /// a forger knows, the secret aside.
    pub fn refresh_grant(&self) -> &str {
        let (grant, _) = self.refresh.split_once('.').expect("mgr_<grant>.<secret>");
        grant
    }
}

/// What the sign-in page carries for its form.
#[derive(Clone, Debug)]
pub struct SignInPage {
    pub request_id: String,
    pub csrf: String,
    /// `malgomo_csrf=<value>`, as a browser sends it back.
    pub cookie: String,
    pub html: String,
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("the page has no {name}: {html}"))
        + marker.len();
    let end = html[start..].find('"').expect("a closing quote") + start;
    html[start..end].to_owned()
}

impl SignInPage {
    pub fn parse(answer: &Answer) -> Self {
        assert_eq!(answer.status, 200, "sign-in page: {}", answer.body);
        let cookie = answer
            .set_cookie("malgomo_csrf")
            .expect("the CSRF cookie is set")
            .split(';')
            .next()
            .expect("a cookie pair")
            .to_owned();
        Self {
            request_id: hidden(&answer.body, "request_id"),
            csrf: hidden(&answer.body, "csrf_token"),
            cookie,
            html: answer.body.clone(),
        }
    }
}

impl Endpoint {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Our protected resource: `PUBLIC_URL/mcp`.
    pub fn resource(&self) -> String {
        format!("{}/mcp", self.public)
    }

    pub async fn get(&self, path: &str) -> Answer {
        exchange(self.http.get(self.url(path))).await
    }

    pub fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> reqwest::RequestBuilder {
        self.http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(pairs))
    }

    pub async fn register(&self, metadata: &Value) -> Answer {
        exchange(
            self.http
                .post(self.url("/register"))
                .header("content-type", "application/json")
                .body(metadata.to_string()),
        )
        .await
    }

    /// Registers a public client (`none`) with these redirect URIs.
    pub async fn register_public(&self, redirect_uris: &[&str]) -> Client {
        let answer = self
            .register(&json!({
                "redirect_uris": redirect_uris,
                "token_endpoint_auth_method": "none",
                "client_name": "Test client",
            }))
            .await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        Client {
            id: answer.json()["client_id"]
                .as_str()
                .expect("client_id")
                .to_owned(),
            secret: None,
        }
    }

    /// Registers a confidential client with `method` (a secret comes back).
    pub async fn register_confidential(&self, method: &str) -> Client {
        let answer = self
            .register(&json!({
                "redirect_uris": [REDIRECT],
                "token_endpoint_auth_method": method,
                "client_name": "Hosted client",
            }))
            .await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        let body = answer.json();
        Client {
            id: body["client_id"].as_str().expect("client_id").to_owned(),
            secret: Some(
                body["client_secret"]
                    .as_str()
                    .expect("client_secret")
                    .to_owned(),
            ),
        }
    }

    /// `GET /authorize` with exactly these parameters.
    pub async fn authorize(&self, params: &[(&str, &str)]) -> Answer {
        let mut url = Url::parse(&self.url("/authorize")).expect("authorize URL");
        url.query_pairs_mut().extend_pairs(params);
        exchange(self.http.get(url)).await
    }

    /// The parameters of a correct authorization request, then `changes`:
    /// a pair with an empty value removes that parameter, others replace.
    pub fn authorize_params(
        &self,
        client_id: &str,
        redirect: &str,
        changes: &[(&'static str, &str)],
    ) -> Vec<(&'static str, String)> {
        let mut params: Vec<(&'static str, String)> = vec![
            ("response_type", "code".into()),
            ("client_id", client_id.into()),
            ("redirect_uri", redirect.into()),
            ("code_challenge", CHALLENGE.into()),
            ("code_challenge_method", "S256".into()),
            ("state", STATE.into()),
            ("resource", self.resource()),
            ("scope", "mcp".into()),
        ];
        for (name, value) in changes {
            params.retain(|(key, _)| key != name);
            if !value.is_empty() {
                params.push((name, (*value).to_owned()));
            }
        }
        params
    }

    pub async fn authorize_with(
        &self,
        client_id: &str,
        redirect: &str,
        changes: &[(&'static str, &str)],
    ) -> Answer {
        let params = self.authorize_params(client_id, redirect, changes);
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.authorize(&pairs).await
    }

    /// Submits the sign-in form of `page`.
    pub async fn login(&self, page: &SignInPage, email: &str, password: &str) -> Answer {
        self.login_via(&self.http, page, email, password).await
    }

    /// Submits the sign-in form of `page` through `http` (e.g. a client
    /// from another address, [`crate::http_from`]).
    pub async fn login_via(
        &self,
        http: &reqwest::Client,
        page: &SignInPage,
        email: &str,
        password: &str,
    ) -> Answer {
        exchange(
            http.post(self.url("/oauth/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form_body(&[
                    ("request_id", &page.request_id),
                    ("csrf_token", &page.csrf),
                    ("email", email),
                    ("password", password),
                ]))
                .header("cookie", &page.cookie),
        )
        .await
    }

    /// Authorize (with `changes`) and sign in as the owner; returns the
    /// code from the redirect, after checking `state` and `iss` on it.
    pub async fn code_with(
        &self,
        client_id: &str,
        redirect: &str,
        changes: &[(&'static str, &str)],
    ) -> String {
        let page = SignInPage::parse(&self.authorize_with(client_id, redirect, changes).await);
        let answer = self.login(&page, OWNER, OWNER_PASSWORD).await;
        assert_eq!(answer.status, 303, "sign-in failed: {}", answer.body);
        let location = answer.location();
        assert!(
            location.as_str().starts_with(redirect),
            "redirected to {location}, not {redirect}"
        );
        assert_eq!(param(&location, "state").as_deref(), Some(STATE));
        assert_eq!(
            param(&location, "iss").as_deref(),
            Some(self.public.as_str())
        );
        param(&location, "code").expect("a code on the redirect")
    }

    pub async fn code(&self, client_id: &str) -> String {
        self.code_with(client_id, REDIRECT, &[]).await
    }

    pub async fn token(&self, pairs: &[(&str, &str)]) -> Answer {
        exchange(self.post_form("/token", pairs)).await
    }

    /// The authorization-code exchange a public client makes.
    pub async fn exchange_code(&self, client_id: &str, code: &str, redirect: &str) -> Answer {
        let resource = self.resource();
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", VERIFIER),
            ("client_id", client_id),
            ("resource", &resource),
        ])
        .await
    }

    pub async fn refresh(&self, client_id: &str, refresh_token: &str) -> Answer {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", client_id),
        ])
        .await
    }

    pub async fn revoke(&self, client_id: &str, token: &str) -> Answer {
        exchange(self.post_form("/revoke", &[("token", token), ("client_id", client_id)])).await
    }

    /// Registers a public client and runs the whole flow to a token pair.
    pub async fn connect(&self) -> (Client, Tokens) {
        let client = self.register_public(&[REDIRECT]).await;
        let code = self.code(&client.id).await;
        let tokens = Tokens::from(&self.exchange_code(&client.id, &code, REDIRECT).await);
        (client, tokens)
    }

    /// An MCP client (no session yet) carrying `bearer`.
    pub fn mcp(&self, bearer: &str) -> Mcp {
        Mcp {
            http: reqwest::Client::new(),
            url: self.url("/mcp"),
            session: None,
            bearer: Some(bearer.to_owned()),
        }
    }

    /// A sessionless `tools/call` with `bearer`.
    pub async fn call(&self, bearer: &str, tool: &str, arguments: Value) -> Answer {
        exchange(
            self.mcp(bearer)
                .post()
                .json(&crate::rpc::tool_call(7, tool, arguments)),
        )
        .await
    }

    /// Asserts `bearer` is refused on `/mcp` as an invalid token.
    pub async fn assert_refused(&self, bearer: &str) {
        let answer = self.call(bearer, KPIS, json!({})).await;
        assert_eq!(answer.status, 401, "{}", answer.body);
        assert_eq!(answer.header_count("www-authenticate"), 1);
        let challenge = answer.header("www-authenticate").unwrap_or_default();
        assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
        assert_eq!(answer.error(), "invalid_token", "{}", answer.body);
    }

    /// Asserts `bearer` reads the KPIs.
    pub async fn assert_works(&self, bearer: &str) {
        let answer = self.call(bearer, KPIS, json!({})).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let result = &answer.json()["result"];
        assert_eq!(result["isError"], false, "{result}");
    }
}
