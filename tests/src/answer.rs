//! A raw HTTP answer as the transport tests read it, and the one way they
//! get one: every exchange also checks that the server never answers a
//! bare 500.

use reqwest::header::HeaderMap;
use serde_json::Value;
use url::Url;

pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

/// Sends `builder` and reads the whole answer.
pub async fn exchange(builder: reqwest::RequestBuilder) -> Answer {
    let response = builder.send().await.expect("server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body reads");
    assert_ne!(status, 500, "a bare 500: {body}");
    Answer {
        status,
        headers,
        body,
    }
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|err| {
            panic!(
                "status {} body is not JSON ({err}): {:?}",
                self.status, self.body
            )
        })
    }

    /// The JSON-RPC error code of the body.
    pub fn error_code(&self) -> i64 {
        let body = self.json();
        body["error"]["code"]
            .as_i64()
            .unwrap_or_else(|| panic!("no JSON-RPC error code in {body}"))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header"))
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or_default()
    }

    /// A comma-separated header as lower-cased items.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.header(name)
            .unwrap_or_default()
            .split(',')
            .map(|item| item.trim().to_ascii_lowercase())
            .filter(|item| !item.is_empty())
            .collect()
    }

    /// The `result` of a successful JSON-RPC reply.
    pub fn result(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.body);
        let body = self.json();
        assert!(body.get("error").is_none(), "{body}");
        body["result"].clone()
    }

    /// The whole `Set-Cookie` header that sets cookie `name`.
    pub fn set_cookie(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}=");
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&prefix))
    }

    pub fn header_count(&self, name: &str) -> usize {
        self.headers.get_all(name).iter().count()
    }

    /// The `error` of an RFC 6749 error body.
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }

    /// The `Location` of a redirect, parsed.
    pub fn location(&self) -> Url {
        let raw = self
            .header("location")
            .unwrap_or_else(|| panic!("no Location (status {}): {}", self.status, self.body));
        Url::parse(raw).expect("Location is an absolute URL")
    }

    /// Asserts the defined answer to a dependency failure on `/mcp`: 503, a
    /// JSON-RPC error for request `id`, and `Retry-After` in seconds.
    pub fn assert_retryable(&self, id: Value, what: &str) {
        assert_eq!(self.status, 503, "{what}: {}", self.body);
        let body = self.json();
        assert_eq!(body["jsonrpc"], "2.0", "{what}: {body}");
        assert_eq!(body["id"], id, "{what}: {body}");
        assert!(body["error"]["code"].is_i64(), "{what}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{what}: {body}"
        );
        assert!(body.get("result").is_none(), "{what}: {body}");
        let retry_after = self
            .header("retry-after")
            .unwrap_or_else(|| panic!("{what}: no Retry-After header"));
        assert!(
            retry_after.parse::<u64>().is_ok_and(|secs| secs >= 1),
            "{what}: Retry-After is delay-seconds, got {retry_after:?}"
        );
        assert!(
            self.content_type().starts_with("application/json"),
            "{what}: JSON body"
        );
    }

    /// Asserts an RFC 6749 error answer: exact status and `error`, never cached.
    pub fn assert_oauth_error(&self, status: u16, error: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.error(), error, "{}", self.body);
        assert_eq!(
            self.header("cache-control"),
            Some("no-store"),
            "{}",
            self.body
        );
    }

    /// Asserts an error shown on our HTML page (no redirect).
    pub fn assert_error_page(&self, status: u16) {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(
            self.header("location").is_none(),
            "an error before the redirect is trusted must not redirect: {:?}",
            self.header("location")
        );
        assert!(
            self.content_type().starts_with("text/html"),
            "{:?}",
            self.header("content-type")
        );
        assert!(
            self.body.contains("This sign-in cannot continue"),
            "{}",
            self.body
        );
    }
}
