//! `initialize` and version negotiation: the answer's id, the echoed or
//! offered version, the session id header, the capabilities.

use malgomo_tests::rpc::{INVALID_PARAMS, initialize_params, initialize_request, post, request};
use malgomo_tests::spawn_app;
use serde_json::json;

use super::is_visible_ascii;

#[tokio::test]
async fn initialize_with_id_zero_is_answered_with_id_zero() {
    let app = spawn_app().await;
    let answer = post(&app.client(), &initialize_request("2025-06-18")).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.content_type().starts_with("application/json"));
    let body = answer.json();
    assert_eq!(body["jsonrpc"], "2.0");
    assert_eq!(body["id"], json!(0), "{body}");
    assert!(body.get("error").is_none(), "{body}");
    assert_eq!(body["result"]["protocolVersion"], "2025-06-18");
    assert_eq!(body["result"]["serverInfo"]["name"], "malgomo-mcp");
}

/// Initializes a fresh client with each `(asked, offered)` row's version:
/// each is answered with the offered version and a session.
async fn assert_negotiates(rows: &[(&str, &str)]) {
    let app = spawn_app().await;
    for (asked, offered) in rows {
        let answer = post(
            &app.client(),
            &request(1, "initialize", initialize_params(asked)),
        )
        .await;
        assert_eq!(answer.status, 200, "{asked}: {}", answer.body);
        assert_eq!(
            answer.json()["result"]["protocolVersion"],
            *offered,
            "{asked} gets {offered}"
        );
        assert!(answer.header("mcp-session-id").is_some(), "{asked}");
    }
}

#[tokio::test]
async fn initialize_echoes_every_supported_version() {
    assert_negotiates(&[
        ("2025-03-26", "2025-03-26"),
        ("2025-06-18", "2025-06-18"),
        ("2025-11-25", "2025-11-25"),
    ])
    .await;
}

#[tokio::test]
async fn initialize_offers_latest_for_older_or_unknown_versions() {
    assert_negotiates(&[
        ("2024-11-05", "2025-11-25"),
        ("2099-01-01", "2025-11-25"),
        ("not-a-version", "2025-11-25"),
    ])
    .await;
}

#[tokio::test]
async fn initialize_returns_a_self_authenticating_session_id_in_the_header() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let answer = post(&app.client(), &initialize_request("2025-06-18")).await;
        assert_eq!(answer.status, 200);
        let id = answer
            .header("mcp-session-id")
            .expect("Mcp-Session-Id on initialize")
            .to_owned();
        assert!(is_visible_ascii(&id), "session id {id:?} is visible ASCII");
        let issued = app.app.sessions.verify(&id).expect("the id verifies");
        assert_eq!(
            issued.issued_at_ms,
            malgomo::clock::Clock::now_ms(app.clock.as_ref()),
            "it carries its issue time"
        );
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1], "every session gets its own id");
}

#[tokio::test]
async fn initialize_advertises_the_tools_capability() {
    let app = spawn_app().await;
    let answer = post(&app.client(), &initialize_request("2025-11-25")).await;
    let result = &answer.json()["result"];
    assert!(result["capabilities"]["tools"].is_object(), "{result}");
    assert!(result["serverInfo"]["version"].is_string(), "{result}");
}

/// What a connector directory shows of the server: a description, an icon
/// that loads nothing (a `data:` URI) and the product's website.
#[tokio::test]
async fn server_info_carries_description_icon_and_website() {
    let app = spawn_app().await;
    let answer = post(&app.client(), &initialize_request("2025-11-25")).await;
    let info = &answer.json()["result"]["serverInfo"];
    assert_eq!(info["title"], "MalGomo dashboard", "{info}");
    assert!(
        info["description"].as_str().is_some_and(|d| d.len() > 20),
        "{info}"
    );
    assert!(
        info["websiteUrl"]
            .as_str()
            .is_some_and(|url| url.starts_with("https://")),
        "{info}"
    );
    let icons = info["icons"].as_array().expect("icons");
    assert_eq!(icons.len(), 1, "{info}");
    assert!(
        icons[0]["src"]
            .as_str()
            .is_some_and(|src| src.starts_with("data:image/svg+xml;base64,")),
        "{info}"
    );
    assert_eq!(icons[0]["mimeType"], "image/svg+xml");
    assert_eq!(icons[0]["sizes"], json!(["any"]));
}

#[tokio::test]
async fn initialize_without_protocol_version_is_invalid_params() {
    let app = spawn_app().await;
    let answer = post(&app.client(), &request(3, "initialize", json!({}))).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.error_code(), INVALID_PARAMS);
    assert_eq!(answer.json()["id"], 3);
    assert!(answer.header("mcp-session-id").is_none(), "no session");
}
