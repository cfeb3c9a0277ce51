//! Raw HTTP tests of the session rules of `/mcp`: missing / unknown /
//! malformed / ended / expired ids, sliding idle expiry, bearer identity
//! (stateless service and session binding), `MAX_SESSIONS`, and the
//! single-tenant token. Every answer is also checked never to be a bare 500.

use std::sync::Arc;
use std::time::Duration;

use malgomo_sim::Simulator;
use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::rpc::{SERVER_ERROR, call_tool, initialize_request, ping, post};
use malgomo_tests::{
    Mcp, Options, TestApp, UNBUDGETED, request, simulator_jwt, spawn_app, spawn_app_with, text,
};
use serde_json::json;

const TTL: Duration = Duration::from_secs(60);

/// Initializes `mcp` (with whatever bearer it holds); returns the raw answer
/// and keeps the session id on success.
async fn initialize(mcp: &mut Mcp) -> Answer {
    let answer = post(mcp, &initialize_request("2025-06-18")).await;
    if answer.status == 200 {
        mcp.session = answer.header("mcp-session-id").map(str::to_owned);
        assert!(mcp.session.is_some(), "initialize gave a session id");
    }
    answer
}

fn with_session(app: &TestApp, session: &str) -> Mcp {
    let mut mcp = app.client();
    mcp.session = Some(session.to_owned());
    mcp
}

fn with_bearer(app: &TestApp, bearer: &str) -> Mcp {
    let mut mcp = app.client();
    mcp.bearer = Some(bearer.to_owned());
    mcp
}

async fn app_with_ttl() -> TestApp {
    spawn_app_with(Options {
        env: vec![("SESSION_TTL_MS", TTL.as_millis().to_string())],
        ..Options::default()
    })
    .await
}

fn assert_session_gone(answer: &Answer) {
    assert_eq!(answer.status, 404, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
    assert!(
        answer.body.contains("initialize"),
        "says how to recover: {}",
        answer.body
    );
}

// --- without a bearer: the session is the login --------------------------------

#[tokio::test]
async fn missing_session_id_without_bearer_is_400() {
    let app = spawn_app().await;
    for body in [
        request(7, "ping", json!({})),
        request(7, "tools/list", json!({})),
        json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }),
    ] {
        let answer = post(&app.client(), &body).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        assert_eq!(answer.error_code(), SERVER_ERROR, "{body}");
    }
    let answer = post(&app.client(), &request(7, "ping", json!({}))).await;
    assert_eq!(answer.json()["id"], 7, "the refusal names the request");
}

#[tokio::test]
async fn unknown_session_is_404() {
    let app = spawn_app().await;
    let mcp = with_session(&app, "6f1c1d2e-8a43-4c55-9d7e-2b0a4f1e9c33");
    assert_session_gone(&ping(&mcp).await);
}

#[tokio::test]
async fn malformed_session_id_is_404() {
    let app = spawn_app().await;
    for id in [
        "abc",
        "../../etc/passwd",
        "",
        "00000000-0000-0000-0000-00000000000g",
    ] {
        let answer = ping(&with_session(&app, id)).await;
        assert_eq!(answer.status, 404, "{id:?}: {}", answer.body);
        assert_eq!(answer.error_code(), SERVER_ERROR, "{id:?}");
    }
}

#[tokio::test]
async fn session_ids_are_not_interchangeable_between_deployments() {
    let app = spawn_app().await;
    let other = spawn_app_with(Options {
        env: vec![(
            "SESSION_KEY",
            "another-deployment-key-0123456789abcdef".into(),
        )],
        ..Options::default()
    })
    .await;
    let mut mcp = other.client();
    initialize(&mut mcp).await;
    let stolen = with_session(&app, mcp.session.as_deref().unwrap());
    assert_session_gone(&ping(&stolen).await);
}

#[tokio::test]
async fn deleted_session_is_404() {
    let app = spawn_app().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    let id = mcp.session.clone().unwrap();
    let answer = exchange(mcp.http.delete(app.mcp_url()).header("mcp-session-id", &id)).await;
    assert_eq!(answer.status, 204);
    assert_session_gone(&ping(&mcp).await);
    assert_session_gone(&call_tool(&mcp, "malgomo_get_kpis", json!({})).await);
}

