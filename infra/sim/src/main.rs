//! `malgomo-sim [--port N]`: runs the simulator on 127.0.0.1 (default port 54321), prints
//! the base URL and the demo accounts, and serves until Ctrl-C or SIGTERM.

use malgomo_sim::{Simulator, accounts};
use std::process::ExitCode;

const DEFAULT_PORT: u16 = 54321;
const USAGE: &str = "usage: malgomo-sim [--port N]   (default port 54321; 0 = any free port)";

/// Reads `--port N` / `--port=N`; `Ok(None)` means help was asked for.
fn parse_port(args: impl IntoIterator<Item = String>) -> Result<Option<u16>, String> {
    let mut port = DEFAULT_PORT;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" | "-p" => args.next().ok_or("--port needs a value")?,
            other => match other.strip_prefix("--port=") {
                Some(v) => v.to_string(),
                None => return Err(format!("unknown argument {other:?}")),
            },
        };
        port = value
            .parse()
            .map_err(|_| format!("invalid port {value:?}"))?;
    }
    Ok(Some(port))
}

/// Resolves on Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let port = match parse_port(std::env::args().skip(1)) {
        Ok(Some(port)) => port,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("malgomo-sim: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sim = match Simulator::start(port).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("malgomo-sim: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let base = sim.base_url();
    println!("malgomo-sim listening on {base}");
    println!("  SUPABASE_URL={base}");
    println!("  MALGOMO_API_BASE={base}");
    println!("  SUPABASE_ANON_KEY={}", accounts::DEMO_ANON_KEY);
    println!("  admin: {base}/_sim/counters, /_sim/reset, /_sim/knobs, /_sim/faults");
    println!();
    println!("Demo accounts:");
    print!("{}", accounts::table());
    println!();
    println!("Press Ctrl-C to stop.");
    shutdown_signal().await;
    drop(sim);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn port_flag_forms() {
        assert_eq!(parse_port(args(&[])), Ok(Some(DEFAULT_PORT)));
        assert_eq!(parse_port(args(&["--port", "8080"])), Ok(Some(8080)));
        assert_eq!(parse_port(args(&["--port=0"])), Ok(Some(0)));
        assert_eq!(parse_port(args(&["--help"])), Ok(None));
        assert!(parse_port(args(&["--port"])).is_err());
        assert!(parse_port(args(&["--port", "99999"])).is_err());
        assert!(parse_port(args(&["--verbose"])).is_err());
    }
}
