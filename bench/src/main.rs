//! Benchmark (not a test). Sections, each printed as markdown:
//!
//! - `calls`: `tools/call` throughput and latency over loopback HTTP;
//! - `static`: `tools/list` against `ping` in the same sessions (both answer
//!   without an upstream call; the gap is what building the answer costs);
//! - `store`: DynamoDB calls per `initialize`, `tools/list`, `tools/call`
//!   ([`store_calls`]);
//! - `cold`: the Lambda bootstraps' sizes and `lambda-mcp`'s cold start with
//!   the memory store and with `DYNAMODB_TABLE` ([`cold_start`]);
//! - `cpu`: the server's own CPU time and req/s per request for
//!   `tools/list`, `get_kpis today` and `get_earnings 30d`, the app in its
//!   own process, beside a canned-answer floor ([`server_cpu`]; needs the
//!   release `malgomo-mcp` and `floor` next to this binary).
//!
//! `store` and `cold` need the loopback DynamoDB server the tests use
//! (`MALGOMO_TEST_DYNAMODB`, else a moto it starts: `MALGOMO_TEST_MOTO_SERVER`, or `moto_server` from PATH); `cold` needs the
//! release bootstraps: `cargo build --release -p malgomo-functions` first.
//!
//! `calls`: starts the real app (local host, hyper) and the upstream simulator in this
//! process, with the simulator at zero latency, logs in N sessions as
//! owner@agency-a.test (one HTTP client, so one keep-alive connection, per
//! session) and lets every session call a tool back to back until the row's
//! call budget or time budget is spent. Latency is measured by the client:
//! request written to response body parsed. Prints a markdown table.
//!
//! Run: `cargo run --release -p malgomo-bench --bin bench [-- OPTIONS]`
//!   --sections calls,static,store,cold,cpu   which sections (default: all)
//!   --concurrency 1,8,32,64   sessions per row
//!   --calls 2000              call budget per row
//!   --seconds 10              time budget per row
//!   --samples 10              fresh processes per cold-start row
//!   --bootstraps DIR          where the lambda-* binaries are (default: next to bench)
//!   --server PATH             the `malgomo-mcp` the cpu section runs (default: next to bench)
//!
//! Client, app and simulator share this machine's cores (and one tokio
//! runtime), so the numbers are an end-to-end figure for one box, not the
//! server alone.

mod cold_start;
mod server_cpu;
mod store_calls;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use malgomo::upstream::HttpSettings;
use malgomo_tests::{Mcp, Options, UNBUDGETED, accounts, spawn_app_with};
use serde_json::{Value, json};

pub(crate) const EMAIL: &str = "owner@agency-a.test";

const USAGE: &str = "\
Usage: bench [--sections calls,static,store,cold,cpu] [--concurrency 1,8,32,64]
             [--calls 2000] [--seconds 10] [--samples 10] [--bootstraps DIR]
             [--server PATH]

Measures tools/call throughput and p50/p90/p99 latency against the app and
the simulator on loopback, tools/list against ping, DynamoDB calls per
request, the Lambda bootstraps' size and cold start, and the server's CPU
per request against a canned-answer floor. Build with
--release for meaningful numbers.";

const SECTIONS: [&str; 5] = ["calls", "static", "store", "cold", "cpu"];

#[derive(Clone)]
pub(crate) struct Settings {
    sections: Vec<String>,
    concurrency: Vec<usize>,
    calls: usize,
    seconds: u64,
    samples: usize,
    bootstraps: Option<std::path::PathBuf>,
    server: Option<std::path::PathBuf>,
}

impl Settings {
    /// The budget of one of `rounds` rounds: its share of the calls and
    /// of the seconds (at least one each).
    pub(crate) fn per_round(&self, rounds: usize) -> Self {
        Self {
            calls: (self.calls / rounds.max(1)).max(1),
            seconds: (self.seconds / rounds.max(1) as u64).max(1),
            ..self.clone()
        }
    }

    fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut settings = Settings {
            sections: SECTIONS.map(str::to_owned).to_vec(),
            concurrency: vec![1, 8, 32, 64],
            calls: 2000,
            seconds: 10,
            samples: 10,
            bootstraps: None,
            server: None,
        };
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--sections" => {
                    settings.sections = value("--sections")?
                        .split(',')
                        .map(|name| name.trim().to_owned())
                        .collect();
                    if let Some(unknown) = settings
                        .sections
                        .iter()
                        .find(|name| !SECTIONS.contains(&name.as_str()))
                    {
                        return Err(format!("--sections: unknown section {unknown:?}"));
                    }
                }
                "--bootstraps" => settings.bootstraps = Some(value("--bootstraps")?.into()),
                "--server" => settings.server = Some(value("--server")?.into()),
                "--samples" => {
                    settings.samples = value("--samples")?
                        .parse()
                        .ok()
                        .filter(|&n: &usize| n > 0)
                        .ok_or("--samples: a positive number")?;
                }
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

