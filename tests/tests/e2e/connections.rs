//! The local server against slow and idle clients (issue 19): partial
//! headers, a trickled body and idle keep-alives are closed after their
//! timeouts (set short here), and idle sockets from one address — many
//! more than its cap — do not keep another address from being served.
//! Every wait is a read that ends when the server closes, under a deadline.

use std::net::SocketAddr;
use std::time::Duration;

use malgomo_tests::{Options, TestApp, http_from, spawn_app_with};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Far longer than any timeout set here: only a server that never closes
/// reaches it.
const DEADLINE: Duration = Duration::from_secs(20);

async fn app_with(env: &[(&'static str, &str)]) -> TestApp {
    spawn_app_with(Options {
        env: env.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        ..Options::default()
    })
    .await
}

fn address(app: &TestApp) -> SocketAddr {
    app.base
        .trim_start_matches("http://")
        .parse()
        .expect("a socket address")
}

async fn connect_from(app: &TestApp, ip: [u8; 4]) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(SocketAddr::from((ip, 0)))
        .expect("bind a loopback address");
    socket.connect(address(app)).await.expect("connect")
}

/// Everything the server sends until it closes the connection.
async fn until_closed(stream: &mut TcpStream) -> String {
    let read = async {
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return seen,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    };
    let seen = tokio::time::timeout(DEADLINE, read)
        .await
        .expect("the server closed the connection");
    String::from_utf8_lossy(&seen).into_owned()
}

async fn healthz_from(app: &TestApp, ip: [u8; 4]) -> u16 {
    http_from(ip)
        .get(format!("{}/healthz", app.base))
        .timeout(DEADLINE)
        .send()
        .await
        .expect("healthz answers")
        .status()
        .as_u16()
}

#[tokio::test]
async fn partial_headers_are_cut_off() {
    let app = app_with(&[("HEADER_READ_TIMEOUT_MS", "200")]).await;
    let mut slow = connect_from(&app, [127, 0, 0, 21]).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let seen = until_closed(&mut slow).await;
    assert!(!seen.contains("200 OK"), "{seen}");
    assert_eq!(healthz_from(&app, [127, 0, 0, 22]).await, 200);
}

#[tokio::test]
async fn a_trickled_body_is_answered_408_and_closed() {
    let app = app_with(&[("BODY_READ_TIMEOUT_MS", "200")]).await;
    let mut slow = connect_from(&app, [127, 0, 0, 23]).await;
    slow.write_all(
        b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
    )
    .await
    .unwrap();
    let seen = until_closed(&mut slow).await;
    assert!(seen.starts_with("HTTP/1.1 408"), "{seen}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = app_with(&[("HEADER_READ_TIMEOUT_MS", "200")]).await;
    let mut idle = connect_from(&app, [127, 0, 0, 24]).await;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    // The answer, then (the client sending nothing more) the close.
    let seen = until_closed(&mut idle).await;
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
}

#[tokio::test]
async fn idle_sockets_from_one_address_do_not_block_another() {
    let app = app_with(&[
        ("MAX_CONNECTIONS_PER_ADDRESS", "16"),
        ("HEADER_READ_TIMEOUT_MS", "60000"),
    ])
    .await;
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(connect_from(&app, [127, 0, 0, 25]).await);
    }
    assert_eq!(healthz_from(&app, [127, 0, 0, 26]).await, 200);
    // Past its cap the address's sockets were closed at once.
    let mut last = idle.pop().expect("a socket");
    assert_eq!(until_closed(&mut last).await, "");
}
