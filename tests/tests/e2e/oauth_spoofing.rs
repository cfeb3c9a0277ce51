//! Issue 17's attacks on what the sign-in page tells the user, replayed and
//! refused: a registered name posing as a real host, redirect URIs that
//! read as one place and go to another, and a forged refresh token used to
//! revoke someone's grant. Also: every real host's redirect URIs still
//! register, and the page names each client by what is proven.

use std::time::Duration;

use malgomo_tests::document::DocumentHost;
use malgomo_tests::oauth as support;
use serde_json::{Value, json};
use support::*;

const NOT_VERIFIED: &str = "<span class=\"unverified\">(name not verified)</span>";

async fn register_named(app: &OAuthApp, name: &str, uris: &[&str], method: &str) -> Value {
    let answer = app
        .register(&json!({
            "redirect_uris": uris,
            "token_endpoint_auth_method": method,
            "client_name": name,
        }))
        .await;
    assert_eq!(answer.status, 201, "{name} {uris:?}: {}", answer.body);
    answer.json()
}

/// The text of the page's `<code class="target">`: where the code goes.
fn target(html: &str) -> &str {
    let marker = "<code class=\"target\">";
    let start = html.find(marker).expect("the page shows the target") + marker.len();
    let end = html[start..].find("</code>").expect("a closing tag") + start;
    &html[start..end]
}

// ------------------------------------------------------------ registration

#[tokio::test]
async fn a_custom_scheme_posing_as_a_web_host_is_refused() {
    let app = spawn().await;
    for uri in [
        "com.evil://claude.ai/cb",
        "com.evil://chatgpt.com/connector/oauth/x",
        "com.evil://127.0.0.1/cb",
        "evil://claude.ai/cb",
        "claude://callback",
        "cursor://claude.ai/oauth/callback",
    ] {
        app.register(&json!({ "redirect_uris": [uri], "client_name": "Claude",
                "token_endpoint_auth_method": "none" }))
            .await
            .assert_oauth_error(400, "invalid_redirect_uri");
    }
    // Reverse-DNS form without a host-like authority is a native app's.
    for uri in [
        "com.example.app:/oauth2redirect",
        "com.example.app://callback",
    ] {
        register_named(&app, "Native app", &[uri], "none").await;
    }
}

#[tokio::test]
async fn schemes_that_open_sockets_or_wrap_pages_are_refused() {
    let app = spawn().await;
    for uri in [
        "view-source:https://claude.ai/api/mcp/auth_callback",
        "jar:https://claude.ai/app.jar!/cb",
        "ws://127.0.0.1:4444/cb",
        "wss://claude.ai/cb",
        "about:blank",
        "blob:https://claude.ai/0b1c",
        "ftp://127.0.0.1/cb",
    ] {
        app.register(&json!({ "redirect_uris": [uri], "token_endpoint_auth_method": "none" }))
            .await
            .assert_oauth_error(400, "invalid_redirect_uri");
    }
}

#[tokio::test]
async fn fragments_and_userinfo_are_refused_on_registered_uris() {
    let app = spawn().await;
    for uri in [
        "http://evil@127.0.0.1/loop#f",
        "http://evil@127.0.0.1/loop",
        "http://127.0.0.1/loop#f",
        "http://127.0.0.1/loop#",
        "http://user:pass@localhost:3334/oauth/callback",
        "https://evil@claude.ai/api/mcp/auth_callback",
        "https://claude.ai/api/mcp/auth_callback#x",
    ] {
        app.register(&json!({ "redirect_uris": [uri], "token_endpoint_auth_method": "none" }))
            .await
            .assert_oauth_error(400, "invalid_redirect_uri");
    }
}

