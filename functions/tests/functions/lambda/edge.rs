//! The edge: the origin secret (and its rotation) and the caller's
//! address, believed only from the front door.

use malgomo_tests::lambda::{Function, Upstreams};
use malgomo_tests::rpc::tool_call;
use serde_json::{Value, json};

use super::*;

const ORIGIN_SECRET: &str = "origin-secret-for-the-tests-0123456789abcdef";

/// A Function URL event from `source_ip`, with extra headers.
fn edge_event(sample_text: &str, source_ip: &str, headers: &[(&str, &str)]) -> Value {
    let mut event = Event::from(sample_text);
    for (name, value) in headers {
        event = event.header(name, value);
    }
    let mut event = event.build();
    event["requestContext"]["http"]["sourceIp"] = json!(source_ip);
    event
}

/// With ORIGIN_SECRET set, every path answers 403 unless the request
/// carries the secret: missing, wrong, repeated — and the right one passes.
#[tokio::test]
async fn with_an_origin_secret_every_path_refuses_requests_around_the_front_door() {
    let upstreams = Upstreams::start().await;
    let mut env = upstreams.env();
    env.push(("ORIGIN_SECRET", ORIGIN_SECRET.to_owned()));
    for binary in [LAMBDA_MCP, LAMBDA_HEALTH] {
        let function = Function::spawn(binary, &env).await;
        for sample_text in [HTTPAPI_HEALTHZ, FUNCTION_URL_INITIALIZE] {
            let wrong = format!("{}x", &ORIGIN_SECRET[1..]);
            for (what, secret) in [("missing", None), ("wrong", Some(wrong.as_str()))] {
                let headers: Vec<(&str, &str)> =
                    secret.map(|s| ("x-origin-secret", s)).into_iter().collect();
                let response = function
                    .call(edge_event(sample_text, "203.0.113.10", &headers))
                    .await;
                assert_eq!(status(&response), 403, "{what} secret: {response}");
                assert!(
                    !response.to_string().contains(ORIGIN_SECRET),
                    "the answer never echoes the secret"
                );
            }
            let right = function
                .call(edge_event(
                    sample_text,
                    "203.0.113.10",
                    &[("x-origin-secret", ORIGIN_SECRET)],
                ))
                .await;
            assert_eq!(status(&right), 200, "the right secret: {right}");
        }
        assert!(
            !function.output().contains(ORIGIN_SECRET),
            "the secret is never logged"
        );
    }
}

/// An origin-secret rotation as the runbook does it: the old secret alone,
/// then the new one with the old as ORIGIN_SECRET_PREVIOUS (CloudFront's
/// edges switch meanwhile), then the new one alone. A request carrying a
/// secret the phase accepts is never refused; one the phase dropped is.
#[tokio::test]
async fn an_origin_secret_rotation_refuses_no_request_carrying_an_accepted_secret() {
    const NEXT: &str = "origin-secret-after-the-rotation-9876543210fedcba";
    let upstreams = Upstreams::start().await;
    for (phase, current, previous, accepted) in [
        ("before", ORIGIN_SECRET, None, vec![ORIGIN_SECRET]),
        (
            "during",
            NEXT,
            Some(ORIGIN_SECRET),
            vec![ORIGIN_SECRET, NEXT],
        ),
        ("after", NEXT, None, vec![NEXT]),
    ] {
        let mut env = upstreams.env();
        env.push(("ORIGIN_SECRET", current.to_owned()));
        if let Some(previous) = previous {
            env.push(("ORIGIN_SECRET_PREVIOUS", previous.to_owned()));
        }
        let function = Function::spawn(LAMBDA_MCP, &env).await;
        for secret in [ORIGIN_SECRET, NEXT] {
            let response = function
                .call(edge_event(
                    FUNCTION_URL_INITIALIZE,
                    "203.0.113.10",
                    &[("x-origin-secret", secret)],
                ))
                .await;
            let expected = if accepted.contains(&secret) { 200 } else { 403 };
            assert_eq!(status(&response), expected, "{phase}: {response}");
        }
        let output = function.output();
        assert!(
            !output.contains(ORIGIN_SECRET) && !output.contains(NEXT),
            "no secret is logged"
        );
    }
}

