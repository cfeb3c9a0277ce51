//! MalGomo API: `/api/me`, roles, agency scoping, periods, token checks, internal fields.

use crate::common::{CATEGORIES, spawn_sim, status_json, without_stamps};
use malgomo_sim::accounts::{self, AGENCY_A, AGENCY_B};
use malgomo_sim::data::{self, Period};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

const DASHBOARD: [&str; 3] = ["kpis", "fans", "earnings"];

#[tokio::test]
async fn me_answers_every_role() {
    let t = spawn_sim().await;
    for account in accounts::ACCOUNTS.iter().filter(|a| a.confirmed) {
        let token = t.token_for(account.email).await;
        let me = t.api_json(&token, "/api/me").await;
        assert_eq!(
            me,
            json!({
                "user_id": account.user_id().to_string(),
                "email": account.email,
                "agency_id": account.agency_id,
                "agency_name": account.agency_name,
                "role": account.role.as_str(),
            })
        );
    }
}

#[tokio::test]
async fn member_is_forbidden_on_dashboard() {
    let t = spawn_sim().await;
    let token = t.token_for("member@agency-a.test").await;
    for endpoint in DASHBOARD {
        let (status, body) = status_json(
            t.api(&token, &format!("/api/dashboard/{endpoint}?period=today"))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            body,
            json!({"error": "forbidden", "message": "owner or admin role required"})
        );
    }
}

#[tokio::test]
async fn owner_and_admin_see_their_agency_data() {
    let t = spawn_sim().await;
    let owner = t.token_for("owner@agency-a.test").await;
    let admin = t.token_for("admin@agency-a.test").await;
    for endpoint in DASHBOARD {
        let path = format!("/api/dashboard/{endpoint}?period=7d");
        let a = without_stamps(t.api_json(&owner, &path).await);
        let b = without_stamps(t.api_json(&admin, &path).await);
        assert_eq!(a, b, "{endpoint}");
    }
}

#[tokio::test]
async fn answers_equal_the_data_functions() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-b.test").await;
    let today = data::today_utc();
    for period in Period::ALL {
        let q = format!("?period={}", period.as_str());
        let kpis = t.api_json(&token, &format!("/api/dashboard/kpis{q}")).await;
        let fans = t.api_json(&token, &format!("/api/dashboard/fans{q}")).await;
        let earnings = t
            .api_json(&token, &format!("/api/dashboard/earnings{q}"))
            .await;
        assert_eq!(
            without_stamps(kpis),
            without_stamps(data::kpis(AGENCY_B, period, today))
        );
        assert_eq!(
            without_stamps(fans),
            without_stamps(data::fans(AGENCY_B, period, today))
        );
        assert_eq!(
            without_stamps(earnings),
            without_stamps(data::earnings(AGENCY_B, period, today))
        );
    }
}

