//! Benchmark (not a test): `tools/call` throughput and latency over loopback HTTP.
//!
//! Starts the real app (local host, hyper) and the upstream simulator in this
//! process, with the simulator at zero latency, logs in N sessions as
//! owner@agency-a.test (one HTTP client, so one keep-alive connection, per
//! session) and lets every session call a tool back to back until the row's
//! call budget or time budget is spent. Latency is measured by the client:
//! request written to response body parsed. Prints a markdown table.
//!
//! Run: `cargo run --release -p malgomo-tests --bin bench [-- OPTIONS]`
//!   --concurrency 1,8,32,64   sessions per row
//!   --calls 2000              call budget per row
//!   --seconds 10              time budget per row
//!
//! Client, app and simulator share this machine's cores (and one tokio
//! runtime), so the numbers are an end-to-end figure for one box, not the
//! server alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use malgomo::upstream::HttpSettings;
use malgomo_tests::{Mcp, Options, accounts, spawn_app_with};
use serde_json::{Value, json};

const EMAIL: &str = "owner@agency-a.test";

const USAGE: &str = "\
Usage: bench [--concurrency 1,8,32,64] [--calls 2000] [--seconds 10]

Measures tools/call throughput and p50/p90/p99 latency against the app and
the simulator on loopback. Build with --release for meaningful numbers.";

struct Settings {
    concurrency: Vec<usize>,
    calls: usize,
    seconds: u64,
}

impl Settings {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut settings = Settings {
            concurrency: vec![1, 8, 32, 64],
            calls: 2000,
            seconds: 10,
        };
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--concurrency" => {
                    settings.concurrency = value("--concurrency")?
                        .split(',')
                        .map(|n| n.trim().parse::<usize>().ok().filter(|&n| n > 0))
                        .collect::<Option<Vec<_>>>()
                        .ok_or("--concurrency: a comma-separated list of positive numbers")?;
                }
                "--calls" => {
                    settings.calls = value("--calls")?
                        .parse()
                        .map_err(|_| "--calls: not a number")?;
                }
                "--seconds" => {
                    settings.seconds = value("--seconds")?
                        .parse()
                        .map_err(|_| "--seconds: not a number")?;
                }
                "--help" | "-h" => return Err(String::new()),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(settings)
    }
}

/// One workload: a tool and its arguments.
struct Workload {
    tool: &'static str,
    arguments: Value,
    label: &'static str,
    /// The upstream request the tool makes, for the baseline.
    upstream: &'static str,
}

struct Row {
    concurrency: usize,
    label: &'static str,
    calls: usize,
    errors: usize,
    wall: Duration,
    latencies: Vec<Duration>,
}

#[tokio::main]
async fn main() {
    let settings = match Settings::parse(std::env::args().skip(1)) {
        Ok(settings) => settings,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("bench: {message}\n");
            }
            eprintln!("{USAGE}");
            std::process::exit(if message.is_empty() { 0 } else { 2 });
        }
    };
    if cfg!(debug_assertions) {
        eprintln!("bench: debug build — run with --release for meaningful numbers");
    }

    let app = spawn_app_with(Options {
        // Generous upstream timeouts: a queue at high concurrency is a result, not an error.
        http: HttpSettings {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
        },
        ..Options::default()
    })
    .await;
    app.sim.set_latency(Duration::ZERO);
    // Password grants are rate limited per email (60/min by default); every
    // session logs in once with the same email.
    app.sim.set_rate_limit(100_000);

    let most = settings.concurrency.iter().copied().max().unwrap_or(1);
    let mut sessions = Vec::with_capacity(most);
    for _ in 0..most {
        sessions.push(app.logged_in(EMAIL).await);
    }

    let workloads = [
        Workload {
            tool: "malgomo_get_kpis",
            arguments: json!({ "period": "today" }),
            label: "malgomo_get_kpis today",
            upstream: "/api/dashboard/kpis?period=today",
        },
        Workload {
            tool: "malgomo_get_earnings",
            arguments: json!({ "period": "30d" }),
            label: "malgomo_get_earnings 30d",
            upstream: "/api/dashboard/earnings?period=30d",
        },
    ];

    println!("# malgomo-mcp tools/call benchmark");
    println!();
    println!(
        "- machine: {} logical CPUs, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model()
    );
    println!(
        "- build: {}; app + simulator + clients in one process on loopback; simulator latency 0",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "- each row: up to {} calls or {} s, whichever first; every session is {EMAIL} with its own HTTP connection",
        settings.calls, settings.seconds
    );
    for workload in &workloads {
        let (status, body) = sessions[0]
            .rpc(
                "tools/call",
                json!({ "name": workload.tool, "arguments": workload.arguments }),
            )
            .await;
        assert!(
            status == 200 && body["result"]["isError"] == false,
            "{} fails: {status} {body}",
            workload.label
        );
        let (upstream_bytes, upstream_p50) = upstream_baseline(&app.sim.base_url(), workload).await;
        println!(
            "- {}: MCP response body {} bytes; upstream `GET {}` alone (simulator, one connection, sequential): {} bytes, p50 {:.2} ms",
            workload.label,
            body.to_string().len(),
            workload.upstream,
            upstream_bytes,
            upstream_p50.as_secs_f64() * 1000.0
        );
    }
    println!();
    println!(
        "| concurrency | tool | calls | errors | throughput (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|");

    let started = Instant::now();
    for workload in &workloads {
        for &concurrency in &settings.concurrency {
            let row = run_row(
                &sessions[..concurrency],
                workload,
                settings.calls,
                Duration::from_secs(settings.seconds),
            )
            .await;
            print_row(&row);
        }
    }
    println!();
    println!("total bench time {:.1} s", started.elapsed().as_secs_f64());
}

