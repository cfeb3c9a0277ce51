//! Attacks on the authorization server (issue 9, attacks 2–6), replayed
//! and refused: SSRF through metadata documents, open redirects, revocation
//! without the secret, burning codes, and unbounded unauthenticated work.

use malgomo_tests::document::DocumentHost;
use malgomo_tests::oauth as support;
use support::*;

// ------------------------------------------------------------------- SSRF

#[tokio::test]
async fn metadata_documents_on_non_global_addresses_are_never_fetched() {
    let app = spawn().await;
    let host = DocumentHost::start().await;
    // The harness reaches the host (loopback is allowed for a loopback
    // PUBLIC_URL), so a refusal below is the guard's doing.
    let reachable = host.url("127.0.0.1", "/client.json");
    let page = app.authorize_with(&reachable, REDIRECT, &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(host.fetches(), 1);
    for disguised in [
        "[::ffff:127.0.0.1]",   // IPv4-mapped loopback: a dual-stack socket reaches it
        "[::127.0.0.1]",        // IPv4-compatible
        "[64:ff9b::7f00:1]",    // NAT64 of 127.0.0.1
        "[64:ff9b::a9fe:a9fe]", // NAT64 of the metadata service
        "[2002:a00:1::]",       // 6to4 of 10.0.0.1
        "198.18.0.1",
        "240.0.0.1",
        "192.0.0.192",
    ] {
        let client_id = host.url(disguised, "/client.json");
        let answer = app.authorize_with(&client_id, REDIRECT, &[]).await;
        answer.assert_error_page(400);
        assert!(answer.header("location").is_none());
    }
    assert_eq!(host.fetches(), 1, "no disguised address was fetched");
}
