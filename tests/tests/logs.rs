//! Logs never carry a password, a token or a whole session id: the whole
//! mode B flow runs with every log level on, and the captured output is
//! searched for each secret that went over the wire.

use std::io::Write;
use std::sync::{Arc, Mutex};

use malgomo_tests::{accounts, spawn_app, text};
use serde_json::json;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_reaches_the_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let app = spawn_app().await;
    let account = accounts::find("owner@agency-a.test").unwrap();
    let mcp = app.logged_in(account.email).await;
    let session = mcp.session.clone().expect("a session id");
    let kpis = mcp.call_tool("malgomo_get_kpis", json!({})).await;
    assert_eq!(kpis["isError"], false, "{kpis}");
    let wrong = mcp
        .call_tool(
            "malgomo_login",
            json!({ "email": account.email, "password": "a-wrong-password-123" }),
        )
        .await;
    assert!(
        text(&wrong).contains("invalid email or password"),
        "{wrong}"
    );
    // A password of the wrong type is named, never echoed.
    let (status, numeric) = mcp
        .rpc(
            "tools/call",
            json!({
                "name": "malgomo_login",
                "arguments": { "email": account.email, "password": 987654321 }
            }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(numeric["error"]["code"], -32602, "{numeric}");
    assert_eq!(
        numeric["error"]["message"], "Invalid params: field `password` must be a string",
        "{numeric}"
    );
    assert!(!numeric.to_string().contains("987654321"), "{numeric}");
    let tokens = {
        let grant = app
            .app
            .upstream
            .auth
            .password_grant(
                &malgomo::domain::Email::parse(account.email).unwrap(),
                &malgomo::domain::Secret::new(account.password),
            )
            .await
            .unwrap();
        grant.tokens
    };
    let mut bearer = app.client();
    bearer.bearer = Some(tokens.access_token.expose().to_owned());
    let status = bearer.call_tool("malgomo_status", json!({})).await;
    assert_eq!(status["structuredContent"]["via"], "bearer", "{status}");

    let id = app.app.sessions.verify(&session).unwrap().id;
    let now = app.app.clock.now_ms();
    let stored = app
        .app
        .store
        .get(&id, now)
        .await
        .unwrap()
        .live()
        .expect("the session");
    let login = stored.record.login.expect("the session's login").tokens;

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("login succeeded"),
        "logging was captured: {logs}"
    );
    let refresh = tokens.refresh_token.as_ref().unwrap().expose().to_owned();
    for secret in [
        account.password,
        "a-wrong-password-123",
        "987654321",
        tokens.access_token.expose(),
        refresh.as_str(),
        session.as_str(),
        login.access_token.expose(),
        login.refresh_token.as_ref().unwrap().expose(),
    ] {
        assert!(!logs.contains(secret), "a secret is in the logs");
    }
}
