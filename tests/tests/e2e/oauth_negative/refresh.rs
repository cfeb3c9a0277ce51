//! `/token` with a refresh token: the grace window, replays, races and
//! another client's token.

use malgomo_tests::oauth as support;

use std::time::Duration;

use support::*;

/// A grant whose first refresh token is rotated, then presented again
/// `elapsed` later: the app, the client, the first and the rotated pair,
/// and the answer to the second presentation.
async fn reuse_after(elapsed: Duration) -> (OAuthApp, Client, Tokens, Tokens, Answer) {
    let app = spawn().await;
    let (client, first) = app.connect().await;
    let rotated = Tokens::from(&app.refresh(&client.id, &first.refresh).await);
    app.clock.advance(elapsed);
    let reused = app.refresh(&client.id, &first.refresh).await;
    (app, client, first, rotated, reused)
}

#[tokio::test]
async fn refresh_reuse_within_the_grace_window_returns_the_current_pair() {
    let (app, client, _, rotated, reused) = reuse_after(Duration::from_secs(29)).await;
    assert_eq!(reused.status, 200, "{}", reused.body);
    let reused = Tokens::from(&reused);
    assert_eq!(reused.access, rotated.access);
    assert_eq!(reused.refresh, rotated.refresh);
    app.assert_works(&rotated.access).await;
    // The current token still rotates normally afterwards.
    let next = Tokens::from(&app.refresh(&client.id, &rotated.refresh).await);
    assert_ne!(next.access, rotated.access);
    app.assert_works(&next.access).await;
}

#[tokio::test]
async fn refresh_replay_after_the_grace_window_revokes_the_grant() {
    let (app, client, first, rotated, replayed) = reuse_after(Duration::from_secs(31)).await;
    replayed.assert_oauth_error(400, "invalid_grant");
    app.assert_refused(&rotated.access).await;
    app.assert_refused(&first.access).await;
    app.refresh(&client.id, &rotated.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
}

#[tokio::test]
async fn concurrent_refreshes_with_one_token_get_the_same_pair() {
    let app = spawn().await;
    let (client, tokens) = app.connect().await;
    let (one, two) = tokio::join!(
        app.refresh(&client.id, &tokens.refresh),
        app.refresh(&client.id, &tokens.refresh)
    );
    let (one, two) = (Tokens::from(&one), Tokens::from(&two));
    assert_eq!(one, two);
    assert_ne!(one.refresh, tokens.refresh);
    app.assert_works(&one.access).await;
}

#[tokio::test]
async fn a_refresh_token_two_rotations_old_is_a_replay() {
    let app = spawn().await;
    let (client, first) = app.connect().await;
    let second = Tokens::from(&app.refresh(&client.id, &first.refresh).await);
    let third = Tokens::from(&app.refresh(&client.id, &second.refresh).await);
    app.refresh(&client.id, &first.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
    app.assert_refused(&third.access).await;
}

#[tokio::test]
async fn refresh_token_of_another_client_is_invalid_grant() {
    let app = spawn().await;
    let (_, tokens) = app.connect().await;
    let other = app.register_public(&[REDIRECT]).await;
    app.refresh(&other.id, &tokens.refresh)
        .await
        .assert_oauth_error(400, "invalid_grant");
}
