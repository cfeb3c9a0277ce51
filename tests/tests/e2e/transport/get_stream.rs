//! `GET /mcp`: the held SSE stream, and its refusals.

use std::time::Duration;

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::{INVALID_REQUEST, SERVER_ERROR, ping_request, post};
use malgomo_tests::{Options, spawn_app, spawn_app_with};

use super::session;

/// The first bytes of a held stream, which arrive at once.
async fn first_chunk(response: &mut reqwest::Response) -> Vec<u8> {
    tokio::time::timeout(Duration::from_secs(5), response.chunk())
        .await
        .expect("the first bytes arrive at once")
        .expect("the stream reads")
        .expect("a first chunk")
        .to_vec()
}

#[tokio::test]
async fn get_with_a_session_opens_a_held_sse_stream() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let mut response = mcp.get_stream().send().await.expect("server answers");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("text/event-stream"),
        "{content_type}"
    );
    let first = first_chunk(&mut response).await;
    assert!(
        first.starts_with(b": stream open"),
        "{:?}",
        String::from_utf8_lossy(&first)
    );
    // Still open: no end of stream (keep-alives come every 15 s).
    let next = tokio::time::timeout(Duration::from_millis(300), response.chunk()).await;
    match next {
        Err(_elapsed) => {}
        Ok(Ok(Some(chunk))) => assert!(chunk.starts_with(b":"), "only comments"),
        Ok(other) => panic!("the stream ended: {other:?}"),
    }
    drop(response);
    // The session is unaffected by the client leaving.
    assert_eq!(post(&mcp, &ping_request(1)).await.status, 200);
}

#[tokio::test]
async fn two_get_streams_for_one_session_are_both_held() {
    let app = spawn_app().await;
    let mcp = session(&app, "2025-06-18").await;
    let mut first = mcp.get_stream().send().await.expect("server answers");
    let mut second = mcp.get_stream().send().await.expect("server answers");
    for response in [&mut first, &mut second] {
        assert_eq!(response.status(), 200);
        assert!(first_chunk(response).await.starts_with(b": stream open"));
    }
}

#[tokio::test]
async fn get_without_a_session_is_405_with_or_without_a_bearer() {
    let app = spawn_app().await;
    for bearer in [None, Some("opaque-token-a")] {
        let mut mcp = app.client();
        mcp.bearer = bearer.map(str::to_owned);
        let answer = exchange(mcp.get_stream()).await;
        assert_eq!(answer.status, 405, "{bearer:?}: {}", answer.body);
        assert_eq!(answer.header("allow"), Some("POST, DELETE, OPTIONS"));
        assert!(answer.body.is_empty(), "{}", answer.body);
    }
    assert_eq!(app.app.streams.open(), 0);
}

/// The session a refused `GET /mcp` names.
enum Naming {
    /// Its own, fresh 2025-06-18 session.
    Own,
    /// This id, which no session has.
    Id(&'static str),
}

/// `GET /mcp` on a fresh app naming `naming`'s session, with `headers`:
/// refused with `status` and the JSON-RPC error `code`, and no stream left
/// open.
async fn assert_get_refused(naming: Naming, headers: &[(&str, &str)], status: u16, code: i64) {
    let app = spawn_app().await;
    let mut builder = reqwest::Client::new().get(app.mcp_url());
    let own;
    let id = match naming {
        Naming::Own => {
            own = session(&app, "2025-06-18").await;
            own.session.as_deref()
        }
        Naming::Id(id) => Some(id),
    };
    if let Some(id) = id {
        builder = builder.header("mcp-session-id", id);
    }
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let answer = exchange(builder).await;
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.error_code(), code, "{}", answer.body);
    assert_eq!(app.app.streams.open(), 0, "no stream held");
}

/// One `#[tokio::test]` a row (see [`assert_get_refused`]).
macro_rules! get_refusals {
    ($($name:ident: $naming:expr, $headers:expr => $status:expr, $code:expr;)*) => {$(
        #[tokio::test]
        async fn $name() {
            assert_get_refused($naming, &$headers, $status, $code).await;
        }
    )*};
}

const SSE: (&str, &str) = ("accept", "text/event-stream");

get_refusals! {
    get_without_sse_in_accept_is_406: Naming::Own, [("accept", "application/json")] => 406, SERVER_ERROR;
    get_with_unknown_session_is_404:
        Naming::Id("6f1c1d2e-8a43-4c55-9d7e-2b0a4f1e9c33"), [SSE] => 404, SERVER_ERROR;
    get_with_unsupported_protocol_version_header_is_400:
        Naming::Own, [SSE, ("mcp-protocol-version", "1999-01-01")] => 400, INVALID_REQUEST;
}

#[tokio::test]
async fn get_is_405_with_allow_where_the_host_cannot_stream() {
    let app = spawn_app_with(Options {
        can_stream: false,
        ..Options::default()
    })
    .await;
    let mcp = session(&app, "2025-06-18").await;
    let answer = exchange(mcp.get_stream()).await;
    assert_eq!(answer.status, 405, "{}", answer.body);
    let allow = answer.header("allow").expect("an Allow header");
    assert!(allow.contains("POST"), "{allow}");
    assert!(!allow.contains("GET"), "{allow}");
    // POST still works on such a host.
    assert_eq!(post(&mcp, &ping_request(1)).await.status, 200);
}
