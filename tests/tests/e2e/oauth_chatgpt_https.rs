//! ChatGPT as it connects (issue 17): its real metadata document and JWK
//! Set served over **https from `chatgpt.com`** at a global address, to a
//! server whose `PUBLIC_URL` is not loopback — so the fetch door's every
//! rule applies (https only, global unicast only, pinned, certificate
//! checked), with nothing relaxed for tests.
//!
//! A global address needs a network of our own: the test re-runs itself in
//! new mount and network namespaces (`unshare -m -n`; the tests run as
//! root), where `lo` carries 104.18.32.47, a private `/etc/hosts` maps
//! `chatgpt.com` to it, and `SSL_CERT_FILE` names the test CA that signed
//! the host's certificate. Without `unshare` the test fails, loudly.

use std::collections::HashMap;
use std::process::Command;

use malgomo::clock::Clock;
use malgomo_tests::client_keys::{self, ASSERTION_TYPE, Key, jwks};
use malgomo_tests::key_host;
use malgomo_tests::oauth as support;
use malgomo_tests::tls_host::{CA_PEM, TlsHost};
use support::*;

/// Set in the re-run inside the namespaces.
const INSIDE: &str = "MALGOMO_TEST_IN_NETNS";
/// A global unicast address (Cloudflare's, as chatgpt.com's are), on our `lo` only.
const ADDRESS: &str = "104.18.32.47";
const TEST: &str = "oauth_chatgpt_https::chatgpt_connects_over_https_with_its_real_document";
const ID: &str = "g-4f1c2a9e7b3d";
const PUBLIC: &str = "https://mcp.malgomo.test";

#[tokio::test]
async fn chatgpt_connects_over_https_with_its_real_document() {
    if std::env::var_os(INSIDE).is_none() {
        return rerun_in_namespaces();
    }
    let client_id = format!("https://chatgpt.com/oauth/{ID}/client.json");
    let redirect = format!("https://chatgpt.com/connector/oauth/{ID}");
    let key = Key::rsa(1, "chatgpt-2026");
    let document = key_host::chatgpt_document(
        &client_id,
        "https://chatgpt.com/",
        &redirect,
        "https://chatgpt.com/oauth/jwks.json",
    );
    let routes = HashMap::from([
        (format!("/oauth/{ID}/client.json"), document),
        ("/oauth/jwks.json".to_owned(), jwks(&[&key])),
    ]);
    let host = TlsHost::start(format!("{ADDRESS}:443").parse().unwrap(), routes).await;
    let (listener, _) = bind().await;
    let app = spawn_on(listener, PUBLIC, Shared::default()).await;

    let code = app.code_with(&client_id, &redirect, &[]).await;
    assert_eq!(host.fetches(), 1, "the document, over https");
    let assertion = |app: &OAuthApp| {
        key.sign(&client_keys::claims(
            &client_id,
            &format!("{PUBLIC}/token"),
            app.clock.now_secs(),
        ))
    };
    let resource = app.resource();
    let answer = app
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &redirect),
            ("code_verifier", VERIFIER),
            ("client_id", &client_id),
            ("resource", &resource),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &assertion(&app)),
        ])
        .await;
    let tokens = Tokens::from(&answer);
    assert_eq!(host.fetches(), 2, "and its JWK Set");
    app.assert_works(&tokens.access).await;

    let refreshed = Tokens::from(
        &app.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &tokens.refresh),
            ("client_id", &client_id),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", &assertion(&app)),
        ])
        .await,
    );
    app.assert_works(&refreshed.access).await;
    assert_eq!(host.fetches(), 2, "both cached");
}

/// Runs this test again inside fresh mount and network namespaces and
/// asserts that it passed there.
fn rerun_in_namespaces() {
    let dir = std::env::temp_dir().join(format!("malgomo-netns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let hosts = dir.join("hosts");
    std::fs::write(
        &hosts,
        format!("127.0.0.1 localhost\n::1 localhost\n{ADDRESS} chatgpt.com\n"),
    )
    .expect("the namespace's hosts file");
    let exe = std::env::current_exe().expect("the test binary");
    let script = format!(
        "set -e; ip link set lo up; ip addr add {ADDRESS}/32 dev lo; mount --bind \"$1\" /etc/hosts; shift; exec \"$@\""
    );
    let output = Command::new("unshare")
        .args(["--mount", "--net", "--", "sh", "-c", &script, "sh"])
        .arg(&hosts)
        .arg(&exe)
        .args([TEST, "--exact", "--nocapture", "--test-threads", "1"])
        .env(INSIDE, "1")
        .env("SSL_CERT_FILE", CA_PEM)
        .output()
        .expect("unshare runs (util-linux; the tests need root for namespaces)");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the test failed inside the namespaces ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("1 passed"),
        "the re-run did not run the test:\n{stdout}\n{stderr}"
    );
}
