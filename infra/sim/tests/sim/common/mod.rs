//! Shared helpers: a fresh simulator per test and thin HTTP wrappers around it.

use malgomo_sim::Simulator;
use malgomo_sim::accounts::DEMO_ANON_KEY;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

pub struct TestSim {
    pub sim: Simulator,
    pub http: Client,
}

/// Starts a simulator on an ephemeral port with a plain HTTP client.
pub async fn spawn_sim() -> TestSim {
    let sim = Simulator::start(0).await.expect("simulator starts");
    TestSim {
        sim,
        http: Client::new(),
    }
}

impl TestSim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sim.base_url(), path)
    }

    /// `POST /auth/v1/token?grant_type=password` with the demo apikey.
    pub async fn password_grant(&self, email: &str, password: &str) -> Response {
        self.http
            .post(self.url("/auth/v1/token?grant_type=password"))
            .header("apikey", DEMO_ANON_KEY)
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("request")
    }

    /// A successful login's JSON body.
    pub async fn login(&self, email: &str, password: &str) -> Value {
        let r = self.password_grant(email, password).await;
        assert_eq!(r.status(), StatusCode::OK, "login {email}");
        r.json().await.expect("token json")
    }

    /// Logs in as `email` using its demo password and returns the access token.
    pub async fn token_for(&self, email: &str) -> String {
        let account = malgomo_sim::accounts::find(email).expect("demo account");
        self.login(account.email, account.password).await["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }

    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.http
            .post(self.url("/auth/v1/token?grant_type=refresh_token"))
            .header("apikey", DEMO_ANON_KEY)
            .json(&json!({"refresh_token": refresh_token}))
            .send()
            .await
            .expect("request")
    }

    pub async fn logout(&self, access_token: &str) -> Response {
        self.http
            .post(self.url("/auth/v1/logout"))
            .header("apikey", DEMO_ANON_KEY)
            .bearer_auth(access_token)
            .send()
            .await
            .expect("request")
    }

    pub async fn user(&self, access_token: &str) -> Response {
        self.http
            .get(self.url("/auth/v1/user"))
            .header("apikey", DEMO_ANON_KEY)
            .bearer_auth(access_token)
            .send()
            .await
            .expect("request")
    }

    /// `GET` an `/api` path with a bearer token.
    pub async fn api(&self, access_token: &str, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(access_token)
            .send()
            .await
            .expect("request")
    }

    /// `GET` an `/api` path, expecting 200 JSON.
    pub async fn api_json(&self, access_token: &str, path: &str) -> Value {
        let r = self.api(access_token, path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        r.json().await.expect("json")
    }
}

/// The revenue categories every KPI answer breaks its revenue into.
pub const CATEGORIES: [&str; 6] = [
    "subscriptions",
    "tips",
    "messages",
    "posts",
    "streams",
    "referrals",
];

/// Status and JSON body of a response.
pub async fn status_json(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let body = r.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Asserts a GoTrue-style error answer: `status` and `error_code`; returns
/// the body.
pub async fn gotrue_error(r: Response, status: u16, error_code: &str) -> Value {
    let (got, body) = status_json(r).await;
    assert_eq!(
        (got.as_u16(), body["error_code"].as_str()),
        (status, Some(error_code)),
        "{body}"
    );
    body
}

/// A euro amount as integer cents.
pub fn cents(v: &Value) -> i64 {
    (v.as_f64().expect("number") * 100.0).round() as i64
}

/// Σ cents of `field` over an array.
pub fn sum_cents(items: &Value, field: &str) -> i64 {
    items
        .as_array()
        .expect("array")
        .iter()
        .map(|i| cents(&i[field]))
        .sum()
}

/// Σ integer `field` over an array.
pub fn sum_u64(items: &Value, field: &str) -> u64 {
    items
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i[field].as_u64().expect("integer"))
        .sum()
}

/// The JWT payload, decoded without verification.
pub fn jwt_part(token: &str, index: usize) -> Value {
    use base64::Engine as _;
    let part = token.split('.').nth(index).expect("jwt part");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("json")
}

/// Removes the clock-dependent stamps so answers can be compared with `data::*`.
pub fn without_stamps(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("generated_at");
        o.remove("latest_fetched_at");
    }
    v
}
