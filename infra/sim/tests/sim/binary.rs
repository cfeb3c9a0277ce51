//! The `malgomo-sim` binary: prints its URL and the demo accounts, serves, stops on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Kills the child if the test fails before stopping it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[tokio::test]
async fn binary_prints_banner_serves_and_stops_on_sigterm() {
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_malgomo-sim"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("binary starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    // Read the banner on a blocking thread, up to the last line it prints.
    let banner = tokio::task::spawn_blocking(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("utf-8 line");
            let done = line.starts_with("Press Ctrl-C");
            lines.push(line);
            if done {
                break;
            }
        }
        lines.join("\n")
    });
    let banner = tokio::time::timeout(Duration::from_secs(30), banner)
        .await
        .expect("banner within 30 s")
        .expect("reader thread");
    let base = banner
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("malgomo-sim listening on "))
        .expect("first line names the URL")
        .to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    for account in malgomo_sim::accounts::ACCOUNTS {
        assert!(banner.contains(account.email) && banner.contains(account.password));
    }
    assert!(banner.contains("demo-anon-key"));

    let r = reqwest::get(format!("{base}/_sim/counters"))
        .await
        .expect("serves");
    assert_eq!(r.status(), reqwest::StatusCode::OK);

    let killed = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    // Blocking briefly is fine here: the process exits right after SIGTERM.
    let status = child.0.wait().expect("wait");
    assert!(status.success(), "{status}");
}

#[test]
fn bad_arguments_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_malgomo-sim"))
        .args(["--port", "nope"])
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage"));
}
