//! Every documented total adds up, for every period, both agencies and awkward dates.

use crate::common::{CATEGORIES, cents, spawn_sim, sum_cents, sum_u64};
use malgomo_sim::accounts::{AGENCY_A, AGENCY_B};
use malgomo_sim::data::{self, Period};
use serde_json::Value;
use time::Date;
use time::macros::date;

fn check_kpis(k: &Value, period: Period, today: Date) {
    let hero = cents(&k["hero_net_eur"]);
    assert_eq!(hero, sum_cents(&k["per_creator"], "net_eur"));
    assert_eq!(hero, sum_cents(&k["daily_revenue_current"], "net_eur"));
    let by_category: i64 = CATEGORIES
        .iter()
        .map(|c| cents(&k["revenue_by_category_eur"][c]))
        .sum();
    assert_eq!(hero, by_category);
    let days = period.window(today).days();
    assert_eq!(
        k["daily_revenue_current"].as_array().unwrap().len(),
        days.len()
    );
    let hourly = &k["hourly_revenue_current"];
    assert_eq!(hourly.as_array().unwrap().len(), 24);
    assert!(
        hourly
            .as_array()
            .unwrap()
            .iter()
            .all(|h| cents(&h["net_eur"]) > 0)
    );
    if days.len() == 1 {
        assert_eq!(hero, sum_cents(hourly, "net_eur"));
    } else {
        // Multi-day periods show today's hours, which equal today's daily entry.
        let today_entry = k["daily_revenue_current"]
            .as_array()
            .unwrap()
            .last()
            .unwrap();
        assert_eq!(sum_cents(hourly, "net_eur"), cents(&today_entry["net_eur"]));
    }
    assert_eq!(
        k["creator_count"].as_u64().unwrap() as usize,
        k["per_creator"].as_array().unwrap().len()
    );
}

fn check_earnings(e: &Value, period: Period, today: Date) {
    let totals = &e["period_totals"];
    let (gross, net) = (cents(&totals["gross"]), cents(&totals["net"]));
    assert_eq!(net * 5, gross * 4, "net is 80 % of gross");
    for list in ["daily", "per_creator", "transactions"] {
        assert_eq!(gross, sum_cents(&e[list], "gross"), "{list} gross");
        assert_eq!(net, sum_cents(&e[list], "net"), "{list} net");
    }
    let month = &e["month"];
    let (mg, mn, fee) = (
        cents(&month["gross"]),
        cents(&month["net"]),
        cents(&month["fee"]),
    );
    assert_eq!(fee, mg - mn);
    assert_eq!(mn * 5, mg * 4);
    if period == Period::Month {
        assert_eq!((mg, mn), (gross, net));
    }
    let days = period.window(today).days().len();
    let txs = e["transactions"].as_array().unwrap().len();
    let creators = e["per_creator"].as_array().unwrap().len();
    assert!(txs >= 15 * creators * days && txs <= 25 * creators * days);
}

fn check_fans(f: &Value) {
    let totals = &f["totals"];
    let (free, sub, total) = (
        totals["free"].as_u64().unwrap(),
        totals["sub"].as_u64().unwrap(),
        totals["total"].as_u64().unwrap(),
    );
    assert_eq!(total, free + sub);
    assert_eq!(free, sum_u64(&f["per_creator"], "free"));
    assert_eq!(sub, sum_u64(&f["per_creator"], "sub"));
    assert_eq!(total, sum_u64(&f["per_creator"], "total"));
    assert_eq!(
        f["new_today_total"].as_u64().unwrap(),
        sum_u64(&f["per_creator"], "new_today")
    );
    let np = &f["new_in_period"];
    assert_eq!(
        np["free"].as_u64().unwrap(),
        sum_u64(&f["daily_new"], "new_free")
    );
    assert_eq!(
        np["sub"].as_u64().unwrap(),
        sum_u64(&f["daily_new"], "new_sub")
    );
    assert_eq!(
        np["total"].as_u64().unwrap(),
        np["free"].as_u64().unwrap() + np["sub"].as_u64().unwrap()
    );
    for c in f["per_creator"].as_array().unwrap() {
        assert_eq!(
            c["total"].as_u64().unwrap(),
            c["free"].as_u64().unwrap() + c["sub"].as_u64().unwrap()
        );
    }
}

fn check_cross(k: &Value, e: &Value) {
    assert_eq!(cents(&k["hero_net_eur"]), cents(&e["period_totals"]["net"]));
}

#[test]
fn totals_add_up_on_awkward_dates() {
    // A Monday, a Sunday, the 1st of a month, New Year's Eve, a leap day, and mid-month.
    let dates = [
        date!(2026 - 11 - 23),
        date!(2026 - 11 - 29),
        date!(2026 - 12 - 01),
        date!(2026 - 12 - 31),
        date!(2028 - 02 - 29),
        date!(2026 - 11 - 25),
    ];
    for today in dates {
        for agency in [AGENCY_A, AGENCY_B] {
            for period in Period::ALL {
                let k = data::kpis(agency, period, today);
                let e = data::earnings(agency, period, today);
                check_kpis(&k, period, today);
                check_earnings(&e, period, today);
                check_fans(&data::fans(agency, period, today));
                check_cross(&k, &e);
            }
        }
    }
}

#[test]
fn thirty_days_yields_many_transactions() {
    let e = data::earnings(AGENCY_A, Period::Month, date!(2026 - 12 - 31));
    let n = e["transactions"].as_array().unwrap().len();
    assert!(n >= 1_800, "{n}");
}

#[test]
fn past_days_do_not_change_with_today() {
    let k1 = data::kpis(AGENCY_A, Period::Month, date!(2026 - 11 - 24));
    let k2 = data::kpis(AGENCY_A, Period::Month, date!(2026 - 11 - 25));
    let d1 = k1["daily_revenue_current"].as_array().unwrap();
    let d2 = k2["daily_revenue_current"].as_array().unwrap();
    assert_eq!(d1[..], d2[..d1.len()]);
}

#[tokio::test]
async fn totals_add_up_over_http_for_both_agencies() {
    let t = spawn_sim().await;
    let today = data::today_utc();
    for email in ["owner@agency-a.test", "owner@agency-b.test"] {
        let token = t.token_for(email).await;
        for period in Period::ALL {
            let q = format!("?period={}", period.as_str());
            let k = t.api_json(&token, &format!("/api/dashboard/kpis{q}")).await;
            let e = t
                .api_json(&token, &format!("/api/dashboard/earnings{q}"))
                .await;
            let f = t.api_json(&token, &format!("/api/dashboard/fans{q}")).await;
            check_kpis(&k, period, today);
            check_earnings(&e, period, today);
            check_fans(&f);
            check_cross(&k, &e);
        }
    }
}
