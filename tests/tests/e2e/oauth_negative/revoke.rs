//! `/revoke` by another client: answered 200, and nothing is revoked.

use malgomo_tests::oauth as support;

use support::*;

/// Another client revoking one of a grant's tokens (`which`): answered
/// 200, as RFC 7009 asks, and nothing is revoked.
async fn assert_another_client_cannot_revoke(which: fn(&Tokens) -> &str) {
    let app = spawn().await;
    let (_, tokens) = app.connect().await;
    let other = app.register_public(&[REDIRECT]).await;
    assert_eq!(app.revoke(&other.id, which(&tokens)).await.status, 200);
    app.assert_works(&tokens.access).await;
}

#[tokio::test]
async fn revoke_by_another_client_does_not_revoke_but_answers_200() {
    assert_another_client_cannot_revoke(|tokens| &tokens.refresh).await;
}

#[tokio::test]
async fn revoking_another_clients_access_token_does_not_revoke_it() {
    assert_another_client_cannot_revoke(|tokens| &tokens.access).await;
}
