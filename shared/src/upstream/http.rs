//! The one HTTP client both upstream clients share, and the mapping of
//! transport failures onto [`UpstreamError`].

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::UpstreamError;
use crate::telemetry::metrics::{self, Metric, UpstreamOutcome};
use crate::tls::NoTls;

/// Timeouts of upstream calls. A hung upstream must not hold a tool call
/// (or a Lambda invocation) open: hosted clients give up near 60 s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(15),
        }
    }
}

impl HttpSettings {
    /// At most `budget` per call, connect included (reqwest's timeout covers
    /// the whole exchange): what the template's `UPSTREAM_TIMEOUT_MS` gives,
    /// inside the Lambda timeout, so a slow upstream ends in our clear error
    /// rather than in the front door's 502/504.
    pub fn within(budget: Duration) -> Self {
        let default = Self::default();
        Self {
            connect_timeout: default.connect_timeout.min(budget),
            request_timeout: budget,
        }
    }
}

/// Builds the process-wide client: connection pooling is only worth it when
/// the client is built once and shared. Fails only when the TLS backend
/// cannot start — in practice, when no CA certificate could be loaded.
pub fn build_client(settings: HttpSettings) -> Result<reqwest::Client, NoTls> {
    crate::tls::reqwest_builder()
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.request_timeout)
        .user_agent(concat!("malgomo-mcp/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|err| NoTls::from_build(&err))
}

/// A raw upstream answer, before the caller interprets its status.
pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    /// Parses the body as `T`, naming the offending field on failure.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, UpstreamError> {
        parse_answer(&self.body)
    }

    /// `Retry-After` in seconds, when the upstream sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.headers
            .get(http::header::RETRY_AFTER)?
            .to_str()
            .ok()?
            .trim()
            .parse::<u64>()
            .ok()
            .map(Duration::from_secs)
    }

    /// The shared answers of both upstreams: rate limit and server failure.
    pub fn common_error(&self) -> Option<UpstreamError> {
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            return Some(UpstreamError::RateLimited {
                retry_after: self.retry_after(),
            });
        }
        if self.status.is_server_error() {
            return Some(UpstreamError::Unavailable(format!(
                "upstream answered {}",
                self.status.as_u16()
            )));
        }
        None
    }

    pub fn unexpected(&self) -> UpstreamError {
        UpstreamError::Malformed(format!("unexpected status {}", self.status.as_u16()))
    }
}

/// Parses an upstream answer body as `T`, naming the offending field on
/// failure. Public so the fuzz targets reach the very parser the clients use.
/// One plain pass parses a good answer; a body that fails it is read again
/// without the type, to name where (`failure_path.rs`).
pub fn parse_answer<T: DeserializeOwned>(body: &[u8]) -> Result<T, UpstreamError> {
    serde_json::from_slice(body)
        .map_err(|err| UpstreamError::Malformed(super::failure_path::describe(body, &err)))
}

/// Sends `request` and reads the whole body; transport failures become
/// [`UpstreamError::Unavailable`].
/// Each exchange is one `UpstreamLatency` metric (failed: transport
/// failure or 5xx).
pub(crate) async fn send(request: reqwest::RequestBuilder) -> Result<Answer, UpstreamError> {
    let started = std::time::Instant::now();
    let answer = exchange(request).await;
    let failed = answer
        .as_ref()
        .map_or(true, |answer| answer.status.is_server_error());
    metrics::record(Metric::Upstream {
        outcome: if failed {
            UpstreamOutcome::Failed
        } else {
            UpstreamOutcome::Ok
        },
        elapsed: started.elapsed(),
    });
    answer
}

async fn exchange(request: reqwest::RequestBuilder) -> Result<Answer, UpstreamError> {
    let response = request.send().await.map_err(transport_error)?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(transport_error)?;
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// The `Unavailable` detail of a timeout: retrying would double the wait.
pub(crate) const TIMED_OUT: &str = "timed out";

fn transport_error(err: reqwest::Error) -> UpstreamError {
    // reqwest's Display can include the URL, never headers or bodies, so it
    // carries no secret; still, we keep the message to the failure class.
    let class = if err.is_timeout() {
        TIMED_OUT
    } else if err.is_connect() {
        "connection failed"
    } else if err.is_body() || err.is_decode() {
        "connection dropped while reading the answer"
    } else {
        "request failed"
    };
    UpstreamError::Unavailable(class.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_bounds_the_whole_call_and_the_connect_within_it() {
        let wide = HttpSettings::within(Duration::from_secs(26));
        assert_eq!(wide.request_timeout, Duration::from_secs(26));
        assert_eq!(wide.connect_timeout, Duration::from_secs(3));
        let narrow = HttpSettings::within(Duration::from_millis(500));
        assert_eq!(narrow.request_timeout, Duration::from_millis(500));
        assert_eq!(narrow.connect_timeout, Duration::from_millis(500));
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Outer {
        inner: Vec<Inner>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Inner {
        n: u32,
    }

    #[test]
    fn a_good_answer_parses_and_a_bad_one_names_the_field_at_fault() {
        let good: Outer = parse_answer(br#"{"inner":[{"n":1},{"n":2}]}"#).unwrap();
        assert_eq!(good.inner, [Inner { n: 1 }, Inner { n: 2 }]);
        let bad = parse_answer::<Outer>(br#"{"inner":[{"n":1},{"n":"x"}]}"#).unwrap_err();
        assert_eq!(
            bad,
            UpstreamError::Malformed(
                "inner[1].n: invalid type: string \"x\", expected u32 at line 1 column 26".into()
            )
        );
        let not_json = parse_answer::<Outer>(b"nope").unwrap_err();
        assert_eq!(
            not_json,
            UpstreamError::Malformed("expected ident at line 1 column 2".into())
        );
    }
}
