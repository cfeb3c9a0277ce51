//! The backend answers with internal fields; the typed answers keep exactly
//! the documented ones, and a missing or mistyped field is a `Malformed`
//! error that names it.

use std::collections::BTreeSet;

use malgomo::domain::{Period, Secret};
use malgomo::upstream::dashboard::{Earnings, Fans, Kpis};
use malgomo::upstream::{ApiClient, UpstreamError, build_client};
use malgomo_sim::accounts::AGENCY_A;
use malgomo_sim::data;
use serde_json::Value;

use crate::helpers::{Canned, OWNER_A, TestUpstream, settings};

/// Internal fields the simulated backend adds (see `malgomo_sim::data`).
const INTERNAL: [&str; 12] = [
    "_debug",
    "source_rows",
    "cache_key",
    "creator_id",
    "_rank",
    "tx_id",
    "_source",
    "_uncategorized",
    "_tx_count",
    "_rows",
    "_as_of",
    "_src",
];

/// Every object key anywhere in `value`.
fn all_keys(value: &Value) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                keys.extend(map.keys().cloned());
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    keys
}

fn keys_of(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("{value} is an object"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<const N: usize>(keys: [&'static str; N]) -> BTreeSet<&'static str> {
    keys.into()
}

fn assert_no_internal_field(json: &Value, what: &str) {
    let keys = all_keys(json);
    for internal in INTERNAL {
        assert!(!keys.contains(internal), "{what} kept {internal}: {json}");
    }
    assert!(
        keys.iter().all(|k| !k.starts_with('_')),
        "{what} kept an underscore field: {keys:?}"
    );
}

#[test]
fn the_raw_backend_answers_do_carry_internal_fields() {
    // Guards the projection tests below: they would pass vacuously otherwise.
    let today = data::today_utc();
    let p = data::Period::Week;
    let raw = [
        data::kpis(AGENCY_A, p, today),
        data::fans(AGENCY_A, p, today),
        data::earnings(AGENCY_A, p, today),
    ];
    let keys: BTreeSet<String> = raw.iter().flat_map(all_keys).collect();
    for internal in INTERNAL {
        assert!(keys.contains(internal), "the dataset has no {internal}");
    }
}

#[tokio::test]
async fn kpis_keep_exactly_the_documented_fields() {
    let t = TestUpstream::spawn().await;
    let token = t.login(OWNER_A).await.tokens.access_token;
    let kpis = t
        .upstream
        .api
        .dashboard::<Kpis>(&token, Period::Week)
        .await
        .expect("kpis");
    let json = serde_json::to_value(&kpis).expect("serialises");
    assert_no_internal_field(&json, "kpis");
    assert_eq!(
        keys_of(&json),
        set([
            "hero_net_eur",
            "currency",
            "mobile_period",
            "kpi_period",
            "revenue_by_category_eur",
            "hourly_revenue_current",
            "daily_revenue_current",
            "creator_count",
            "per_creator",
            "latest_fetched_at",
        ])
    );
    assert_eq!(
        keys_of(&json["revenue_by_category_eur"]),
        set([
            "subscriptions",
            "tips",
            "messages",
            "posts",
            "streams",
            "referrals"
        ])
    );
    assert_eq!(
        keys_of(&json["hourly_revenue_current"][0]),
        set(["hour", "net_eur"])
    );
    assert_eq!(
        keys_of(&json["daily_revenue_current"][0]),
        set(["at", "net_eur"])
    );
    assert_eq!(
        keys_of(&json["per_creator"][0]),
        set(["profile_name", "net_eur"])
    );
    assert_eq!(kpis.currency, "EUR");
    let latest = time::OffsetDateTime::parse(
        &kpis.latest_fetched_at,
        &time::format_description::well_known::Rfc3339,
    );
    assert!(latest.is_ok(), "{}", kpis.latest_fetched_at);
}

#[tokio::test]
async fn fans_keep_exactly_the_documented_fields() {
    let t = TestUpstream::spawn().await;
    let token = t.login(OWNER_A).await.tokens.access_token;
    let fans = t
        .upstream
        .api
        .dashboard::<Fans>(&token, Period::Week)
        .await
        .expect("fans");
    let json = serde_json::to_value(&fans).expect("serialises");
    assert_no_internal_field(&json, "fans");
    assert_eq!(
        keys_of(&json),
        set([
            "period",
            "totals",
            "new_today_total",
            "new_in_period",
            "daily_new",
            "per_creator",
            "generated_at",
        ])
    );
    let counts = set(["free", "sub", "total"]);
    assert_eq!(keys_of(&json["totals"]), counts);
    assert_eq!(keys_of(&json["new_in_period"]), counts);
    assert_eq!(
        keys_of(&json["daily_new"][0]),
        set(["at", "new_free", "new_sub"])
    );
    assert_eq!(
        keys_of(&json["per_creator"][0]),
        set(["profile_name", "free", "sub", "total", "new_today"])
    );
}

#[tokio::test]
async fn earnings_keep_exactly_the_documented_fields() {
    let t = TestUpstream::spawn().await;
    let token = t.login(OWNER_A).await.tokens.access_token;
    let earnings = t
        .upstream
        .api
        .dashboard::<Earnings>(&token, Period::Month)
        .await
        .expect("earnings");
    assert!(
        !earnings.transactions.is_empty(),
        "a month has transactions"
    );
    let json = serde_json::to_value(&earnings).expect("serialises");
    assert_no_internal_field(&json, "earnings");
    assert_eq!(
        keys_of(&json),
        set([
            "period",
            "currency",
            "period_totals",
            "month",
            "daily",
            "transactions",
            "per_creator",
            "generated_at",
        ])
    );
    assert_eq!(keys_of(&json["period_totals"]), set(["gross", "net"]));
    assert_eq!(keys_of(&json["month"]), set(["gross", "net", "fee"]));
    assert_eq!(keys_of(&json["daily"][0]), set(["at", "gross", "net"]));
    assert_eq!(
        keys_of(&json["transactions"][0]),
        set(["kind", "title", "fan", "net", "gross", "at", "profile_name"])
    );
    assert_eq!(
        keys_of(&json["per_creator"][0]),
        set(["profile_name", "gross", "net"])
    );
}

/// The simulator's real KPI answer for agency A, changed by `edit`, served by
/// a canned backend and read through the public client.
async fn kpis_with(edit: impl FnOnce(&mut Value)) -> Result<Kpis, UpstreamError> {
    let mut body = data::kpis(AGENCY_A, data::Period::Today, data::today_utc());
    edit(&mut body);
    let backend = Canned::start(200, body.to_string()).await;
    let api = ApiClient::new(
        build_client(settings()).expect("CA certificates load"),
        backend.base.clone(),
    );
    api.dashboard::<Kpis>(&Secret::new("token"), Period::Today)
        .await
}

fn malformed_message(result: Result<impl std::fmt::Debug, UpstreamError>) -> String {
    match result {
        Err(UpstreamError::Malformed(message)) => message,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[tokio::test]
async fn unedited_backend_answer_parses() {
    assert!(kpis_with(|_| {}).await.is_ok());
}

#[tokio::test]
async fn mistyped_field_is_malformed_naming_it() {
    let message =
        malformed_message(kpis_with(|body| body["hero_net_eur"] = Value::from("1234.50")).await);
    assert!(message.starts_with("hero_net_eur: "), "{message}");
}

#[tokio::test]
async fn missing_field_is_malformed_naming_it() {
    let message = malformed_message(
        kpis_with(|body| {
            body.as_object_mut().expect("an object").remove("currency");
        })
        .await,
    );
    assert!(message.contains("currency"), "{message}");
}

#[tokio::test]
async fn mistyped_nested_field_is_malformed_naming_its_path() {
    let message =
        malformed_message(kpis_with(|body| body["per_creator"][1]["net_eur"] = Value::Null).await);
    assert!(message.starts_with("per_creator[1].net_eur: "), "{message}");
}

#[tokio::test]
async fn non_json_success_body_is_malformed() {
    for body in ["", "<html>502 Bad Gateway</html>", "[]", "null"] {
        let backend = Canned::start(200, body).await;
        let api = ApiClient::new(
            build_client(settings()).expect("CA certificates load"),
            backend.base.clone(),
        );
        let fans = api
            .dashboard::<Fans>(&Secret::new("token"), Period::Today)
            .await;
        malformed_message(fans);
        let earnings = api
            .dashboard::<Earnings>(&Secret::new("token"), Period::Today)
            .await;
        malformed_message(earnings);
    }
}

#[test]
fn typed_answers_parse_from_the_raw_dataset_for_every_period() {
    let today = data::today_utc();
    for period in Period::ALL {
        let p = data::Period::parse(period.as_str()).expect("same periods");
        let kpis: Result<Kpis, _> = serde_json::from_value(data::kpis(AGENCY_A, p, today));
        let fans: Result<Fans, _> = serde_json::from_value(data::fans(AGENCY_A, p, today));
        let earnings: Result<Earnings, _> =
            serde_json::from_value(data::earnings(AGENCY_A, p, today));
        assert!(kpis.is_ok(), "{period}: {kpis:?}");
        assert!(fans.is_ok(), "{period}: {fans:?}");
        assert!(earnings.is_ok(), "{period}: {earnings:?}");
    }
}