#[tokio::test]
async fn names_with_bidi_format_or_control_characters_are_refused() {
    let app = spawn().await;
    for name in [
        "Claude\u{202E}gpj.exe",
        "Claude\u{200F}",
        "Chat\u{200B}GPT",
        "\u{FEFF}Claude",
        "Claude\u{2066}x\u{2069}",
        "Claude\u{061C}",
        "Claude\u{00AD}",
        "Claude\nOfficial",
        "Claude\u{7}",
    ] {
        app.register(&json!({ "redirect_uris": [REDIRECT], "client_name": name,
                "token_endpoint_auth_method": "none" }))
            .await
            .assert_oauth_error(400, "invalid_client_metadata");
    }
}

// ---------------------------------------------------------------- /authorize

#[tokio::test]
async fn a_requested_uri_with_userinfo_or_a_fragment_is_refused_on_loopback() {
    let app = spawn().await;
    let client = app.register_public(&["http://127.0.0.1/loop"]).await;
    // Loopback matching ignores the port; it must not ignore these.
    for requested in [
        "http://evil@127.0.0.1:5555/loop#f",
        "http://evil@127.0.0.1:5555/loop",
        "http://127.0.0.1:5555/loop#f",
        "http://evil:pw@localhost:5555/loop",
    ] {
        let answer = app.authorize_with(&client.id, requested, &[]).await;
        answer.assert_error_page(400);
        assert!(answer.header("location").is_none(), "{requested}");
    }
    let page = SignInPage::parse(
        &app.authorize_with(&client.id, "http://127.0.0.1:5555/loop", &[])
            .await,
    );
    assert_eq!(target(&page.html), "http://127.0.0.1:5555/loop");
}

// --------------------------------------------------------- the sign-in page

#[tokio::test]
async fn a_registered_name_is_marked_not_verified_with_the_full_target() {
    let app = spawn().await;
    let redirect = "https://claude.ai/api/mcp/auth_callback";
    let client = register_named(&app, "Claude", &[redirect], "none").await;
    let id = client["client_id"].as_str().unwrap();
    let page = SignInPage::parse(&app.authorize_with(id, redirect, &[]).await);
    assert!(
        page.html.contains(&format!(
            "<span class=\"client\">Claude</span> {NOT_VERIFIED}"
        )),
        "{}",
        page.html
    );
    assert_eq!(target(&page.html), redirect);
    // A wrong password re-renders the page from the pending record: the
    // same words, the same target.
    let again = app.login(&page, OWNER, "wrong-password").await;
    assert_eq!(again.status, 401, "{}", again.body);
    assert!(again.body.contains(NOT_VERIFIED), "{}", again.body);
    assert_eq!(target(&again.body), redirect);
    // A native app's target shows its scheme.
    let native = register_named(&app, "Native", &["com.example.app:/cb"], "none").await;
    let id = native["client_id"].as_str().unwrap();
    let page = SignInPage::parse(&app.authorize_with(id, "com.example.app:/cb", &[]).await);
    assert_eq!(target(&page.html), "com.example.app:/cb");
    assert!(page.html.contains(NOT_VERIFIED));
}

#[tokio::test]
async fn a_document_client_is_named_by_the_host_of_its_client_id() {
    let app = spawn().await;
    let host = DocumentHost::start().await;
    let client_id = host.url("127.0.0.1", "/client.json");
    let shown = format!("127.0.0.1:{}", host.port);
    let page = SignInPage::parse(&app.authorize_with(&client_id, REDIRECT, &[]).await);
    assert!(
        page.html.contains(&format!(
            "<span class=\"client\">{shown}</span> wants to read"
        )),
        "{}",
        page.html
    );
    // The document's own client_name is a claim; the page does not repeat it.
    assert!(!page.html.contains("Document client"), "{}", page.html);
    assert!(!page.html.contains("not verified"), "{}", page.html);
    assert_eq!(target(&page.html), REDIRECT);
    let again = app.login(&page, OWNER, "wrong-password").await;
    assert_eq!(again.status, 401, "{}", again.body);
    assert!(
        again
            .body
            .contains(&format!("<span class=\"client\">{shown}</span>"))
    );
    assert!(!again.body.contains("not verified"), "{}", again.body);
}

