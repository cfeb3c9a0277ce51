//! The minimal HTTP/1.1 of the tests' hand-written hosts (metadata
//! documents over plain TCP, JSON over TLS): read a request head, answer
//! one JSON body and close.

use tokio::io::{AsyncRead, AsyncReadExt};

/// Reads up to the end of the request head; `None` when the peer leaves
/// first.
pub async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// The request target of a head (`GET /path HTTP/1.1`).
pub fn path(head: &str) -> &str {
    head.split(' ').nth(1).unwrap_or("/")
}

/// A 200 answer carrying `body` as JSON, closing the connection.
pub fn json_answer(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}
