//! Password grant: success shape, JWT claims, every error code, apikey, rate limit.

use crate::common::{jwt_part, spawn_sim, status_json};
use malgomo_sim::accounts::{self, DEMO_ANON_KEY};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn expect_auth_error(r: reqwest::Response, status: u16, error_code: &str, msg: &str) {
    let (got, body) = status_json(r).await;
    assert_eq!(got.as_u16(), status, "{body}");
    assert_eq!(
        body,
        json!({"code": status, "error_code": error_code, "msg": msg})
    );
}

#[tokio::test]
async fn success_body_has_the_contract_shape() {
    let t = spawn_sim().await;
    let body = t.login("owner@agency-a.test", "owner-a-pass").await;
    let mut keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_at",
            "expires_in",
            "refresh_token",
            "token_type",
            "user"
        ]
    );
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3600);
    let user = &body["user"];
    assert_eq!(
        user["id"],
        accounts::user_id("owner@agency-a.test").to_string()
    );
    assert_eq!(user["aud"], "authenticated");
    assert_eq!(user["role"], "authenticated");
    assert_eq!(user["email"], "owner@agency-a.test");
    assert_eq!(
        user["app_metadata"],
        json!({"provider": "email", "providers": ["email"]})
    );
    assert_eq!(user["user_metadata"], json!({}));
    assert!(user["created_at"].is_string() && user["updated_at"].is_string());
    assert_eq!(user["is_anonymous"], false);
    assert!(!body["refresh_token"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn access_token_is_an_hs256_jwt_with_supabase_claims() {
    let t = spawn_sim().await;
    let body = t.login("admin@agency-a.test", "admin-a-pass").await;
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(jwt_part(token, 0), json!({"alg": "HS256", "typ": "JWT"}));
    let claims = jwt_part(token, 1);
    assert_eq!(claims["iss"], format!("{}/auth/v1", t.sim.base_url()));
    assert_eq!(
        claims["sub"],
        accounts::user_id("admin@agency-a.test").to_string()
    );
    assert_eq!(claims["aud"], "authenticated");
    assert_eq!(claims["email"], "admin@agency-a.test");
    assert_eq!(claims["role"], "authenticated");
    assert_eq!(claims["aal"], "aal1");
    assert_eq!(claims["is_anonymous"], false);
    assert!(uuid::Uuid::parse_str(claims["session_id"].as_str().unwrap()).is_ok());
    let (iat, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert_eq!(exp - iat, 3600);
    assert_eq!(body["expires_at"], exp);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(iat.abs_diff(now) <= 5);
}

#[tokio::test]
async fn each_login_gets_its_own_session() {
    let t = spawn_sim().await;
    let a = t.login("owner@agency-a.test", "owner-a-pass").await;
    let b = t.login("owner@agency-a.test", "owner-a-pass").await;
    let sid = |v: &Value| jwt_part(v["access_token"].as_str().unwrap(), 1)["session_id"].clone();
    assert_ne!(sid(&a), sid(&b));
    assert_ne!(a["refresh_token"], b["refresh_token"]);
}

#[tokio::test]
async fn token_lifetime_knob_applies_to_new_tokens() {
    let t = spawn_sim().await;
    t.sim.set_token_lifetime(std::time::Duration::from_secs(5));
    let body = t.login("owner@agency-a.test", "owner-a-pass").await;
    assert_eq!(body["expires_in"], 5);
    let claims = jwt_part(body["access_token"].as_str().unwrap(), 1);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        5
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_email_are_invalid_credentials() {
    let t = spawn_sim().await;
    for (email, password) in [
        ("owner@agency-a.test", "wrong"),
        ("nobody@agency-a.test", "owner-a-pass"),
        ("unconfirmed@agency-a.test", "wrong"),
    ] {
        let r = t.password_grant(email, password).await;
        expect_auth_error(r, 400, "invalid_credentials", "Invalid login credentials").await;
    }
    let c = t.sim.counters();
    assert_eq!((c.logins, c.failed_logins), (0, 3));
    assert_eq!(c.request_count("password"), 3);
}

#[tokio::test]
async fn unconfirmed_email_with_right_password() {
    let t = spawn_sim().await;
    let r = t
        .password_grant("unconfirmed@agency-a.test", "unconfirmed-pass")
        .await;
    expect_auth_error(r, 400, "email_not_confirmed", "Email not confirmed").await;
}

#[tokio::test]
async fn email_is_case_insensitive() {
    let t = spawn_sim().await;
    let body = t.login("Owner@Agency-A.test", "owner-a-pass").await;
    assert_eq!(body["user"]["email"], "owner@agency-a.test");
}

#[tokio::test]
async fn missing_fields_are_validation_failed() {
    let t = spawn_sim().await;
    for body in [
        json!({"password": "owner-a-pass"}),
        json!({"email": "owner@agency-a.test"}),
        json!({"email": "", "password": ""}),
        json!({}),
    ] {
        let r = t
            .http
            .post(t.url("/auth/v1/token?grant_type=password"))
            .header("apikey", DEMO_ANON_KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_auth_error(r, 400, "validation_failed", "missing email or phone").await;
    }
}

#[tokio::test]
async fn non_json_body_is_bad_json() {
    let t = spawn_sim().await;
    for raw in [
        "email=a&password=b",
        "",
        "{\"email\":",
        "[1,2]",
        "{\"email\":5}",
    ] {
        let r = t
            .http
            .post(t.url("/auth/v1/token?grant_type=password"))
            .header("apikey", DEMO_ANON_KEY)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        expect_auth_error(r, 400, "bad_json", "Could not parse request body as JSON").await;
    }
}

#[tokio::test]
async fn missing_or_empty_apikey_is_401_on_every_auth_endpoint() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    let requests = [
        t.http
            .post(t.url("/auth/v1/token?grant_type=password"))
            .json(&json!({"email": "owner@agency-a.test", "password": "owner-a-pass"})),
        t.http
            .post(t.url("/auth/v1/token?grant_type=refresh_token"))
            .json(&json!({"refresh_token": "x"})),
        t.http.post(t.url("/auth/v1/logout")).bearer_auth(&token),
        t.http.get(t.url("/auth/v1/user")).bearer_auth(&token),
        t.http
            .get(t.url("/auth/v1/user"))
            .header("apikey", " ")
            .bearer_auth(&token),
    ];
    for request in requests {
        let (status, body) = status_json(request.send().await.unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body, json!({"message": "No API key found in request"}));
    }
    // The logout above was refused, so the token still works.
    assert_eq!(t.user(&token).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_grant_type_is_refused() {
    let t = spawn_sim().await;
    let r = t
        .http
        .post(t.url("/auth/v1/token?grant_type=magic"))
        .header("apikey", DEMO_ANON_KEY)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn rate_limit_per_ip_bucket() {
    let t = spawn_sim().await;
    t.sim.set_rate_limit(3);
    for _ in 0..3 {
        let r = t.password_grant("owner@agency-a.test", "wrong").await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
    // Same IP, another email: the IP bucket is full.
    let r = t
        .password_grant("owner@agency-b.test", "owner-b-pass")
        .await;
    let retry_after: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    expect_auth_error(
        r,
        429,
        "over_request_rate_limit",
        "Request rate limit reached",
    )
    .await;
    let c = t.sim.counters();
    assert_eq!((c.logins, c.failed_logins), (0, 4));
}

#[tokio::test]
async fn rate_limit_per_email_bucket_across_ips() {
    let t = spawn_sim().await;
    t.sim.set_rate_limit(2);
    let from = |ip: [u8; 4]| {
        reqwest::Client::builder()
            .local_address(std::net::IpAddr::from(ip))
            .build()
            .unwrap()
    };
    let (first, second) = (from([127, 0, 0, 1]), from([127, 0, 0, 2]));
    let grant = |client: &reqwest::Client, email: &str, password: &str| {
        client
            .post(t.url("/auth/v1/token?grant_type=password"))
            .header("apikey", DEMO_ANON_KEY)
            .json(&json!({"email": email, "password": password}))
            .send()
    };
    for _ in 0..2 {
        let r = grant(&first, "owner@agency-a.test", "owner-a-pass")
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    // A fresh IP, but the email bucket is full.
    let r = grant(&second, "owner@agency-a.test", "owner-a-pass")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // The fresh IP with another email is fine.
    let r = grant(&second, "owner@agency-b.test", "owner-b-pass")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn default_rate_limit_allows_sixty_per_minute() {
    let t = spawn_sim().await;
    for _ in 0..60 {
        let r = t
            .password_grant("member@agency-a.test", "member-a-pass")
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let r = t
        .password_grant("member@agency-a.test", "member-a-pass")
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(t.sim.counters().logins, 60);
}
