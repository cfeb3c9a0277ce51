//! Agency scoping lives in the backend: a token only ever sees its own
//! agency's data, and the client returns exactly what the backend served.

use std::collections::BTreeSet;

use malgomo::domain::{Period, Secret};
use malgomo::upstream::ApiClient;
use malgomo::upstream::dashboard::{Earnings, Fans, Kpis};
use malgomo_sim::accounts::{AGENCY_A, AGENCY_B};
use malgomo_sim::data;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use time::Date;

use crate::helpers::{OWNER_A, OWNER_B, TestUpstream};

fn profile_names(agency: &str) -> BTreeSet<String> {
    data::creators(agency)
        .iter()
        .map(|c| c.profile_name.to_owned())
        .collect()
}

fn sim_period(period: Period) -> data::Period {
    data::Period::parse(period.as_str()).expect("both sides know the same periods")
}

/// JSON of `value` with euro amounts compared to the cent (a float parsed off
/// the wire may differ from the simulator's in the last bit) and the clock
/// stamp `stamp` removed (it is the one field that depends on the time).
fn comparable(value: &impl Serialize, stamp: &str) -> Value {
    fn to_cents(value: Value) -> Value {
        match value {
            Value::Number(n) if n.is_f64() => {
                Value::from((n.as_f64().unwrap_or_default() * 100.0).round() as i64)
            }
            Value::Array(items) => Value::Array(items.into_iter().map(to_cents).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, to_cents(v))).collect())
            }
            other => other,
        }
    }
    let mut json = serde_json::to_value(value).expect("serialises");
    json.as_object_mut().expect("an object").remove(stamp);
    to_cents(json)
}

/// `got` equals the simulator's dataset for `agency` on one of `days` (the
/// call may straddle midnight UTC), projected onto the typed answer `T`.
fn assert_served<T: Serialize + DeserializeOwned>(
    got: &T,
    days: [Date; 2],
    dataset: impl Fn(Date) -> Value,
    stamp: &str,
) {
    let got = comparable(got, stamp);
    let expected: Vec<Value> = days
        .iter()
        .map(|&day| {
            let typed: T = serde_json::from_value(dataset(day)).expect("the dataset parses");
            comparable(&typed, stamp)
        })
        .collect();
    assert!(
        expected.contains(&got),
        "served {got:#}\nexpected {:#}",
        expected[0]
    );
}

struct Read {
    kpis: Kpis,
    fans: Fans,
    earnings: Earnings,
}

async fn read(api: &ApiClient, token: &Secret, period: Period) -> Read {
    Read {
        kpis: api.dashboard::<Kpis>(token, period).await.expect("kpis"),
        fans: api.dashboard::<Fans>(token, period).await.expect("fans"),
        earnings: api
            .dashboard::<Earnings>(token, period)
            .await
            .expect("earnings"),
    }
}

fn names_seen(read: &Read) -> BTreeSet<String> {
    let kpis = read.kpis.per_creator.iter().map(|c| &c.profile_name);
    let fans = read.fans.per_creator.iter().map(|c| &c.profile_name);
    let earnings = read.earnings.per_creator.iter().map(|c| &c.profile_name);
    let transactions = read.earnings.transactions.iter().map(|t| &t.profile_name);
    kpis.chain(fans)
        .chain(earnings)
        .chain(transactions)
        .cloned()
        .collect()
}

#[tokio::test]
async fn agency_a_token_never_sees_agency_b_data() {
    let t = TestUpstream::spawn().await;
    let token_a = t.login(OWNER_A).await.tokens.access_token;
    let token_b = t.login(OWNER_B).await.tokens.access_token;
    let (names_a, names_b) = (profile_names(AGENCY_A), profile_names(AGENCY_B));
    assert!(!names_a.is_empty() && !names_b.is_empty());
    assert!(
        names_a.is_disjoint(&names_b),
        "the dataset itself is disjoint"
    );

    for period in Period::ALL {
        let a = read(&t.upstream.api, &token_a, period).await;
        let b = read(&t.upstream.api, &token_b, period).await;
        assert_eq!(names_seen(&a), names_a, "{period}: agency A sees only A");
        assert_eq!(names_seen(&b), names_b, "{period}: agency B sees only B");
        assert_eq!(a.kpis.creator_count, names_a.len() as u64);
        assert_eq!(b.kpis.creator_count, names_b.len() as u64);
    }
}

#[tokio::test]
async fn answers_equal_the_simulators_dataset_for_the_callers_agency() {
    let t = TestUpstream::spawn().await;
    for (email, agency) in [(OWNER_A, AGENCY_A), (OWNER_B, AGENCY_B)] {
        let token = t.login(email).await.tokens.access_token;
        for period in Period::ALL {
            let before = data::today_utc();
            let got = read(&t.upstream.api, &token, period).await;
            let days = [before, data::today_utc()];
            let p = sim_period(period);
            assert_served(
                &got.kpis,
                days,
                |day| data::kpis(agency, p, day),
                "latest_fetched_at",
            );
            assert_served(
                &got.fans,
                days,
                |day| data::fans(agency, p, day),
                "generated_at",
            );
            assert_served(
                &got.earnings,
                days,
                |day| data::earnings(agency, p, day),
                "generated_at",
            );
        }
    }
}
