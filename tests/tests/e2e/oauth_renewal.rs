//! Mode A: the upstream token behind a grant renews server-side, once for
//! concurrent calls, without a new sign-in.

use std::sync::Arc;
use std::time::Duration;

use malgomo_tests::oauth as support;
use serde_json::json;
use support::*;

/// Makes the upstream token stored in the grant expired as the app sees it,
/// while tokens the simulator mints from now on look fresh: the app's clock
/// jumps 2 h (past the 1 h token), new tokens live 3 h.
///
/// (Setting the simulator's token lifetime to 0 before the sign-in cannot
/// work: the sign-in probes `/api/me` with the born-expired token and fails,
/// as `instances/` notes for `malgomo_login`.)
fn expire_upstream_token(app: &OAuthApp) {
    app.sim.set_token_lifetime(Duration::from_secs(3 * 60 * 60));
    app.clock.advance(Duration::from_secs(2 * 60 * 60));
    app.sim.reset_counters();
}

#[tokio::test]
async fn an_expired_upstream_token_is_renewed_server_side() {
    let app = spawn().await;
    let (_, tokens) = app.connect().await;
    expire_upstream_token(&app);
    app.assert_works(&tokens.access).await;
    assert_eq!(app.sim.counters().refreshes, 1);
    // The renewed token was kept: the next calls need no refresh.
    app.assert_works(&tokens.access).await;
    app.assert_works(&tokens.access).await;
    assert_eq!(app.sim.counters().refreshes, 1);
    assert_eq!(app.sim.counters().logins, 0, "no new sign-in");
}

#[tokio::test]
async fn concurrent_calls_renew_the_upstream_token_once() {
    let app = Arc::new(spawn().await);
    let (_, tokens) = app.connect().await;
    expire_upstream_token(&app);
    let barrier = Arc::new(tokio::sync::Barrier::new(10));
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let (app, barrier, bearer) = (app.clone(), barrier.clone(), tokens.access.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                app.call(&bearer, KPIS, json!({})).await
            })
        })
        .collect();
    for call in calls {
        let answer = call.await.expect("call task");
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.json()["result"]["isError"], false, "{}", answer.body);
    }
    assert_eq!(app.sim.counters().refreshes, 1);
}
