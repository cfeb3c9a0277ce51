//! The Lambda binaries as Lambda runs them: the Runtime API emulator, the
//! binaries run as child processes against it, and the upstreams they need
//! (the simulator, a fresh table on the loopback DynamoDB server). Used by
//! the Lambda tests and by the benchmark's cold-start rows.

pub mod front_door;
pub mod runtime_api;

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::{accounts, dynamo};
use malgomo_sim::Simulator;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Command;
use tokio::sync::{oneshot, watch};

use runtime_api::RuntimeApi;

/// How long a process may take to exit when it is expected to.
pub const EXIT_TIMEOUT: Duration = Duration::from_secs(30);

/// The simulator and a fresh DynamoDB table (TTL on), as a deployment has.
pub struct Upstreams {
    pub sim: Simulator,
    pub table: String,
}

impl Upstreams {
    pub async fn start() -> Upstreams {
        let sim = Simulator::start(0).await.expect("simulator starts");
        let store = dynamo::fresh_store(None).await;
        Upstreams {
            sim,
            table: store.table().to_owned(),
        }
    }

    /// The function's configuration, as the template would set it.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("MALGOMO_API_BASE", self.sim.base_url()),
            ("SUPABASE_URL", self.sim.base_url()),
            ("SUPABASE_ANON_KEY", accounts::DEMO_ANON_KEY.to_owned()),
            ("DYNAMODB_TABLE", self.table.clone()),
            ("SESSION_KEY", crate::TEST_SESSION_KEY.to_owned()),
        ]
    }
}

/// How a child process ended.
#[derive(Clone, Debug)]
pub struct Exit {
    pub success: bool,
    pub code: Option<i32>,
}

/// A Lambda binary running against its own Runtime API emulator. The
/// process is killed when this is dropped (and by `kill_on_drop` if the
/// test's runtime goes first).
pub struct Function {
    pub api: RuntimeApi,
    name: String,
    exit: watch::Receiver<Option<Exit>>,
    output: Arc<Mutex<String>>,
    kill: Option<oneshot::Sender<()>>,
}

impl Drop for Function {
    fn drop(&mut self) {
        if let Some(kill) = self.kill.take() {
            let _ = kill.send(());
        }
    }
}

impl Function {
    /// Starts `binary` (a `CARGO_BIN_EXE_*` path) with a clean environment:
    /// the Lambda runtime variables, dummy AWS credentials, every AWS
    /// endpoint on loopback, and `config` on top.
    pub async fn spawn(binary: &str, config: &[(&'static str, String)]) -> Function {
        let name = std::path::Path::new(binary)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("function")
            .to_owned();
        let api = RuntimeApi::start(&name).await;
        let mut command = Command::new(binary);
        command
            .env_clear()
            .envs(lambda_env(&api, &name))
            .envs(config.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {binary}: {err}"));
        let output = Arc::new(Mutex::new(String::new()));
        let stdout = drain(child.stdout.take(), output.clone());
        let stderr = drain(child.stderr.take(), output.clone());
        let (exit_tx, exit) = watch::channel(None);
        let (kill, killed) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let status = tokio::select! {
                status = child.wait() => status,
                _ = killed => {
                    let _ = child.start_kill();
                    child.wait().await
                }
            };
            // All output is in once both pipes reach end of file.
            let _ = stdout.await;
            let _ = stderr.await;
            let exit = match status {
                Ok(status) => Exit {
                    success: status.success(),
                    code: status.code(),
                },
                Err(_) => Exit {
                    success: false,
                    code: None,
                },
            };
            exit_tx.send_replace(Some(exit));
        });
        Function {
            api,
            name,
            exit,
            output,
            kill: Some(kill),
        }
    }

    /// One invocation. Fails fast, with the process's output, if the
    /// process exits before answering.
    pub async fn invoke(&self, event: Value) -> Result<Value, String> {
        let mut exit = self.exit.clone();
        tokio::select! {
            answer = self.api.invoke(event) => answer.map_err(|err| {
                format!("{err}\n--- {} output ---\n{}", self.name, self.output())
            }),
            ended = exit.wait_for(Option::is_some) => {
                let how = ended.map(|e| format!("{:?}", *e)).unwrap_or_default();
                Err(format!(
                    "{} exited ({how}) before answering\n--- output ---\n{}",
                    self.name,
                    self.output()
                ))
            }
        }
    }

    /// Like [`Function::invoke`], panicking on an error.
    pub async fn call(&self, event: Value) -> Value {
        self.invoke(event)
            .await
            .unwrap_or_else(|err| panic!("invocation failed: {err}"))
    }

    /// Awaits the process's exit (bounded by [`EXIT_TIMEOUT`]).
    pub async fn exited(&self) -> Exit {
        let mut exit = self.exit.clone();
        match tokio::time::timeout(EXIT_TIMEOUT, exit.wait_for(Option::is_some)).await {
            Ok(Ok(exit)) => exit.clone().expect("the exit is set"),
            _ => panic!(
                "{} did not exit within {EXIT_TIMEOUT:?}\n--- output ---\n{}",
                self.name,
                self.output()
            ),
        }
    }

    /// stdout and stderr so far, interleaved by line.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }
}

/// The variables Lambda sets for a custom runtime, plus what keeps the AWS
/// SDK on this machine: dummy credentials, no instance metadata, and every
/// endpoint on loopback (DynamoDB's is the test server; any other service
/// would hit a closed loopback port rather than AWS).
fn lambda_env(api: &RuntimeApi, name: &str) -> Vec<(&'static str, String)> {
    let closed = "http://127.0.0.1:9".to_owned();
    vec![
        ("AWS_LAMBDA_RUNTIME_API", api.address()),
        ("AWS_LAMBDA_FUNCTION_NAME", name.to_owned()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256".to_owned()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
        (
            "AWS_LAMBDA_LOG_STREAM_NAME",
            "2025/03/05/[$LATEST]0123456789abcdef".to_owned(),
        ),
        ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}")),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_DEFAULT_REGION", "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", closed.clone()),
        ("AWS_CONFIG_FILE", "/dev/null".to_owned()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null".to_owned()),
        ("AWS_ENDPOINT_URL", closed),
        ("AWS_ENDPOINT_URL_DYNAMODB", dynamo::endpoint()),
        ("RUST_LOG", "info".to_owned()),
    ]
}

fn drain(
    pipe: Option<impl AsyncRead + Unpin + Send + 'static>,
    into: Arc<Mutex<String>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Some(pipe) = pipe else { return };
        let mut lines = BufReader::new(pipe).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let mut all = into.lock().unwrap();
            all.push_str(&line);
            all.push('\n');
        }
    })
}
