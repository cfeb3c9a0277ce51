//! The `cpu` section: the server's own CPU time per request, beside a
//! canned-answer floor started in the same run.
//!
//! The app runs as its own process (the release `malgomo-mcp` next to this
//! binary, or `--server PATH`), pointed at the simulator in this process;
//! the floor (`floor`, next to this binary) is another process answering
//! every `POST /mcp` with the bytes of the app's own `tools/list` answer.
//! Each row reads the server's CPU time (its threads' `schedstat`, to the
//! nanosecond) before and after its calls, so the client and the
//! simulator, which share the cores, are not charged to it. Rows run in
//! interleaved rounds, the floor first in each; ratios are to the floor's
//! CPU per request and req/s in the same round.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use malgomo_tests::{Mcp, UNBUDGETED, accounts, free_port};
use serde_json::{Value, json};
use tokio::io::AsyncBufReadExt;
use tokio::process::{Child, Command};

use crate::{EMAIL, Row, Settings, percentile, run_row};

/// Sessions (one keep-alive connection each) calling at once in every row.
const SESSIONS: usize = 8;

/// One measured row: the client's view and the server's CPU over it.
struct Measured {
    row: Row,
    cpu: Duration,
}

impl Measured {
    fn cpu_per_call(&self) -> Duration {
        self.cpu / u32::try_from(self.row.calls.max(1)).unwrap_or(u32::MAX)
    }

    fn per_second(&self) -> f64 {
        self.row.calls as f64 / self.row.wall.as_secs_f64()
    }
}

/// A child process that is ended when dropped.
struct Process {
    child: Child,
    pid: u32,
}

impl Drop for Process {
    fn drop(&mut self) {
        // Ignored: it may have exited already.
        let _ = self.child.start_kill();
    }
}

pub async fn report(sim: &str, settings: &Settings, server: Option<&Path>) {
    let dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let server_bin = server.map_or_else(|| dir.join("malgomo-mcp"), Path::to_path_buf);
    let floor_bin = dir.join("floor");
    println!("## Server CPU per request, against a canned-answer floor");
    println!();
    let app = match start_app(&server_bin, sim).await {
        Ok(app) => app,
        Err(message) => {
            println!("- skipped: {message}");
            println!();
            return;
        }
    };
    let (app_url, app_process) = app;
    let mut sessions = Vec::with_capacity(SESSIONS);
    for _ in 0..SESSIONS {
        let mut mcp = Mcp::at(&app_url);
        mcp.initialize("2025-06-18").await;
        let login = mcp.login(EMAIL).await;
        assert_eq!(login["isError"], false, "login fails: {login}");
        sessions.push(mcp);
    }
    let listed = sessions[0]
        .send(&malgomo_tests::request(1, "tools/list", json!({})))
        .await
        .bytes()
        .await
        .expect("a tools/list answer");
    let canned = std::env::temp_dir().join(format!("malgomo-floor-{}.json", std::process::id()));
    std::fs::write(&canned, &listed).expect("the canned answer is written");
    let floor = start_floor(&floor_bin, &canned).await;
    let _ = std::fs::remove_file(&canned);
    let (floor_url, floor_process) = match floor {
        Ok(floor) => floor,
        Err(message) => {
            println!("- skipped: {message}");
            println!();
            return;
        }
    };
    println!(
        "- server `{}` (pid {}), floor `{}` (pid {}); {SESSIONS} sessions, each its own connection; CPU = the process's threads' time on a CPU (/proc/PID/task/*/schedstat) over each row",
        server_bin.display(),
        app_process.pid,
        floor_bin.display(),
        floor_process.pid
    );
    println!(
        "- the floor answers every POST /mcp with the {} bytes of the server's tools/list answer",
        listed.len()
    );
    println!();

    let floor_sessions: Vec<Mcp> = (0..SESSIONS).map(|_| Mcp::at(&floor_url)).collect();
    let kpis = json!({ "name": "malgomo_get_kpis", "arguments": { "period": "today" } });
    let earnings = json!({ "name": "malgomo_get_earnings", "arguments": { "period": "30d" } });
    let workloads = [
        ("tools/list", json!({}), "tools/list"),
        ("tools/call", kpis, "malgomo_get_kpis today"),
        ("tools/call", earnings, "malgomo_get_earnings 30d"),
    ];
    // The rows run in ROUNDS short rounds, each round the floor first and
    // then every workload, so a drift of the box (frequency, neighbours)
    // moves a round's floor and rows together; each ratio is taken within
    // its round, and the table gives their median and range.
    let round = settings.per_round(ROUNDS);
    let mut floor = Totals::new("floor (canned tools/list)");
    let mut rows: Vec<Totals> = workloads.iter().map(|w| Totals::new(w.2)).collect();
    for _ in 0..ROUNDS {
        let floor_round = measure(
            &floor_process,
            &floor_sessions,
            "tools/list",
            json!({}),
            "floor (canned tools/list)",
            &round,
        )
        .await;
        for ((method, params, label), totals) in workloads.iter().zip(rows.iter_mut()) {
            let measured = measure(
                &app_process,
                &sessions,
                method,
                params.clone(),
                label,
                &round,
            )
            .await;
            totals.add(measured, Some(&floor_round));
        }
        floor.add(floor_round, None);
    }
    println!(
        "- {ROUNDS} rounds, each the floor then every row; ratios are within a round: median (min–max)"
    );
    println!();
    println!(
        "| request | calls | errors | req/s | server CPU / request (µs) | CPU ÷ floor | req/s ÷ floor | p50 (ms) | p99 (ms) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for totals in std::iter::once(&mut floor).chain(rows.iter_mut()) {
        totals.print();
    }
    println!();
}

