//! `floor`: the benchmark's canned-answer floor. A hyper server on
//! loopback that answers every `POST /mcp` with the same bytes (the
//! server's own `tools/list` answer, handed over in a file) and nothing
//! else: what an HTTP/1.1 JSON answer of that size costs on this machine
//! with no MCP work at all. The `server_cpu` section runs it as its own
//! process, so its CPU time is its own.
//!
//! Usage: `floor PORT FILE` (binds 127.0.0.1:PORT; prints `ready` when it
//! listens; ends when its standard input closes).

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(port), Some(file)) = (args.next(), args.next()) else {
        eprintln!("usage: floor PORT FILE");
        std::process::exit(2);
    };
    let Ok(port) = port.parse::<u16>() else {
        eprintln!("floor: PORT must be a port number");
        std::process::exit(2);
    };
    let answer = match std::fs::read(&file) {
        Ok(bytes) => Bytes::from(bytes),
        Err(err) => {
            eprintln!("floor: {file}: {err}");
            std::process::exit(2);
        }
    };
    let listener = match TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("floor: cannot listen on {port}: {err}");
            std::process::exit(1);
        }
    };
    // The benchmark closes our standard input to stop us (or kills us).
    std::thread::spawn(|| {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        std::process::exit(0);
    });
    println!("ready");
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let answer = answer.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| respond(request, answer.clone()));
            // A client that drops its connection is no failure here.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The fixed answer to `POST /mcp` (its body read whole, as a server must),
/// 404 to anything else.
async fn respond(
    request: Request<Incoming>,
    answer: Bytes,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let is_mcp = request.method() == Method::POST && request.uri().path() == "/mcp";
    // An unreadable body still gets the answer: the floor measures answering.
    let _ = request.into_body().collect().await;
    let mut response = Response::new(Full::new(if is_mcp { answer } else { Bytes::new() }));
    if is_mcp {
        response.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("application/json"),
        );
    } else {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    Ok(response)
}