/// What each host really registers (public reports and the hosts' docs;
/// README "Which hosts connect how"): every one is accepted, and its page
/// shows its own target.
#[tokio::test]
async fn every_real_hosts_redirect_uris_register() {
    let app = spawn().await;
    let hosts: [(&str, &[&str], &str, &str); 7] = [
        (
            "Claude",
            &["https://claude.ai/api/mcp/auth_callback"],
            "client_secret_post",
            "https://claude.ai/api/mcp/auth_callback",
        ),
        (
            "Claude (claude.com)",
            &["https://claude.com/api/mcp/auth_callback"],
            "client_secret_post",
            "https://claude.com/api/mcp/auth_callback",
        ),
        (
            "Claude Code",
            &["http://localhost:54212/callback"],
            "none",
            "http://localhost:54212/callback",
        ),
        (
            "ChatGPT",
            &[
                "https://chatgpt.com/connector_platform_oauth_redirect",
                "https://chatgpt.com/connector/oauth/OUbdUMlL15Ct",
            ],
            "none",
            "https://chatgpt.com/connector/oauth/OUbdUMlL15Ct",
        ),
        (
            "Visual Studio Code",
            &[
                "https://insiders.vscode.dev/redirect",
                "https://vscode.dev/redirect",
                "http://127.0.0.1/",
                "http://127.0.0.1:33418/",
            ],
            "none",
            "http://127.0.0.1:33418/",
        ),
        (
            "Cursor",
            &[
                "cursor://anysphere.cursor-mcp/oauth/callback",
                "https://www.cursor.com/agents/mcp/oauth/callback",
                "http://localhost:8787/callback",
            ],
            "none",
            "cursor://anysphere.cursor-mcp/oauth/callback",
        ),
        (
            "MCP CLI Proxy",
            &["http://localhost:3334/oauth/callback"],
            "none",
            "http://localhost:3334/oauth/callback",
        ),
    ];
    for (name, uris, method, requested) in hosts {
        let client = register_named(&app, name, uris, method).await;
        assert_eq!(
            client["redirect_uris"].as_array().map(Vec::len),
            Some(uris.len())
        );
        let id = client["client_id"].as_str().unwrap();
        let page = SignInPage::parse(&app.authorize_with(id, requested, &[]).await);
        assert_eq!(target(&page.html), requested, "{name}");
        assert!(page.html.contains(NOT_VERIFIED), "{name}");
    }
}

// ----------------------------------------------------------- refresh tokens

#[tokio::test]
async fn a_forged_refresh_token_is_invalid_grant_and_changes_nothing() {
    let app = spawn().await;
    let (client, tokens) = app.connect().await;
    let grant = tokens.refresh_grant();
    for forged in [
        format!("{grant}.forged"),
        format!("{grant}."),
        format!("{grant}.{}", "A".repeat(43)),
    ] {
        let answer = app.refresh(&client.id, &forged).await;
        answer.assert_oauth_error(400, "invalid_grant");
        assert!(!answer.body.contains("revoked"), "{}", answer.body);
    }
    // The user's tokens still work, and the real refresh token rotates.
    app.assert_works(&tokens.access).await;
    let next = Tokens::from(&app.refresh(&client.id, &tokens.refresh).await);
    app.assert_works(&next.access).await;
}

#[tokio::test]
async fn a_token_rotated_out_several_times_ago_still_revokes_on_reuse() {
    let app = spawn().await;
    let (client, first) = app.connect().await;
    let mut current = first.clone();
    for _ in 0..3 {
        current = Tokens::from(&app.refresh(&client.id, &current.refresh).await);
    }
    app.clock.advance(Duration::from_secs(31));
    let reused = app.refresh(&client.id, &first.refresh).await;
    reused.assert_oauth_error(400, "invalid_grant");
    assert!(reused.body.contains("revoked"), "{}", reused.body);
    app.assert_refused(&current.access).await;
    app.refresh(&client.id, &current.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
}
