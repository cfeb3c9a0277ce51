//! moto's server mode (a DynamoDB and IAM wire server) on a free loopback
//! port. `MALGOMO_TEST_MOTO_SERVER` names the `moto_server` executable
//! (scripts/test sets it); otherwise it is looked up on PATH.
//!
//! moto runs under a shell that kills it when its stdin pipe closes: when
//! the [`Moto`] is dropped, or when the test process exits however it
//! exits, so no moto outlives its test.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running moto server.
pub struct Moto {
    pub endpoint: String,
    shell: Child,
}

impl Drop for Moto {
    fn drop(&mut self) {
        // Closing the pipe makes the shell kill moto; then reap the shell.
        drop(self.shell.stdin.take());
        let _ = self.shell.wait();
    }
}

impl Moto {
    /// Starts moto and waits (bounded, 10 s) until it accepts connections.
    pub fn start() -> Moto {
        let port = crate::free_port();
        let binary =
            std::env::var("MALGOMO_TEST_MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_owned());
        let shell = Command::new("sh")
            .args([
                "-c",
                r#""$0" -H 127.0.0.1 -p "$1" >/dev/null 2>&1 & pid=$!; read _; kill $pid"#,
                &binary,
                &port.to_string(),
            ])
            .stdin(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| {
                panic!("cannot start {binary} (pip install 'moto[server]'): {err}")
            });
        let address = format!("127.0.0.1:{port}");
        // Built first, so that a moto that never answers is stopped on the
        // panic below (by Drop) rather than left behind.
        let moto = Moto {
            endpoint: format!("http://{address}"),
            shell,
        };
        for _ in 0..400 {
            if std::net::TcpStream::connect(&address).is_ok() {
                return moto;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("{binary} did not start on {address}");
    }

    /// Keeps this moto for the rest of the test process; returns its endpoint.
    pub fn keep(self) -> String {
        let endpoint = self.endpoint.clone();
        std::mem::forget(self);
        endpoint
    }
}
