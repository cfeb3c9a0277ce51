//! A fault-injecting DynamoDB path for tests: a loopback HTTP/1.1 proxy in
//! front of the DynamoDB wire server (moto) that forwards every request
//! unchanged, except those a test chose to fail. Faults are queued per
//! request ([`FaultProxy::inject`]: the next N matching requests) or applied
//! by rule ([`FaultProxy::set_rate`]: a share of matching requests, from a
//! seeded generator so a run can be replayed).
//!
//! The error answers have DynamoDB's real wire shape (JSON 1.0 protocol:
//! `__type` and `message`, `x-amzn-RequestId`), so the SDK classifies them
//! as it would in production: throttling errors are retried with backoff,
//! `InternalServerError` as a transient server error.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a faulted request gets instead of its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DynamoFault {
    /// 400 `ThrottlingException` (on-demand tables over their limits).
    Throttling,
    /// 400 `ProvisionedThroughputExceededException`.
    ProvisionedThroughputExceeded,
    /// 500 `InternalServerError`.
    InternalServerError,
    /// The answer comes this much later than usual (forwarded after the
    /// delay); beyond the client's attempt timeout, the client gives up.
    Latency(Duration),
    /// The connection is reset (RST) before anything is forwarded.
    Reset,
    /// Forwarded and applied by the server, then the connection is reset
    /// instead of answering: a write that happened but whose answer is lost.
    ResetAfterForwarding,
}

impl DynamoFault {
    fn key(self) -> &'static str {
        match self {
            Self::Throttling => "throttling",
            Self::ProvisionedThroughputExceeded => "provisioned_throughput_exceeded",
            Self::InternalServerError => "internal_server_error",
            Self::Latency(_) => "latency",
            Self::Reset => "reset",
            Self::ResetAfterForwarding => "reset_after_forwarding",
        }
    }

    /// The error answer (status, `__type`, message), for the answering faults.
    fn error(self) -> Option<(u16, &'static str, &'static str)> {
        match self {
            Self::Throttling => Some((
                400,
                "ThrottlingException",
                "Rate of requests exceeds the allowed throughput.",
            )),
            Self::ProvisionedThroughputExceeded => Some((
                400,
                "ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
            )),
            Self::InternalServerError => {
                Some((500, "InternalServerError", "Internal server error"))
            }
            _ => None,
        }
    }
}

/// Which requests a fault applies to: one DynamoDB operation (the
/// `X-Amz-Target` suffix, e.g. `GetItem`), or any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ops {
    Any,
    Only(Vec<&'static str>),
}

impl Ops {
    pub fn one(operation: &'static str) -> Self {
        Self::Only(vec![operation])
    }

    fn matches(&self, operation: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Only(list) => list.contains(&operation),
        }
    }
}

#[derive(Debug)]
struct Queued {
    ops: Ops,
    /// Matching requests to let through first.
    skip: u32,
    fault: DynamoFault,
    remaining: u32,
}

#[derive(Debug)]
struct Rate {
    ops: Ops,
    fault: DynamoFault,
    /// Per million matching requests.
    per_million: u32,
}

/// What the proxy did, by operation and by fault.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyStats {
    /// Requests seen, per operation (faulted ones included).
    pub requests: BTreeMap<String, u64>,
    /// Faults injected, per fault kind.
    pub faults: BTreeMap<&'static str, u64>,
}

impl ProxyStats {
    pub fn requests_of(&self, operation: &str) -> u64 {
        self.requests.get(operation).copied().unwrap_or(0)
    }

    pub fn faults_of(&self, fault: DynamoFault) -> u64 {
        self.faults.get(fault.key()).copied().unwrap_or(0)
    }

    pub fn total_faults(&self) -> u64 {
        self.faults.values().sum()
    }
}

#[derive(Debug)]
struct State {
    queue: Vec<Queued>,
    rate: Option<Rate>,
    /// xorshift64 state: reproducible per seed, no extra crate.
    rng: u64,
    stats: ProxyStats,
}

impl State {
    fn next_random(&mut self) -> u64 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }

    /// The fault for this request, if any: a queued one first, then the rate.
    fn decide(&mut self, operation: &str) -> Option<DynamoFault> {
        *self.stats.requests.entry(operation.to_owned()).or_default() += 1;
        let fault = if let Some(index) = self.queue.iter().position(|q| q.ops.matches(operation)) {
            let queued = &mut self.queue[index];
            if queued.skip > 0 {
                queued.skip -= 1;
                return None;
            }
            queued.remaining -= 1;
            let fault = queued.fault;
            if queued.remaining == 0 {
                self.queue.remove(index);
            }
            Some(fault)
        } else {
            let draw = self.next_random() % 1_000_000;
            self.rate
                .as_ref()
                .filter(|rate| rate.ops.matches(operation) && draw < u64::from(rate.per_million))
                .map(|rate| rate.fault)
        };
        if let Some(fault) = fault {
            *self.stats.faults.entry(fault.key()).or_default() += 1;
        }
        fault
    }
}