impl Workload {
    fn params(&self) -> Value {
        json!({ "name": self.tool, "arguments": self.arguments })
    }
}

pub(crate) struct Row {
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
    let wants = |name: &str| settings.sections.iter().any(|section| section == name);
    let started = Instant::now();

    println!("# malgomo-mcp benchmark");
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
        "- each throughput row: up to {} calls or {} s, whichever first; every session is {EMAIL} with its own HTTP connection",
        settings.calls, settings.seconds
    );
    println!();

    if wants("calls") || wants("static") {
        let app = spawn_app_with(Options {
            // Every session signs in as the same user: past the deployment's
            // sign-in budget, and room for all of them.
            env: vec![
                (UNBUDGETED.0, UNBUDGETED.1.to_owned()),
                ("MAX_SESSIONS", "2000".to_owned()),
            ],
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
        if wants("calls") {
            tool_calls(&app.sim.base_url(), &sessions, &settings).await;
        }
        if wants("static") {
            static_answers(&sessions, &settings).await;
        }
    }
    if wants("store") {
        store_calls::report().await;
    }
    if wants("cold") {
        cold_start::report(settings.samples, settings.bootstraps.as_deref()).await;
    }
    if wants("cpu") {
        let sim = malgomo_sim::Simulator::start(0)
            .await
            .expect("the simulator starts");
        sim.set_latency(Duration::ZERO);
        sim.set_rate_limit(100_000);
        server_cpu::report(&sim.base_url(), &settings, settings.server.as_deref()).await;
    }
    println!("total bench time {:.1} s", started.elapsed().as_secs_f64());
}

/// The `calls` section: each tool workload at each concurrency.
async fn tool_calls(sim: &str, sessions: &[Mcp], settings: &Settings) {
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
    println!("## tools/call");
    println!();
    for workload in &workloads {
        let (status, body) = sessions[0].rpc("tools/call", workload.params()).await;
        assert!(
            status == 200 && body["result"]["isError"] == false,
            "{} fails: {status} {body}",
            workload.label
        );
        let (upstream_bytes, upstream_p50) = upstream_baseline(sim, workload).await;
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
    print_header();
    for workload in &workloads {
        for &concurrency in &settings.concurrency {
            let row = run_row(
                &sessions[..concurrency],
                "tools/call",
                workload.params(),
                workload.label,
                settings,
            )
            .await;
            print_row(&row);
        }
    }
    println!();
}

/// The `static` section: `tools/list` and `ping`, row by row at each
/// concurrency, in the same logged-in sessions.
async fn static_answers(sessions: &[Mcp], settings: &Settings) {
    println!("## tools/list against ping");
    println!();
    print_header();
    for &concurrency in &settings.concurrency {
        for method in ["ping", "tools/list"] {
            let row = run_row(
                &sessions[..concurrency],
                method,
                json!({}),
                method,
                settings,
            )
            .await;
            print_row(&row);
        }
    }
    println!();
}

pub(crate) async fn run_row(
    sessions: &[Mcp],
    method: &'static str,
    params: Value,
    label: &'static str,
    settings: &Settings,
) -> Row {
    let calls = settings.calls;
    let budget = Duration::from_secs(settings.seconds);
    // Warm-up: one unmeasured call per session (connection, caches).
    for mcp in sessions {
        mcp.rpc(method, params.clone()).await;
    }

    let tickets = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + budget;
    let mut tasks = tokio::task::JoinSet::new();
    for mcp in sessions {
        let mcp = mcp.clone();
        let message = malgomo_tests::request(1, method, params.clone());
        let tickets = Arc::clone(&tickets);
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline && tickets.fetch_add(1, Ordering::Relaxed) < calls {
                let sent = Instant::now();
                let response = mcp.send(&message).await;
                let status = response.status();
                let body = response.bytes().await.unwrap_or_default();
                latencies.push(sent.elapsed());
                if status != 200 || !Answer::succeeded(&body) {
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
        label,
        calls: latencies.len(),
        errors,
        wall,
        latencies,
    }
}

/// What a row checks of each answer: a JSON-RPC `result` that is not a
/// tool error. Read into this shape, not into a `serde_json::Value` tree:
/// serde still reads the whole body (invalid JSON fails) but skips the
/// fields without allocating, so the bench client — in the same process,
/// on the same cores — does not charge its own tree-building to a large
/// answer such as `tools/list`.
#[derive(serde::Deserialize)]
struct Answer {
    result: Option<AnswerResult>,
}

#[derive(serde::Deserialize)]
struct AnswerResult {
    #[serde(default, rename = "isError")]
    is_error: bool,
}

impl Answer {
    fn succeeded(body: &[u8]) -> bool {
        serde_json::from_slice::<Answer>(body)
            .ok()
            .and_then(|answer| answer.result)
            .is_some_and(|result| !result.is_error)
    }
}

fn print_header() {
    println!(
        "| concurrency | request | calls | errors | throughput (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
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
pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
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