/// Rounds per row: enough for a median, each still thousands of calls.
const ROUNDS: usize = 5;

/// A row over all its rounds, and its ratios to each round's floor.
struct Totals {
    label: &'static str,
    calls: usize,
    errors: usize,
    wall: Duration,
    cpu: Duration,
    latencies: Vec<Duration>,
    cpu_ratios: Vec<f64>,
    rate_ratios: Vec<f64>,
}

impl Totals {
    fn new(label: &'static str) -> Self {
        Self {
            label,
            calls: 0,
            errors: 0,
            wall: Duration::ZERO,
            cpu: Duration::ZERO,
            latencies: Vec::new(),
            cpu_ratios: Vec::new(),
            rate_ratios: Vec::new(),
        }
    }

    /// One round, with its ratios to `floor` (the floor itself: 1).
    fn add(&mut self, measured: Measured, floor: Option<&Measured>) {
        let ratio = |mine: f64, floor: f64| if floor > 0.0 { mine / floor } else { 0.0 };
        let (cpu, rate) = match floor {
            Some(floor) => (
                ratio(
                    measured.cpu_per_call().as_secs_f64(),
                    floor.cpu_per_call().as_secs_f64(),
                ),
                ratio(measured.per_second(), floor.per_second()),
            ),
            None => (1.0, 1.0),
        };
        self.cpu_ratios.push(cpu);
        self.rate_ratios.push(rate);
        self.calls += measured.row.calls;
        self.errors += measured.row.errors;
        self.wall += measured.row.wall;
        self.cpu += measured.cpu;
        self.latencies.extend(measured.row.latencies);
    }

    fn print(&mut self) {
        self.latencies.sort_unstable();
        let calls = u32::try_from(self.calls.max(1)).unwrap_or(u32::MAX);
        let ms = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1000.0);
        println!(
            "| {} | {} | {} | {:.0} | {:.1} | {} | {} | {} | {} |",
            self.label,
            self.calls,
            self.errors,
            self.calls as f64 / self.wall.as_secs_f64().max(f64::MIN_POSITIVE),
            (self.cpu / calls).as_secs_f64() * 1e6,
            spread(&mut self.cpu_ratios),
            spread(&mut self.rate_ratios),
            ms(percentile(&self.latencies, 0.50)),
            ms(percentile(&self.latencies, 0.99)),
        );
    }
}

/// `median× (min–max×)` of per-round ratios.
fn spread(ratios: &mut [f64]) -> String {
    ratios.sort_by(f64::total_cmp);
    match (ratios.first(), ratios.get(ratios.len() / 2), ratios.last()) {
        (Some(min), Some(median), Some(max)) => {
            format!("{median:.2}× ({min:.2}–{max:.2}×)")
        }
        _ => "—".to_owned(),
    }
}

