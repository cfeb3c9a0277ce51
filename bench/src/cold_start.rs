//! Cold start of the Lambda bootstraps, measured as Lambda sees it: the
//! release `lambda-*` binary started as a fresh process against the Runtime
//! API emulator (`malgomo_tests::lambda`), the clock running from spawn to
//! the first event's answer. Once with the in-memory store, once with
//! `DYNAMODB_TABLE` set (the loopback DynamoDB server the tests use), so the
//! difference is what the table costs a cold start.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use malgomo_sim::Simulator;
use malgomo_tests::lambda::Function;
use malgomo_tests::{accounts, dynamo};
use serde_json::Value;

use crate::percentile;

const FUNCTIONS: [&str; 3] = ["lambda-mcp", "lambda-oauth", "lambda-health"];
const HEALTHZ: &str = include_str!("../../events/httpapi-healthz.json");
const INITIALIZE: &str = include_str!("../../events/function-url-initialize.json");

/// The bootstraps in `dir`, else next to this binary (`cargo build
/// --release -p malgomo-functions` puts them there).
fn bootstrap(dir: Option<&Path>, name: &str) -> Option<PathBuf> {
    let here = std::env::current_exe().ok()?;
    let path = dir.unwrap_or(here.parent()?).join(name);
    path.is_file().then_some(path)
}

/// Prints the bootstraps' sizes and the cold-start table.
pub async fn report(samples: usize, dir: Option<&Path>) {
    println!("## Lambda bootstraps");
    println!();
    println!("| binary | size (MB) |");
    println!("|---|---:|");
    for name in FUNCTIONS {
        match bootstrap(dir, name).and_then(|path| std::fs::metadata(path).ok()) {
            Some(meta) => println!("| {name} | {:.1} |", meta.len() as f64 / 1_000_000.0),
            None => {
                println!("| {name} | not built (`cargo build --release -p malgomo-functions`) |")
            }
        }
    }
    println!();
    let Some(binary) = bootstrap(dir, "lambda-mcp") else {
        return;
    };
    let sim = Simulator::start(0).await.expect("simulator starts");
    let table = dynamo::fresh_store(None).await.table().to_owned();
    let stores = [("memory", None), ("DynamoDB", Some(table))];
    println!(
        "Cold start of `lambda-mcp`: process spawn to the first event's answer, median of {samples} fresh processes (min–max)."
    );
    println!();
    println!("| store | first event | median (ms) | min (ms) | max (ms) |");
    println!("|---|---|---:|---:|---:|");
    for (label, table) in &stores {
        let mut env = vec![
            ("MALGOMO_API_BASE", sim.base_url()),
            ("SUPABASE_URL", sim.base_url()),
            ("SUPABASE_ANON_KEY", accounts::DEMO_ANON_KEY.to_owned()),
            ("RUST_LOG", "warn".to_owned()),
        ];
        if let Some(table) = table {
            env.push(("DYNAMODB_TABLE", table.clone()));
            env.push(("SESSION_KEY", malgomo_tests::TEST_SESSION_KEY.to_owned()));
        }
        for (event_label, event) in [("GET /healthz", HEALTHZ), ("initialize", INITIALIZE)] {
            let event: Value = serde_json::from_str(event).expect("a sample event");
            let mut times = Vec::with_capacity(samples);
            for _ in 0..samples {
                times.push(cold_start(&binary, &env, &event).await);
            }
            times.sort_unstable();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            println!(
                "| {label} | {event_label} | {:.1} | {:.1} | {:.1} |",
                ms(percentile(&times, 0.5)),
                ms(times[0]),
                ms(times[times.len() - 1]),
            );
        }
    }
    println!();
}

/// One fresh process: spawn, first event, its answer.
async fn cold_start(binary: &Path, env: &[(&'static str, String)], event: &Value) -> Duration {
    let started = Instant::now();
    let function = Function::spawn(binary.to_str().expect("a UTF-8 path"), env).await;
    let answer = function.call(event.clone()).await;
    let took = started.elapsed();
    assert!(
        answer["statusCode"]
            .as_u64()
            .is_some_and(|status| status < 500),
        "cold start answer: {answer}"
    );
    took
}