/// A running proxy; it serves until dropped.
#[derive(Debug)]
pub struct FaultProxy {
    url: String,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultProxy {
    /// Starts on an ephemeral loopback port, forwarding to `upstream`
    /// (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str) -> Self {
        let upstream = upstream
            .strip_prefix("http://")
            .expect("a plain-http loopback upstream")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let state = Arc::new(Mutex::new(State {
            queue: Vec::new(),
            rate: None,
            rng: 0x9E37_79B9_7F4A_7C15,
            stats: ProxyStats::default(),
        }));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let (state, upstream) = (shared.clone(), upstream.clone());
                tokio::spawn(async move {
                    // A connection's end (reset, client gone) is normal here.
                    let _ = serve(client, &upstream, &state).await;
                });
            }
        });
        Self { url, state, task }
    }

    /// The endpoint URL to give the SDK.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next `times` requests that `ops` matches get `fault`.
    pub fn inject(&self, ops: Ops, fault: DynamoFault, times: u32) {
        self.inject_after(ops, 0, fault, times);
    }

    /// After letting `skip` matching requests through, the next `times`
    /// get `fault`: a failure at a chosen step of a multi-write operation.
    pub fn inject_after(&self, ops: Ops, skip: u32, fault: DynamoFault, times: u32) {
        if times > 0 {
            self.state().queue.push(Queued {
                ops,
                skip,
                fault,
                remaining: times,
            });
        }
    }

    /// Queued faults not yet (fully) used.
    pub fn pending(&self) -> usize {
        self.state().queue.len()
    }

    /// From now on, `percent` % of the requests `ops` matches get `fault`
    /// (drawn from a generator seeded with `seed`); 0 turns the rule off.
    pub fn set_rate(&self, ops: Ops, fault: DynamoFault, percent: f64, seed: u64) {
        let mut state = self.state();
        state.rng = seed | 1;
        state.rate = (percent > 0.0).then(|| Rate {
            ops,
            fault,
            per_million: (percent * 10_000.0).round() as u32,
        });
    }

    /// Drops queued faults and the rate rule.
    pub fn clear(&self) {
        let mut state = self.state();
        state.queue.clear();
        state.rate = None;
    }

    pub fn stats(&self) -> ProxyStats {
        self.state().stats.clone()
    }

    pub fn reset_stats(&self) {
        self.state().stats = ProxyStats::default();
    }
}

/// One HTTP/1.1 request as read off the wire.
struct Request {
    /// The head and body exactly as received, for forwarding.
    raw: Vec<u8>,
    operation: String,
}

/// Serves one client connection: request after request (the SDK keeps
/// connections alive) until it closes or a fault resets it.
async fn serve(mut client: TcpStream, upstream: &str, state: &Mutex<State>) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut client, &mut buffer).await? else {
            return Ok(());
        };
        let fault = state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .decide(&request.operation);
        match fault {
            Some(DynamoFault::Reset) => return reset(client),
            Some(DynamoFault::Latency(delay)) => tokio::time::sleep(delay).await,
            Some(other) => {
                if let Some((status, kind, message)) = other.error() {
                    client
                        .write_all(&error_answer(status, kind, message))
                        .await?;
                    continue;
                }
            }
            None => {}
        }
        // A connection per request: moto closes after each answer.
        let mut server = TcpStream::connect(upstream).await?;
        server.write_all(&request.raw).await?;
        let answer = read_answer(&mut server).await?;
        if fault == Some(DynamoFault::ResetAfterForwarding) {
            return reset(client);
        }
        client.write_all(&answer).await?;
    }
}

/// Closes with RST (linger 0) rather than FIN: the peer sees a reset.
fn reset(stream: TcpStream) -> std::io::Result<()> {
    stream.set_zero_linger()?;
    drop(stream);
    Ok(())
}

fn error_answer(status: u16, kind: &str, message: &str) -> Vec<u8> {
    let body = serde_json::json!({
        "__type": format!("com.amazonaws.dynamodb.v20120810#{kind}"),
        "message": message,
    })
    .to_string();
    let reason = if status == 500 {
        "Internal Server Error"
    } else {
        "Bad Request"
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/x-amz-json-1.0\r\nx-amzn-requestid: FAULTPROXY{status}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Position of the blank line ending an HTTP head, if it is in `bytes`.
fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| at + 4)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// Reads one whole message (head plus `Content-Length` body) into the
/// front of `buffer`; `None` at a clean end of stream.
async fn read_message(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(end) = head_end(buffer) {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            let length: usize = header(&head, "content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if buffer.len() >= end + length {
                return Ok(Some(buffer.drain(..end + length).collect()));
            }
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return if buffer.is_empty() {
                Ok(None)
            } else {
                Err(std::io::ErrorKind::UnexpectedEof.into())
            };
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
}

async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<Request>> {
    let Some(raw) = read_message(stream, buffer).await? else {
        return Ok(None);
    };
    let head = String::from_utf8_lossy(&raw[..head_end(&raw).unwrap_or(raw.len())]).into_owned();
    let operation = header(&head, "x-amz-target")
        .and_then(|target| target.rsplit('.').next())
        .unwrap_or("unknown")
        .to_owned();
    Ok(Some(Request { raw, operation }))
}

/// The server's answer, without its `Connection: close`: the client's
/// connection to the proxy stays open (the proxy reconnects upstream).
async fn read_answer(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    let raw = read_message(stream, &mut buffer)
        .await?
        .ok_or(std::io::ErrorKind::UnexpectedEof)?;
    let end = head_end(&raw).unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut answer: Vec<u8> = head
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes();
    answer.extend_from_slice(&raw[end..]);
    Ok(answer)
}