#[tokio::test]
async fn expired_session_is_404() {
    let app = app_with_ttl().await;
    let mcp = app.session().await;
    assert_eq!(ping(&mcp).await.status, 200);
    app.clock.advance(TTL + Duration::from_secs(1));
    assert_session_gone(&ping(&mcp).await);
    let delete = exchange(
        mcp.http
            .delete(app.mcp_url())
            .header("mcp-session-id", mcp.session.as_deref().unwrap()),
    )
    .await;
    assert_eq!(delete.status, 404, "DELETE of an expired session");
}

#[tokio::test]
async fn session_is_alive_just_before_its_ttl() {
    let app = app_with_ttl().await;
    let mcp = app.session().await;
    app.clock.advance(TTL - Duration::from_secs(1));
    assert_eq!(ping(&mcp).await.status, 200);
}

#[tokio::test]
async fn deleted_anonymous_session_is_404() {
    let app = spawn_app().await;
    let mcp = app.session().await;
    let id = mcp.session.clone().unwrap();
    let answer = exchange(mcp.http.delete(app.mcp_url()).header("mcp-session-id", &id)).await;
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert_session_gone(&ping(&mcp).await);
    let again = exchange(mcp.http.delete(app.mcp_url()).header("mcp-session-id", &id)).await;
    assert_eq!(again.status, 404, "a second DELETE");
}

/// A session that stores nothing cannot slide: it lives one TTL from its
/// initialize, used or not.
#[tokio::test]
async fn a_session_without_login_lives_one_ttl_from_initialize() {
    let app = app_with_ttl().await;
    let mcp = app.session().await;
    app.clock.advance(Duration::from_secs(45));
    assert_eq!(ping(&mcp).await.status, 200);
    app.clock.advance(Duration::from_secs(16));
    assert_session_gone(&ping(&mcp).await);
}

#[tokio::test]
async fn activity_slides_the_session_expiry_past_the_original_deadline() {
    let app = app_with_ttl().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    // 45 s in: used, so the idle deadline moves to 45 + 60 s.
    app.clock.advance(Duration::from_secs(45));
    assert_eq!(ping(&mcp).await.status, 200);
    // 90 s in: past the original 60 s deadline, still alive.
    app.clock.advance(Duration::from_secs(45));
    assert_eq!(
        ping(&mcp).await.status,
        200,
        "alive past its first deadline"
    );
    // …and keeps sliding while used.
    app.clock.advance(Duration::from_secs(45));
    assert_eq!(ping(&mcp).await.status, 200);
    // Idle for longer than the TTL: gone.
    app.clock.advance(TTL + Duration::from_secs(1));
    assert_session_gone(&ping(&mcp).await);
}

#[tokio::test]
async fn login_survives_as_long_as_the_session_is_used() {
    let app = app_with_ttl().await;
    let mcp = app.logged_in("owner@agency-a.test").await;
    for _ in 0..3 {
        app.clock.advance(Duration::from_secs(50));
        let answer = call_tool(&mcp, "malgomo_status", json!({})).await;
        let result = answer.result();
        assert_eq!(result["structuredContent"]["logged_in"], true, "{result}");
        assert_eq!(result["structuredContent"]["via"], "login");
    }
}

// --- with a bearer: the identity is in the token ------------------------------------

#[tokio::test]
async fn bearer_without_session_is_served_statelessly() {
    let app = spawn_app().await;
    let mcp = with_bearer(&app, "opaque-token-a");
    let tools = post(&mcp, &request(1, "tools/list", json!({})))
        .await
        .result();
    assert_eq!(tools["tools"].as_array().map(Vec::len), Some(6));
    assert_eq!(ping(&mcp).await.result(), json!({}));
    // The backend does not know the token: status does not vouch for it.
    let status = call_tool(&mcp, "malgomo_status", json!({})).await.result();
    assert_eq!(status["structuredContent"]["via"], "bearer", "{status}");
    assert_eq!(status["structuredContent"]["logged_in"], false, "{status}");
}