/// Six wrong passwords for one account, each event forging another
/// `X-Forwarded-For` (and a viewer-address header without the secret's
/// backing): the address is the event's sourceIp throughout, so the
/// per-address throttle stops the sixth before it reaches the backend.
/// With the secret, the front door's viewer-address header is believed.
#[tokio::test]
async fn a_forged_x_forwarded_for_does_not_change_the_callers_address() {
    let upstreams = Upstreams::start().await;
    let function = Function::spawn(LAMBDA_MCP, &upstreams.env()).await;
    let forged: Vec<Vec<(String, String)>> = (0..6)
        .map(|n| {
            vec![
                ("x-forwarded-for".to_owned(), format!("198.51.100.{n}")),
                ("x-malgomo-viewer-ip".to_owned(), format!("192.0.2.{n}")),
            ]
        })
        .collect();
    let texts = login_attempts(&function, "203.0.113.10", &forged).await;
    assert!(
        texts[5].contains("too many login attempts"),
        "the sixth guess is throttled: {}",
        texts[5]
    );
    assert_eq!(
        upstreams.sim.counters().request_count("password"),
        5,
        "only five guesses reached the backend"
    );
}

/// Wrong-password logins from `source_ip` on one session, each with its own
/// extra headers; returns each tool result's text.
pub(super) async fn login_attempts(
    function: &Function,
    source_ip: &str,
    extra: &[Vec<(String, String)>],
) -> Vec<String> {
    let init = function
        .call(edge_event(
            FUNCTION_URL_INITIALIZE,
            source_ip,
            &common_headers(extra),
        ))
        .await;
    let session = session_id(&init);
    let mut texts = Vec::new();
    for (n, headers) in extra.iter().enumerate() {
        let mut pairs: Vec<(&str, &str)> = vec![("mcp-session-id", session.as_str())];
        pairs.extend(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let login = tool_call(
            n as i64 + 1,
            "malgomo_login",
            json!({ "email": "owner@agency-a.test", "password": format!("wrong-{n}") }),
        );
        let event = Event(edge_event(FUNCTION_URL_TOOLS_LIST, source_ip, &pairs))
            .body(Some(&login))
            .build();
        let response = function.call(event).await;
        assert_eq!(status(&response), 200, "{response}");
        texts.push(
            body(&response)["result"]["content"][0]["text"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    texts
}

/// The headers every request of a run carries (the origin secret, if any).
fn common_headers(extra: &[Vec<(String, String)>]) -> Vec<(&str, &str)> {
    extra
        .first()
        .map(|first| {
            first
                .iter()
                .filter(|(k, _)| k == "x-origin-secret")
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn with_the_origin_secret_the_front_doors_viewer_address_is_believed() {
    let upstreams = Upstreams::start().await;
    let mut env = upstreams.env();
    env.push(("ORIGIN_SECRET", ORIGIN_SECRET.to_owned()));
    let function = Function::spawn(LAMBDA_MCP, &env).await;
    // CloudFront's own address is the sourceIp of every request; the
    // viewers differ, so nobody's guesses count against anybody else.
    let viewers: Vec<Vec<(String, String)>> = (0..6)
        .map(|n| {
            vec![
                ("x-origin-secret".to_owned(), ORIGIN_SECRET.to_owned()),
                ("x-malgomo-viewer-ip".to_owned(), format!("2001:db8:{n}::1")),
            ]
        })
        .collect();
    let texts = login_attempts(&function, "130.176.0.1", &viewers).await;
    for text in &texts {
        assert!(!text.contains("too many login attempts"), "{text}");
    }
    assert_eq!(upstreams.sim.counters().request_count("password"), 6);
}
