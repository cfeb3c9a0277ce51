//! Refresh rotation, the reuse window, family revocation, logout and `/auth/v1/user`.

use crate::common::{gotrue_error, jwt_part, spawn_sim, status_json};
use malgomo_sim::accounts::DEMO_ANON_KEY;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .to_string()
}

async fn refreshed(t: &crate::common::TestSim, token: &str) -> Value {
    let (status, body) = status_json(t.refresh(token).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Refreshing with `token` is refused as GoTrue refuses it: 400 and
/// exactly this body.
async fn expect_refresh_refused(
    t: &crate::common::TestSim,
    token: &str,
    error_code: &str,
    msg: &str,
) {
    let body = gotrue_error(t.refresh(token).await, 400, error_code).await;
    assert_eq!(
        body,
        json!({ "code": 400, "error_code": error_code, "msg": msg })
    );
}

async fn expect_already_used(t: &crate::common::TestSim, token: &str) {
    expect_refresh_refused(
        t,
        token,
        "refresh_token_already_used",
        "Invalid Refresh Token: Already Used",
    )
    .await;
}

#[tokio::test]
async fn refresh_rotates_the_refresh_token() {
    let t = spawn_sim().await;
    let login = t.login("owner@agency-a.test", "owner-a-pass").await;
    let first = refreshed(&t, &s(&login, "refresh_token")).await;
    assert_ne!(first["refresh_token"], login["refresh_token"]);
    assert_eq!(first["token_type"], "bearer");
    assert_eq!(first["user"]["email"], "owner@agency-a.test");
    let claims = jwt_part(&s(&first, "access_token"), 1);
    let login_claims = jwt_part(&s(&login, "access_token"), 1);
    assert_eq!(claims["session_id"], login_claims["session_id"]);
    let second = refreshed(&t, &s(&first, "refresh_token")).await;
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    // Both the new and the older (unexpired) access token work.
    t.api_json(&s(&second, "access_token"), "/api/me").await;
    t.api_json(&s(&login, "access_token"), "/api/me").await;
    let c = t.sim.counters();
    assert_eq!(
        (c.refreshes, c.refresh_reuses, c.request_count("refresh")),
        (2, 0, 2)
    );
}

#[tokio::test]
async fn reuse_inside_window_returns_the_current_pair() {
    let t = spawn_sim().await;
    let login = t.login("owner@agency-a.test", "owner-a-pass").await;
    let t0 = s(&login, "refresh_token");
    let rotated = refreshed(&t, &t0).await;
    let replay = refreshed(&t, &t0).await;
    assert_eq!(replay["refresh_token"], rotated["refresh_token"]);
    t.api_json(&s(&replay, "access_token"), "/api/me").await;
    // No rotation happened: the current token still rotates normally.
    let next = refreshed(&t, &s(&rotated, "refresh_token")).await;
    assert_ne!(next["refresh_token"], rotated["refresh_token"]);
    let c = t.sim.counters();
    assert_eq!((c.refreshes, c.refresh_reuses), (2, 1));
}

#[tokio::test]
async fn reuse_after_window_revokes_the_whole_family() {
    let t = spawn_sim().await;
    t.sim.set_reuse_window(Duration::ZERO);
    let login = t.login("owner@agency-a.test", "owner-a-pass").await;
    let t0 = s(&login, "refresh_token");
    let rotated = refreshed(&t, &t0).await;
    expect_already_used(&t, &t0).await;
    // Every token of the family is dead now, the current one included…
    expect_already_used(&t, &s(&rotated, "refresh_token")).await;
    // …and so are the session's access tokens, on both services.
    for access in [s(&login, "access_token"), s(&rotated, "access_token")] {
        let (status, body) = status_json(t.api(&access, "/api/me").await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"], "unauthorized");
        assert_eq!(t.user(&access).await.status(), StatusCode::FORBIDDEN);
    }
    // Another session of the same user is untouched.
    let other = t.token_for("owner@agency-a.test").await;
    t.api_json(&other, "/api/me").await;
}

#[tokio::test]
async fn older_rotated_token_revokes_even_inside_window() {
    let t = spawn_sim().await;
    let login = t.login("owner@agency-a.test", "owner-a-pass").await;
    let t0 = s(&login, "refresh_token");
    let t1 = s(&refreshed(&t, &t0).await, "refresh_token");
    refreshed(&t, &t1).await;
    expect_already_used(&t, &t0).await;
}

#[tokio::test]
async fn unknown_refresh_token_is_not_found() {
    let t = spawn_sim().await;
    expect_refresh_refused(
        &t,
        "no-such-token",
        "refresh_token_not_found",
        "Invalid Refresh Token: Refresh Token Not Found",
    )
    .await;
}

#[tokio::test]
async fn refresh_body_errors() {
    let t = spawn_sim().await;
    for (content_type, body, error_code) in [
        (None, "not json", "bad_json"),
        (Some("application/json"), "{}", "validation_failed"),
    ] {
        let mut request = t
            .http
            .post(t.url("/auth/v1/token?grant_type=refresh_token"))
            .header("apikey", DEMO_ANON_KEY)
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        gotrue_error(request.send().await.unwrap(), 400, error_code).await;
    }
}

#[tokio::test]
async fn logout_kills_refresh_and_access_tokens_of_that_session_only() {
    let t = spawn_sim().await;
    let mine = t.login("owner@agency-a.test", "owner-a-pass").await;
    let other = t.login("owner@agency-a.test", "owner-a-pass").await;
    let access = s(&mine, "access_token");
    let r = t.logout(&access).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(r.bytes().await.unwrap().is_empty());

    gotrue_error(
        t.refresh(&s(&mine, "refresh_token")).await,
        400,
        "refresh_token_not_found",
    )
    .await;
    let (status, body) = status_json(t.api(&access, "/api/me").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthorized");
    gotrue_error(t.user(&access).await, 403, "session_not_found").await;
    // A second logout with the dead token is refused like GoTrue does.
    assert_eq!(t.logout(&access).await.status(), StatusCode::FORBIDDEN);

    t.api_json(&s(&other, "access_token"), "/api/me").await;
    refreshed(&t, &s(&other, "refresh_token")).await;
    let c = t.sim.counters();
    assert_eq!((c.logouts, c.request_count("logout")), (1, 2));
}

#[tokio::test]
async fn logout_and_user_need_a_valid_bearer() {
    let t = spawn_sim().await;
    let no_bearer = t
        .http
        .post(t.url("/auth/v1/logout"))
        .header("apikey", DEMO_ANON_KEY)
        .send()
        .await
        .unwrap();
    gotrue_error(no_bearer, 401, "no_authorization").await;
    let body = gotrue_error(t.user("not.a.jwt").await, 403, "bad_jwt").await;
    assert_eq!(body["code"], 403);
}

#[tokio::test]
async fn user_returns_the_user_object() {
    let t = spawn_sim().await;
    let login = t.login("member@agency-a.test", "member-a-pass").await;
    let (status, body) = status_json(t.user(&s(&login, "access_token")).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, login["user"]);
    assert_eq!(body["id"], jwt_part(&s(&login, "access_token"), 1)["sub"]);
}

#[tokio::test]
async fn expired_token_is_bad_jwt_on_user_and_refresh_still_works() {
    let t = spawn_sim().await;
    t.sim.set_token_lifetime(Duration::ZERO);
    let login = t.login("owner@agency-a.test", "owner-a-pass").await;
    assert_eq!(login["expires_in"], 0);
    gotrue_error(t.user(&s(&login, "access_token")).await, 403, "bad_jwt").await;
    t.sim.set_token_lifetime(Duration::from_secs(3600));
    let fresh = refreshed(&t, &s(&login, "refresh_token")).await;
    assert_eq!(
        t.user(&s(&fresh, "access_token")).await.status(),
        StatusCode::OK
    );
}