#[tokio::test]
async fn bearer_with_unknown_session_id_is_served() {
    let app = spawn_app().await;
    let mut mcp = with_bearer(&app, "opaque-token-a");
    for id in ["6f1c1d2e-8a43-4c55-9d7e-2b0a4f1e9c33", "not-a-uuid"] {
        mcp.session = Some(id.to_owned());
        let status = call_tool(&mcp, "malgomo_status", json!({})).await.result();
        assert_eq!(
            status["structuredContent"]["via"], "bearer",
            "{id}: {status}"
        );
    }
}

#[tokio::test]
async fn bearer_with_expired_session_is_served() {
    let app = app_with_ttl().await;
    let mut mcp = with_bearer(&app, "opaque-token-a");
    initialize(&mut mcp).await;
    app.clock.advance(TTL + Duration::from_secs(1));
    assert_eq!(ping(&mcp).await.result(), json!({}));
}

#[tokio::test]
async fn bearer_session_keeps_working_with_the_same_bearer() {
    let app = spawn_app().await;
    let mut mcp = with_bearer(&app, "opaque-token-a");
    assert_eq!(initialize(&mut mcp).await.status, 200);
    assert_eq!(ping(&mcp).await.result(), json!({}));
    let answer = exchange(
        mcp.http
            .delete(app.mcp_url())
            .bearer_auth("opaque-token-a")
            .header("mcp-session-id", mcp.session.as_deref().unwrap()),
    )
    .await;
    assert_eq!(answer.status, 204, "{}", answer.body);
}

#[tokio::test]
async fn session_of_bearer_a_used_with_bearer_b_is_404() {
    let app = spawn_app().await;
    let mut owner = with_bearer(&app, "opaque-token-a");
    initialize(&mut owner).await;
    let mut intruder = with_bearer(&app, "opaque-token-b");
    intruder.session = owner.session.clone();
    assert_session_gone(&ping(&intruder).await);
    // Nor can B end it.
    let answer = exchange(
        intruder
            .http
            .delete(app.mcp_url())
            .bearer_auth("opaque-token-b")
            .header("mcp-session-id", owner.session.as_deref().unwrap()),
    )
    .await;
    assert_eq!(answer.status, 404, "{}", answer.body);
    assert_eq!(ping(&owner).await.status, 200, "A's session is intact");
}

#[tokio::test]
async fn anonymous_session_used_with_a_bearer_is_404() {
    let app = spawn_app().await;
    let anonymous = app.logged_in("owner@agency-a.test").await;
    let mut intruder = with_bearer(&app, "opaque-token-b");
    intruder.session = anonymous.session.clone();
    assert_session_gone(&ping(&intruder).await);
    assert_session_gone(&call_tool(&intruder, "malgomo_status", json!({})).await);
    assert_eq!(
        ping(&anonymous).await.status,
        200,
        "the owner's session is intact"
    );
}

#[tokio::test]
async fn bearer_session_used_without_the_bearer_is_404() {
    let app = spawn_app().await;
    let mut owner = with_bearer(&app, "opaque-token-a");
    initialize(&mut owner).await;
    let anonymous = with_session(&app, owner.session.as_deref().unwrap());
    assert_session_gone(&ping(&anonymous).await);
}

#[tokio::test]
async fn simulator_jwt_as_bearer_reads_kpis_without_login() {
    let app = spawn_app().await;
    let token = simulator_jwt(&app.sim, "owner@agency-a.test").await;
    // Stateless: no session at all.
    let mcp = with_bearer(&app, &token);
    let result = call_tool(&mcp, "malgomo_get_kpis", json!({}))
        .await
        .result();
    assert_eq!(result["isError"], false, "{result}");
    assert!(result["structuredContent"].is_object(), "{result}");
    let status = call_tool(&mcp, "malgomo_status", json!({})).await.result();
    assert_eq!(status["structuredContent"]["via"], "bearer");
    assert_eq!(
        status["structuredContent"]["email"], "owner@agency-a.test",
        "{status}"
    );
    // And inside a session created with that bearer.
    let mut mcp = with_bearer(&app, &token);
    initialize(&mut mcp).await;
    let result = call_tool(&mcp, "malgomo_get_fans", json!({ "period": "7d" }))
        .await
        .result();
    assert_eq!(result["isError"], false, "{result}");
}

