//! `GET /api/dashboard/fans` answer.

use super::catalog::creators;
use super::format;
use super::growth::{fan_day, fan_totals};
use super::period::Period;
use serde_json::{Value, json};
use time::Date;

/// The full backend answer for fan growth, internal fields included (`_debug`,
/// `source_rows`, `cache_key`, `totals._as_of`, `daily_new[]._src`, `per_creator[]`
/// `creator_id`/`_rank`).
///
/// `totals` are as of today and equal Σ `per_creator`; `total = free + sub` everywhere;
/// `new_in_period` = Σ `daily_new`; `new_today_total` = Σ `per_creator[].new_today`.
/// Only `generated_at` depends on the clock.
pub fn fans(agency: &str, period: Period, today: Date) -> Value {
    let window = period.window(today);
    let cast = creators(agency);
    let days = window.days();

    let mut daily_new = Vec::with_capacity(days.len());
    let (mut period_free, mut period_sub) = (0u64, 0u64);
    for &day in &days {
        let (mut free, mut sub) = (0u64, 0u64);
        for i in 0..cast.len() {
            let new = fan_day(agency, i, day);
            free += new.new_free;
            sub += new.new_sub;
        }
        period_free += free;
        period_sub += sub;
        daily_new.push(json!({
            "at": format::date(day),
            "new_free": free,
            "new_sub": sub,
            "_src": "daily_rollup",
        }));
    }

    let mut rows = Vec::with_capacity(cast.len());
    let (mut total_free, mut total_sub, mut new_today_total) = (0u64, 0u64, 0u64);
    for (i, creator) in cast.iter().enumerate() {
        let totals = fan_totals(agency, i, today);
        let today_new = fan_day(agency, i, today);
        let new_today = today_new.new_free + today_new.new_sub;
        total_free += totals.free;
        total_sub += totals.sub;
        new_today_total += new_today;
        rows.push((creator, totals, new_today));
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(rows.get(i).map_or(0, |(_, t, _)| t.free + t.sub)));
    let per_creator: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, (creator, totals, new_today))| {
            let rank = order.iter().position(|&j| j == i).map_or(0, |p| p + 1);
            json!({
                "profile_name": creator.profile_name,
                "free": totals.free,
                "sub": totals.sub,
                "total": totals.free + totals.sub,
                "new_today": new_today,
                "creator_id": creator.creator_id,
                "_rank": rank,
            })
        })
        .collect();

    json!({
        "period": period.as_str(),
        "totals": {
            "free": total_free,
            "sub": total_sub,
            "total": total_free + total_sub,
            "_as_of": format::date(today),
        },
        "new_today_total": new_today_total,
        "new_in_period": {
            "free": period_free,
            "sub": period_sub,
            "total": period_free + period_sub,
        },
        "daily_new": daily_new,
        "per_creator": per_creator,
        "generated_at": format::now(),
        "_debug": {"agency_id": agency, "window": window.describe(), "engine": "malgomo-sim"},
        "source_rows": days.len() * cast.len(),
        "cache_key": format!("fans:{agency}:{}:{}", period.as_str(), format::date(today)),
    })
}
