//! Structured logs. `RUST_LOG` filters (default `info`); `LOG_FORMAT=json`
//! prints one JSON object per line (what CloudWatch wants). Log lines never
//! carry passwords, tokens or whole session ids: the code logs only tags.
//! `METRICS_NAMESPACE` turns on the app's metrics ([`metrics`]).

pub mod metrics;

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    let installed = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    // A second init (tests) keeps the first subscriber.
    drop(installed);
    metrics::configure(std::env::var("METRICS_NAMESPACE").ok());
}
