//! `GET /api/dashboard/kpis` answer.

use super::catalog::{Kind, creators};
use super::format::{self, eur};
use super::period::Period;
use super::summary::{hourly_net, ranks, summarize};
use serde_json::{Map, Value, json};
use time::Date;

/// The full backend answer for KPIs, internal fields included (`_debug`, `source_rows`,
/// `cache_key`, `_uncategorized`, `_tx_count`, `creator_id`, `_rank`).
///
/// `hero_net_eur` = Σ `per_creator[].net_eur` = Σ `revenue_by_category_eur` (documented
/// keys) = Σ `daily_revenue_current[].net_eur`; for one-day periods also Σ
/// `hourly_revenue_current[].net_eur`. For `7d`/`30d` the hourly series is today's.
/// Only `latest_fetched_at` depends on the clock.
pub fn kpis(agency: &str, period: Period, today: Date) -> Value {
    let window = period.window(today);
    let summary = summarize(agency, window);
    let cast = creators(agency);

    let mut by_category = Map::new();
    for kind in Kind::ALL {
        let net = summary
            .per_kind
            .get(kind.index())
            .map_or(0, |m| m.net_cents);
        by_category.insert(kind.category().to_string(), eur(net));
    }
    by_category.insert("_uncategorized".to_string(), eur(0));

    let hourly_day = if window.is_single_day() {
        window.start
    } else {
        today
    };
    let hourly: Vec<Value> = hourly_net(agency, hourly_day)
        .iter()
        .enumerate()
        .map(|(hour, (net, count))| json!({"hour": hour, "net_eur": eur(*net), "_tx_count": count}))
        .collect();

    let daily: Vec<Value> = summary
        .days
        .iter()
        .map(|d| {
            json!({
                "at": format::date(d.date),
                "net_eur": eur(d.money.net_cents),
                "_tx_count": d.transactions,
            })
        })
        .collect();

    let rank = ranks(&summary.per_creator);
    let per_creator: Vec<Value> = cast
        .iter()
        .zip(&summary.per_creator)
        .zip(rank)
        .map(|((c, money), rank)| {
            json!({
                "profile_name": c.profile_name,
                "net_eur": eur(money.net_cents),
                "creator_id": c.creator_id,
                "_rank": rank,
            })
        })
        .collect();

    json!({
        "hero_net_eur": eur(summary.total.net_cents),
        "currency": "EUR",
        "mobile_period": period.label(),
        "kpi_period": window.describe(),
        "revenue_by_category_eur": by_category,
        "hourly_revenue_current": hourly,
        "daily_revenue_current": daily,
        "creator_count": cast.len(),
        "per_creator": per_creator,
        "latest_fetched_at": format::now(),
        "_debug": {
            "agency_id": agency,
            "window": window.describe(),
            "engine": "malgomo-sim",
            "gross_cents": summary.total.gross_cents,
        },
        "source_rows": summary.transactions.len(),
        "cache_key": format!("kpis:{agency}:{}:{}", period.as_str(), format::date(today)),
    })
}