async fn run_row(sessions: &[Mcp], workload: &Workload, calls: usize, budget: Duration) -> Row {
    let params = json!({ "name": workload.tool, "arguments": workload.arguments });
    // Warm-up: one unmeasured call per session (connection, caches).
    for mcp in sessions {
        mcp.rpc("tools/call", params.clone()).await;
    }

    let tickets = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + budget;
    let mut tasks = tokio::task::JoinSet::new();
    for mcp in sessions {
        let mcp = mcp.clone();
        let params = params.clone();
        let tickets = Arc::clone(&tickets);
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline && tickets.fetch_add(1, Ordering::Relaxed) < calls {
                let sent = Instant::now();
                let (status, body) = mcp.rpc("tools/call", params.clone()).await;
                latencies.push(sent.elapsed());
                if status != 200 || body["result"]["isError"] != false {
                    errors += 1;
                }
            }
            (latencies, errors)
        });
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    while let Some(joined) = tasks.join_next().await {
        let (mine, failed) = joined.expect("a bench session panicked");
        latencies.extend(mine);
        errors += failed;
    }
    let wall = start.elapsed();
    latencies.sort_unstable();
    Row {
        concurrency: sessions.len(),
        label: workload.label,
        calls: latencies.len(),
        errors,
        wall,
        latencies,
    }
}

fn print_row(row: &Row) {
    let ms = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1000.0);
    let max = row.latencies.last().copied().unwrap_or_default();
    println!(
        "| {} | {} | {} | {} | {:.0} | {} | {} | {} | {} |",
        row.concurrency,
        row.label,
        row.calls,
        row.errors,
        row.calls as f64 / row.wall.as_secs_f64(),
        ms(percentile(&row.latencies, 0.50)),
        ms(percentile(&row.latencies, 0.90)),
        ms(percentile(&row.latencies, 0.99)),
        ms(max),
    );
}

/// The upstream call a tool makes, straight to the simulator: its body size
/// and median latency over a few sequential calls. Separates the simulator's
/// share of a row's latency from the app's.
async fn upstream_baseline(sim: &str, workload: &Workload) -> (usize, Duration) {
    const CALLS: usize = 50;
    let http = reqwest::Client::new();
    let account = accounts::find(EMAIL).expect("a demo account");
    let grant: Value = http
        .post(format!("{sim}/auth/v1/token?grant_type=password"))
        .header("apikey", accounts::DEMO_ANON_KEY)
        .json(&json!({ "email": account.email, "password": account.password }))
        .send()
        .await
        .expect("simulator answers")
        .json()
        .await
        .expect("a token grant");
    let token = grant["access_token"].as_str().expect("an access token");
    let mut bytes = 0;
    let mut latencies = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let sent = Instant::now();
        let response = http
            .get(format!("{sim}{}", workload.upstream))
            .header("apikey", accounts::DEMO_ANON_KEY)
            .bearer_auth(token)
            .send()
            .await
            .expect("simulator answers");
        assert_eq!(response.status(), 200, "upstream {}", workload.upstream);
        let body = response.bytes().await.expect("a body");
        let _: Value = serde_json::from_slice(&body).expect("upstream JSON");
        latencies.push(sent.elapsed());
        bytes = body.len();
    }
    latencies.sort_unstable();
    (bytes, percentile(&latencies, 0.50))
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}
