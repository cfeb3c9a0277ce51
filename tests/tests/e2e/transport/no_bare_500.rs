//! Never a bare 500: odd and hostile bodies and headers.

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::ping_request;
use malgomo_tests::spawn_app;

use super::session;

/// Odd and hostile requests: each gets a deliberate answer, never a 500.
#[tokio::test]
async fn odd_requests_never_get_a_bare_500() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-03-26").await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies: Vec<Vec<u8>> = vec![
        b"null".to_vec(),
        b"[1,2,3]".to_vec(),
        b"\xff\xfe\x00garbage".to_vec(),
        deep.into_bytes(),
        br#"{"jsonrpc":"2.0","id":1e999,"method":"ping"}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"ping"}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":null}}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"malgomo_get_kpis","arguments":null}}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"malgomo_login","arguments":{"email":"","password":""}}}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"malgomo_login","arguments":{"email":"x@y.z","password":"p","extra":1}}}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":5}}"#.to_vec(),
        br#"[{"jsonrpc":"2.0","id":1,"method":"ping"},null,7,{"jsonrpc":"2.0","id":2}]"#.to_vec(),
        br#"{"jsonrpc":"2.0","method":"notifications/unknown","params":[1]}"#.to_vec(),
    ];
    for body in bodies {
        let shown = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
        let answer = exchange(mcp.post().body(body)).await;
        assert!(
            answer.status < 500,
            "{shown}: {} {}",
            answer.status,
            answer.body
        );
    }
    let odd_headers: Vec<(&str, reqwest::header::HeaderValue)> = vec![
        (
            "mcp-session-id",
            reqwest::header::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
        ),
        (
            "mcp-protocol-version",
            reqwest::header::HeaderValue::from_bytes(b"\xe2\x80\x94").unwrap(),
        ),
        (
            "authorization",
            reqwest::header::HeaderValue::from_static("Bearer"),
        ),
        (
            "authorization",
            reqwest::header::HeaderValue::from_static("Bearer a.b.c"),
        ),
        (
            "authorization",
            reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap(),
        ),
        (
            "accept",
            reqwest::header::HeaderValue::from_static(";;;, /, q=abc"),
        ),
        (
            "origin",
            reqwest::header::HeaderValue::from_bytes(b"http://\xc3\xa9.example").unwrap(),
        ),
    ];
    for (name, value) in odd_headers {
        for method in [
            reqwest::Method::POST,
            reqwest::Method::GET,
            reqwest::Method::DELETE,
        ] {
            // Only the status: a GET that is served is a held stream.
            let response = reqwest::Client::new()
                .request(method.clone(), app.mcp_url())
                .header("content-type", "application/json")
                .header(name, value.clone())
                .body(ping_request(1).to_string())
                .send()
                .await
                .expect("server answers");
            let status = response.status().as_u16();
            assert!(status < 500, "{method} {name}: {status}");
        }
    }
}