/// One row against `process`, its CPU read around the calls.
async fn measure(
    process: &Process,
    sessions: &[Mcp],
    method: &'static str,
    params: Value,
    label: &'static str,
    settings: &Settings,
) -> Measured {
    // run_row warms every session up first; the CPU of the warm-up is
    // charged too, one call per session of thousands.
    let before = cpu_time(process.pid);
    let row = run_row(sessions, method, params, label, settings).await;
    let after = cpu_time(process.pid);
    Measured {
        row,
        cpu: after.saturating_sub(before),
    }
}

/// The CPU time `pid` has run, to the nanosecond: the sum of its threads'
/// `/proc/PID/task/TID/schedstat` (time on a CPU, user and kernel), which
/// a round of a few thousand calls needs — `/proc/PID/stat` counts 10 ms
/// ticks. Without schedstat, those ticks. A thread that ends between two
/// readings takes its time with it; the servers keep their threads.
fn cpu_time(pid: u32) -> Duration {
    scheduled(pid).unwrap_or_else(|| ticked(pid))
}

fn scheduled(pid: u32) -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let schedstat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += schedstat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

/// `utime + stime` of `pid`, from `/proc/PID/stat` (fields 14 and 15,
/// counted after the parenthesised command name, which may hold spaces).
fn ticked(pid: u32) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    let Some((_, after_name)) = stat.rsplit_once(')') else {
        return Duration::ZERO;
    };
    // After the name: state is field 3, so utime (14) is the 12th here.
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |index: usize| {
        fields
            .get(index)
            .and_then(|value| value.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let total = ticks(11) + ticks(12);
    // SAFETY: sysconf only reads a configuration value.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let per_second = u64::try_from(per_second)
        .ok()
        .filter(|&n| n > 0)
        .unwrap_or(100);
    Duration::from_secs_f64(total as f64 / per_second as f64)
}

/// The server as its own process, on a free loopback port, pointed at the
/// simulator; its URL once it answers `/healthz`.
async fn start_app(binary: &Path, sim: &str) -> Result<(String, Process), String> {
    if !binary.exists() {
        return Err(format!(
            "{} not found (build it: cargo build --release -p malgomo-mcp)",
            binary.display()
        ));
    }
    let port = free_port();
    let mut command = Command::new(binary);
    command
        .arg("--port")
        .arg(port.to_string())
        .env("MALGOMO_API_BASE", sim)
        .env("SUPABASE_URL", sim)
        .env("SUPABASE_ANON_KEY", accounts::DEMO_ANON_KEY)
        .env(UNBUDGETED.0, UNBUDGETED.1)
        .env("MAX_SESSIONS", "2000")
        .env_remove("PUBLIC_URL")
        .env_remove("DYNAMODB_TABLE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    let child = command
        .spawn()
        .map_err(|err| format!("{}: {err}", binary.display()))?;
    let pid = child.id().ok_or("the server exited at once")?;
    let process = Process { child, pid };
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    // Bounded: 200 tries, 25 ms apart (5 s), then give up.
    for _ in 0..200 {
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|response| response.status().is_success())
        {
            return Ok((format!("{base}/mcp"), process));
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Err(format!(
        "{} did not answer /healthz within 5 s",
        binary.display()
    ))
}

/// The floor as its own process, serving `canned`; its URL once it says
/// `ready` (it has read the file by then).
async fn start_floor(binary: &PathBuf, canned: &Path) -> Result<(String, Process), String> {
    if !binary.exists() {
        return Err(format!(
            "{} not found (build it: cargo build --release -p malgomo-bench)",
            binary.display()
        ));
    }
    let port = free_port();
    let mut child = Command::new(binary)
        .arg(port.to_string())
        .arg(canned)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|err| format!("{}: {err}", binary.display()))?;
    let pid = child.id().ok_or("the floor exited at once")?;
    let stdout = child.stdout.take().ok_or("no floor stdout")?;
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let ready = tokio::time::timeout(Duration::from_secs(5), lines.next_line()).await;
    match ready {
        Ok(Ok(Some(line))) if line == "ready" => Ok((
            format!("http://127.0.0.1:{port}/mcp"),
            Process { child, pid },
        )),
        _ => Err(format!("{} did not start", binary.display())),
    }
}