#[tokio::test]
async fn bearer_session_is_bound_to_the_exact_token_not_its_sub() {
    // The `sub` of a JWT is unverified here (only the backend checks the
    // signature), so a session follows the whole token: a new token, even
    // of the same user, starts a new session.
    let app = spawn_app().await;
    let first = simulator_jwt(&app.sim, "owner@agency-a.test").await;
    let mut mcp = with_bearer(&app, &first);
    initialize(&mut mcp).await;
    assert_eq!(ping(&mcp).await.status, 200);
    let second = simulator_jwt(&app.sim, "owner@agency-a.test").await;
    assert_ne!(first, second);
    mcp.bearer = Some(second);
    assert_session_gone(&ping(&mcp).await);
    mcp.bearer = Some(simulator_jwt(&app.sim, "owner@agency-b.test").await);
    assert_session_gone(&ping(&mcp).await);
}

#[tokio::test]
async fn refused_bearer_is_a_tool_error_not_a_transport_error() {
    let app = spawn_app().await;
    let mcp = with_bearer(&app, "not-a-valid-token");
    let result = call_tool(&mcp, "malgomo_get_kpis", json!({}))
        .await
        .result();
    assert_eq!(result["isError"], true, "{result}");
    assert!(text(&result).contains("bearer"), "{}", text(&result));
}

// --- MAX_SESSIONS ----------------------------------------------------------------------