fn profile_names(answer: &Value) -> Vec<String> {
    answer["per_creator"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["profile_name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn agencies_are_scoped_by_token() {
    let t = spawn_sim().await;
    let a = t.token_for("owner@agency-a.test").await;
    let b = t.token_for("owner@agency-b.test").await;
    let names_a: Vec<_> = data::creators(AGENCY_A)
        .iter()
        .map(|c| c.profile_name.to_string())
        .collect();
    let names_b: Vec<_> = data::creators(AGENCY_B)
        .iter()
        .map(|c| c.profile_name.to_string())
        .collect();
    for endpoint in DASHBOARD {
        let path = format!("/api/dashboard/{endpoint}?period=30d");
        let from_a = t.api_json(&a, &path).await;
        let from_b = t.api_json(&b, &path).await;
        assert_eq!(profile_names(&from_a), names_a);
        assert_eq!(profile_names(&from_b), names_b);
        assert_ne!(without_stamps(from_a), without_stamps(from_b));
    }
    let kpis_b = t.api_json(&b, "/api/dashboard/kpis").await;
    assert_eq!(kpis_b["creator_count"], 3);
    // No query parameter can pull another agency's data.
    let sneaky = t
        .api_json(
            &b,
            "/api/dashboard/earnings?period=today&agency_id=agency-a",
        )
        .await;
    for tx in sneaky["transactions"].as_array().unwrap() {
        assert!(names_b.contains(&tx["profile_name"].as_str().unwrap().to_string()));
    }
}

#[tokio::test]
async fn missing_period_means_today_and_bad_period_is_400() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    for endpoint in DASHBOARD {
        let bare = t
            .api_json(&token, &format!("/api/dashboard/{endpoint}"))
            .await;
        let today = t
            .api_json(&token, &format!("/api/dashboard/{endpoint}?period=today"))
            .await;
        assert_eq!(without_stamps(bare), without_stamps(today));
        for bad in ["week", "TODAY", "", "90d", "7d%20"] {
            let (status, body) = status_json(
                t.api(&token, &format!("/api/dashboard/{endpoint}?period={bad}"))
                    .await,
            )
            .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(
                body,
                json!({"error": "invalid_period",
                       "message": "period must be one of today, yesterday, 7d, 30d"})
            );
        }
    }
}

#[tokio::test]
async fn api_refuses_missing_invalid_and_expired_tokens() {
    let t = spawn_sim().await;
    let no_token = t.http.get(t.url("/api/me")).send().await.unwrap();
    let (status, body) = status_json(no_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthorized");

    let (status, body) = status_json(t.api("garbage", "/api/dashboard/kpis").await).await;
    assert_eq!(
        (status.as_u16(), body["error"].clone()),
        (401, json!("unauthorized"))
    );

    // A token signed by another simulator is not ours.
    let other = spawn_sim().await;
    let foreign = other.token_for("owner@agency-a.test").await;
    let (status, _) = status_json(t.api(&foreign, "/api/me").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    t.sim.set_token_lifetime(Duration::ZERO);
    let expired = t.token_for("owner@agency-a.test").await;
    for path in ["/api/me", "/api/dashboard/kpis?period=today"] {
        let (status, body) = status_json(t.api(&expired, path).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body,
            json!({"error": "unauthorized", "message": "token expired"})
        );
    }
}

#[tokio::test]
async fn dashboard_answers_carry_internal_fields() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    for endpoint in DASHBOARD {
        let v = t
            .api_json(&token, &format!("/api/dashboard/{endpoint}?period=7d"))
            .await;
        assert!(v["_debug"].is_object(), "{endpoint}");
        assert!(v["source_rows"].is_u64(), "{endpoint}");
        assert!(v["cache_key"].is_string(), "{endpoint}");
        for c in v["per_creator"].as_array().unwrap() {
            assert!(c["creator_id"].is_string() && c["_rank"].is_u64());
        }
    }
    let earnings = t
        .api_json(&token, "/api/dashboard/earnings?period=today")
        .await;
    for tx in earnings["transactions"].as_array().unwrap() {
        assert!(tx["tx_id"].is_string() && tx["_source"].is_string());
    }
}

#[tokio::test]
async fn documented_fields_have_the_contract_types() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    let k = t.api_json(&token, "/api/dashboard/kpis?period=7d").await;
    assert!(k["hero_net_eur"].is_f64());
    assert_eq!(k["currency"], "EUR");
    assert!(k["mobile_period"].is_string() && k["kpi_period"].is_string());
    for cat in CATEGORIES {
        assert!(k["revenue_by_category_eur"][cat].is_number(), "{cat}");
    }
    let hours: Vec<u64> = k["hourly_revenue_current"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["hour"].as_u64().unwrap())
        .collect();
    assert_eq!(hours, (0..24).collect::<Vec<u64>>());
    for d in k["daily_revenue_current"].as_array().unwrap() {
        let at = d["at"].as_str().unwrap();
        assert!(
            time::Date::parse(
                at,
                time::macros::format_description!("[year]-[month]-[day]")
            )
            .is_ok()
        );
        assert!(d["net_eur"].is_number());
    }
    assert!(k["creator_count"].is_u64());
    let rfc3339 = &time::format_description::well_known::Rfc3339;
    assert!(time::OffsetDateTime::parse(k["latest_fetched_at"].as_str().unwrap(), rfc3339).is_ok());

    let f = t.api_json(&token, "/api/dashboard/fans?period=7d").await;
    assert_eq!(f["period"], "7d");
    for key in ["free", "sub", "total"] {
        assert!(f["totals"][key].is_u64() && f["new_in_period"][key].is_u64());
    }
    assert!(f["new_today_total"].is_u64());
    assert!(time::OffsetDateTime::parse(f["generated_at"].as_str().unwrap(), rfc3339).is_ok());

    let e = t
        .api_json(&token, "/api/dashboard/earnings?period=7d")
        .await;
    assert_eq!(e["currency"], "EUR");
    let kinds = [
        "subscription",
        "tip",
        "message",
        "post",
        "stream",
        "referral",
    ];
    for tx in e["transactions"].as_array().unwrap() {
        assert!(kinds.contains(&tx["kind"].as_str().unwrap()));
        assert!(tx["title"].is_string() && tx["fan"].is_string() && tx["profile_name"].is_string());
        assert!(tx["net"].is_number() && tx["gross"].is_number());
        assert!(time::OffsetDateTime::parse(tx["at"].as_str().unwrap(), rfc3339).is_ok());
    }
    for key in ["gross", "net", "fee"] {
        assert!(e["month"][key].is_number());
    }
}

#[tokio::test]
async fn transactions_are_not_sorted_by_time() {
    let t = spawn_sim().await;
    let token = t.token_for("owner@agency-a.test").await;
    let e = t
        .api_json(&token, "/api/dashboard/earnings?period=today")
        .await;
    let at: Vec<&str> = e["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tx| tx["at"].as_str().unwrap())
        .collect();
    let mut sorted = at.clone();
    sorted.sort_unstable();
    let mut reversed = sorted.clone();
    reversed.reverse();
    assert!(at != sorted && at != reversed);
}
