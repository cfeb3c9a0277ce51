//! A small emulator of the Lambda Runtime API (the HTTP interface a custom
//! runtime such as `lambda_runtime` polls), on `127.0.0.1:0`:
//!
//! - `GET  /2018-06-01/runtime/invocation/next` blocks until an event is
//!   queued, then answers it with the `Lambda-Runtime-*` headers;
//! - `POST /2018-06-01/runtime/invocation/{id}/response` and `.../{id}/error`
//!   complete the invocation `{id}`;
//! - `POST /2018-06-01/runtime/init/error` records an init failure.
//!
//! [`RuntimeApi::invoke`] queues one event and awaits its outcome. Nothing
//! here sleeps: every wait is a channel, bounded by a timeout.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot, watch};

/// How long [`RuntimeApi::invoke`] waits for the function's answer.
pub const INVOKE_TIMEOUT: Duration = Duration::from_secs(30);

/// What the function reported to `/runtime/init/error`.
#[derive(Clone, Debug)]
pub struct InitError {
    /// The `Lambda-Runtime-Function-Error-Type` header.
    pub error_type: Option<String>,
    /// The body (`{"errorType": ..., "errorMessage": ...}`), or the raw text.
    pub body: Value,
}

enum Outcome {
    Response(Value),
    Error(String),
}

struct Invocation {
    id: String,
    event: Value,
}

struct Shared {
    function_arn: String,
    queue: mpsc::UnboundedSender<Invocation>,
    next: tokio::sync::Mutex<mpsc::UnboundedReceiver<Invocation>>,
    pending: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    init_error: watch::Sender<Option<InitError>>,
    polls: AtomicUsize,
    issued: Mutex<Vec<String>>,
}

/// A running emulator; the server stops when this is dropped.
pub struct RuntimeApi {
    address: SocketAddr,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl RuntimeApi {
    /// Starts the emulator for a function called `function_name`.
    pub async fn start(function_name: &str) -> RuntimeApi {
        let (queue, receiver) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            function_arn: format!("arn:aws:lambda:us-east-1:123456789012:function:{function_name}"),
            queue,
            next: tokio::sync::Mutex::new(receiver),
            pending: Mutex::new(HashMap::new()),
            init_error: watch::channel(None).0,
            polls: AtomicUsize::new(0),
            issued: Mutex::new(Vec::new()),
        });
        let router = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(response),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the runtime API emulator on loopback");
        let address = listener.local_addr().expect("emulator address");
        let server = tokio::spawn(async move {
            axum::serve(listener, router)
                .await
                .expect("runtime API emulator serves");
        });
        RuntimeApi {
            address,
            shared,
            server,
        }
    }

    /// The value for `AWS_LAMBDA_RUNTIME_API` (`host:port`, no scheme).
    pub fn address(&self) -> String {
        self.address.to_string()
    }

    /// How many `/invocation/next` polls arrived so far.
    pub fn polls(&self) -> usize {
        self.shared.polls.load(Ordering::SeqCst)
    }

    /// Queues `event` and awaits the function's response: `Ok(response
    /// JSON)`, or `Err` with the function's `/error` report or a timeout.
    pub async fn invoke(&self, event: Value) -> Result<Value, String> {
        self.invoke_within(event, INVOKE_TIMEOUT).await
    }

    pub async fn invoke_within(&self, event: Value, timeout: Duration) -> Result<Value, String> {
        let id = request_id();
        self.shared.issued.lock().unwrap().push(id.clone());
        let (sender, receiver) = oneshot::channel();
        self.shared
            .pending
            .lock()
            .unwrap()
            .insert(id.clone(), sender);
        self.shared
            .queue
            .send(Invocation {
                id: id.clone(),
                event,
            })
            .map_err(|_| "the emulator's queue is closed".to_owned())?;
        match tokio::time::timeout(timeout, receiver).await {
            Ok(Ok(Outcome::Response(value))) => Ok(value),
            Ok(Ok(Outcome::Error(report))) => Err(report),
            Ok(Err(_)) => Err(format!("invocation {id} was dropped by the emulator")),
            Err(_) => {
                self.shared.pending.lock().unwrap().remove(&id);
                Err(format!("no answer to invocation {id} within {timeout:?}"))
            }
        }
    }

    /// The request ids of every invocation so far, oldest first.
    pub fn request_ids(&self) -> Vec<String> {
        self.shared.issued.lock().unwrap().clone()
    }

    /// The init error reported so far, if any.
    pub fn init_error(&self) -> Option<InitError> {
        self.shared.init_error.borrow().clone()
    }

    /// Awaits an init error report (None if none arrives within `timeout`).
    pub async fn wait_init_error(&self, timeout: Duration) -> Option<InitError> {
        let mut watcher = self.shared.init_error.subscribe();
        tokio::time::timeout(timeout, watcher.wait_for(Option::is_some))
            .await
            .ok()
            .and_then(|seen| seen.ok().and_then(|value| value.clone()))
    }
}

fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!(
        "{:08x}-0000-4000-8000-{:012x}",
        std::process::id(),
        (now_ms() << 12) ^ n
    )
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

async fn next(State(shared): State<Arc<Shared>>) -> Response {
    shared.polls.fetch_add(1, Ordering::SeqCst);
    let mut queue = shared.next.lock().await;
    let Some(invocation) = queue.recv().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    drop(queue);
    let deadline = now_ms() + INVOKE_TIMEOUT.as_millis() as u64;
    let trace = format!(
        "Root=1-{:08x}-{:024x};Parent={:016x};Sampled=0",
        deadline / 1000,
        deadline,
        deadline
    );
    (
        StatusCode::OK,
        [
            ("Lambda-Runtime-Aws-Request-Id", invocation.id),
            ("Lambda-Runtime-Deadline-Ms", deadline.to_string()),
            (
                "Lambda-Runtime-Invoked-Function-Arn",
                shared.function_arn.clone(),
            ),
            ("Lambda-Runtime-Trace-Id", trace),
            (header::CONTENT_TYPE.as_str(), "application/json".to_owned()),
        ],
        invocation.event.to_string(),
    )
        .into_response()
}

fn complete(shared: &Shared, id: &str, outcome: Outcome) -> Response {
    match shared.pending.lock().unwrap().remove(id) {
        Some(waiter) => {
            let _ = waiter.send(outcome);
            (StatusCode::ACCEPTED, axum::Json(json!({ "status": "OK" }))).into_response()
        }
        None => (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({
                "errorType": "InvalidRequestID",
                "errorMessage": format!("unknown request id {id}"),
            })),
        )
            .into_response(),
    }
}

fn json_or_text(body: &Bytes) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
}

async fn response(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    complete(&shared, &id, Outcome::Response(json_or_text(&body)))
}

async fn error(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let kind = headers
        .get("lambda-runtime-function-error-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let report = format!("function error ({kind}): {}", json_or_text(&body));
    complete(&shared, &id, Outcome::Error(report))
}

async fn init_error(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let error_type = headers
        .get("lambda-runtime-function-error-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    shared.init_error.send_replace(Some(InitError {
        error_type,
        body: json_or_text(&body),
    }));
    (StatusCode::ACCEPTED, axum::Json(json!({ "status": "OK" }))).into_response()
}
