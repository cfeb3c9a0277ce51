//! The router entry: an arbitrary request (method, path and query, headers,
//! body) through `router::handle` of an app on the in-memory store, in
//! mode B (no OAuth) or mode A (OAuth at connect). Every request gets an
//! HTTP answer, never a panic.
//!
//! Input: a readable HTTP-like text, so the seed corpus is reviewable:
//!
//! ```text
//! <A|B> <METHOD> <request-target>
//! <name>: <value>
//! ...
//!
//! <body>
//! ```
//!
//! Upstreams point at a closed loopback port; scripts/fuzz runs the targets
//! in a network namespace with loopback only, so nothing (client metadata
//! documents included) can leave the machine.
#![no_main]

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Request, Uri};
use libfuzzer_sys::fuzz_target;
use malgomo::upstream::HttpSettings;
use malgomo::{App, Config, Host, Parts};

/// Apps are rebuilt after this many requests, so the memory store stays small.
const REQUESTS_PER_APP: u32 = 20_000;

struct Apps {
    runtime: tokio::runtime::Runtime,
    mode_a: Arc<App>,
    mode_b: Arc<App>,
    served: u32,
}

fn app(public_url: Option<&str>) -> Arc<App> {
    let closed = "http://127.0.0.1:9";
    let mut env = vec![
        ("MALGOMO_API_BASE", closed),
        ("SUPABASE_URL", closed),
        ("SUPABASE_ANON_KEY", "fuzz-anon-key"),
        ("MAX_SESSIONS", "64"),
    ];
    if let Some(url) = public_url {
        env.push(("PUBLIC_URL", url));
    }
    let config = Config::from_lookup(|name| {
        env.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| (*value).to_owned())
    })
    .expect("the fuzz configuration is valid");
    let parts = Parts {
        http: Some(HttpSettings {
            connect_timeout: Duration::from_millis(200),
            request_timeout: Duration::from_millis(500),
        }),
        ..Parts::default()
    };
    Arc::new(App::with_parts(config, Host::local(true), parts).expect("the app starts"))
}

impl Apps {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        // Building the apps needs the runtime (the HTTP client's pool).
        let (mode_a, mode_b) =
            runtime.block_on(async { (app(Some("http://127.0.0.1:8080")), app(None)) });
        Self {
            runtime,
            mode_a,
            mode_b,
            served: 0,
        }
    }
}

thread_local! {
    static APPS: RefCell<Option<Apps>> = const { RefCell::new(None) };
}

/// The request the input describes, or `None` when it names no valid one.
fn request(data: &[u8]) -> Option<(bool, Request<Bytes>)> {
    let split = data
        .windows(2)
        .position(|w| w == b"\n\n")
        .map_or((data, &[][..]), |at| (&data[..at], &data[at + 2..]));
    let (head, body) = split;
    let mut lines = head.split(|&b| b == b'\n');
    let mut first = lines.next()?.splitn(3, |&b| b == b' ');
    let mode_a = first.next()? == b"A";
    let method = Method::from_bytes(first.next()?).ok()?;
    let uri = Uri::try_from(first.next()?).ok()?;
    let mut builder = Request::builder().method(method).uri(uri);
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = HeaderName::from_bytes(&line[..colon]);
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
        if let (Ok(name), Ok(value)) = (name, value) {
            builder = builder.header(name, value);
        }
    }
    let request = builder.body(Bytes::copy_from_slice(body)).ok()?;
    Some((mode_a, request))
}

fuzz_target!(|data: &[u8]| {
    let Some((mode_a, request)) = request(data) else {
        return;
    };
    APPS.with_borrow_mut(|apps| {
        let apps = match apps {
            Some(apps) if apps.served < REQUESTS_PER_APP => apps,
            _ => apps.insert(Apps::new()),
        };
        apps.served += 1;
        let app = if mode_a { &apps.mode_a } else { &apps.mode_b };
        let response = apps.runtime.block_on(malgomo::router::handle(&app.router(), request));
        let status = response.status();
        assert!(!status.is_informational(), "a final answer, not {status}");
        assert_ne!(status, 500, "never a bare 500");
    });
});