async fn app_with_two_sessions_max() -> TestApp {
    spawn_app_with(Options {
        env: vec![
            ("MAX_SESSIONS", "2".to_owned()),
            ("SESSION_TTL_MS", TTL.as_millis().to_string()),
        ],
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn anonymous_initializes_are_never_refused_for_room() {
    let app = app_with_two_sessions_max().await;
    let first = app.logged_in("owner@agency-a.test").await;
    let mut others = Vec::new();
    for _ in 0..10 {
        let mut mcp = app.client();
        assert_eq!(initialize(&mut mcp).await.status, 200);
        others.push(mcp);
    }
    for mcp in &others {
        assert_eq!(ping(mcp).await.status, 200);
    }
    let kpis = call_tool(&first, "malgomo_get_kpis", json!({}))
        .await
        .result();
    assert_eq!(kpis["isError"], false, "{kpis}");
}

/// `MAX_SESSIONS=20` in memory: one user holds at most 2 of them.
async fn app_with_two_sessions_per_user() -> TestApp {
    spawn_app_with(Options {
        env: vec![("MAX_SESSIONS", "20".to_owned())],
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn a_login_beyond_max_sessions_ends_the_users_oldest_session() {
    let app = app_with_two_sessions_per_user().await;
    let oldest = app.logged_in("owner@agency-a.test").await;
    app.clock.advance(Duration::from_secs(1));
    let middle = app.logged_in("owner@agency-a.test").await;
    app.clock.advance(Duration::from_secs(1));
    let newest = app.logged_in("owner@agency-a.test").await;
    assert_session_gone(&ping(&oldest).await);
    for mcp in [&middle, &newest] {
        let kpis = call_tool(mcp, "malgomo_get_kpis", json!({})).await.result();
        assert_eq!(kpis["isError"], false, "{kpis}");
    }
    // Logging in again on a session already counted ends nobody.
    let again = middle.login("owner@agency-a.test").await;
    assert_eq!(again["isError"], false, "{again}");
    assert_eq!(ping(&newest).await.status, 200);
}

/// The memory store also caps the process: at most MAX_SESSIONS stored
/// (logged-in) sessions, across users; anonymous sessions store nothing.
#[tokio::test]
async fn memory_store_refuses_a_login_beyond_its_cap() {
    let app = app_with_two_sessions_max().await;
    let _a = app.logged_in("owner@agency-a.test").await;
    let _b = app.logged_in("admin@agency-a.test").await;
    let third = app.session().await;
    let asked = app.sim.counters().request_count("password");
    let refused = third.login("owner@agency-b.test").await;
    assert_eq!(refused["isError"], true, "{refused}");
    assert!(
        text(&refused).contains("maximum of 2"),
        "{}",
        text(&refused)
    );
    assert!(text(&refused).contains("not checked"), "{}", text(&refused));
    assert_eq!(
        app.sim.counters().request_count("password"),
        asked,
        "refused before the backend was asked"
    );
    // Idle expiry frees room.
    app.clock.advance(TTL + Duration::from_secs(1));
    let later = app.logged_in("owner@agency-b.test").await;
    assert_eq!(ping(&later).await.status, 200);
}

/// One account cannot fill the memory store: it holds at most a tenth of
/// `MAX_SESSIONS`, its oldest ending as it logs in again.
#[tokio::test]
async fn one_account_logging_in_again_and_again_leaves_room_for_others() {
    let app = spawn_app_with(Options {
        env: vec![
            ("MAX_SESSIONS", "50".to_owned()),
            (UNBUDGETED.0, UNBUDGETED.1.to_owned()),
        ],
        ..Options::default()
    })
    .await;
    let mut member = Vec::new();
    for n in 0..50u8 {
        let mut mcp = app.client_from([127, 0, 0, 10 + n % 4]);
        assert_eq!(initialize(&mut mcp).await.status, 200);
        let result = mcp.login("member@agency-a.test").await;
        assert_eq!(result["isError"], false, "login {n}: {result}");
        member.push(mcp);
    }
    let live = {
        let mut live = 0;
        for mcp in &member {
            if ping(mcp).await.status == 200 {
                live += 1;
            }
        }
        live
    };
    assert_eq!(live, 5, "one account holds a tenth of MAX_SESSIONS");
    let owner = app.logged_in("owner@agency-b.test").await;
    let kpis = call_tool(&owner, "malgomo_get_kpis", json!({}))
        .await
        .result();
    assert_eq!(kpis["isError"], false, "{kpis}");
}

// --- single tenant -----------------------------------------------------------------------

async fn app_with_api_token(single_tenant: Option<&str>) -> TestApp {
    let sim = Arc::new(Simulator::start(0).await.expect("simulator starts"));
    let token = simulator_jwt(&sim, "owner@agency-a.test").await;
    let mut env = vec![("MALGOMO_API_TOKEN", token)];
    if let Some(flag) = single_tenant {
        env.push(("MALGOMO_SINGLE_TENANT", flag.to_owned()));
    }
    spawn_app_with(Options {
        env,
        sim: Some(sim),
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn single_tenant_token_serves_anonymous_sessions_without_login() {
    let app = app_with_api_token(Some("true")).await;
    let mcp = app.session().await;
    let result = call_tool(&mcp, "malgomo_get_kpis", json!({ "period": "30d" }))
        .await
        .result();
    assert_eq!(result["isError"], false, "{result}");
    assert!(result["structuredContent"].is_object());
    let status = call_tool(&mcp, "malgomo_status", json!({})).await.result();
    assert_eq!(
        status["structuredContent"]["via"], "single_tenant",
        "{status}"
    );
}

#[tokio::test]
async fn api_token_without_single_tenant_flag_is_not_logged_in() {
    for flag in [None, Some("false")] {
        let app = app_with_api_token(flag).await;
        let mcp = app.session().await;
        let result = call_tool(&mcp, "malgomo_get_kpis", json!({}))
            .await
            .result();
        assert_eq!(result["isError"], true, "{flag:?}: {result}");
        assert!(
            text(&result).starts_with("not logged in"),
            "{flag:?}: {}",
            text(&result)
        );
        let status = call_tool(&mcp, "malgomo_status", json!({})).await.result();
        assert_eq!(status["structuredContent"]["logged_in"], false, "{status}");
    }
}

#[tokio::test]
async fn single_tenant_still_needs_a_session_without_bearer() {
    let app = app_with_api_token(Some("true")).await;
    let answer = call_tool(&app.client(), "malgomo_get_kpis", json!({})).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.error_code(), SERVER_ERROR);
}
