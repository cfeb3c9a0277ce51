//! `GET /api/dashboard/earnings` answer.

use super::catalog::creators;
use super::format::{self, eur};
use super::period::Period;
use super::summary::{ranks, summarize};
use serde_json::{Value, json};
use time::Date;

/// The full backend answer for earnings, internal fields included (`_debug`,
/// `source_rows`, `cache_key`, `period_totals._rows`, `transactions[]` `tx_id`/`_source`,
/// `per_creator[]` `creator_id`/`_rank`).
///
/// `period_totals` = Σ `daily` = Σ `per_creator` = Σ `transactions` (gross and net), net
/// = 80 % of gross everywhere; `month` is month-to-date with `fee = gross − net`.
/// Transactions come grouped by creator, not in time order (the consumer sorts).
/// Only `generated_at` depends on the clock.
pub fn earnings(agency: &str, period: Period, today: Date) -> Value {
    let window = period.window(today);
    let mut summary = summarize(agency, window);
    let month = summarize(agency, Period::Month.window(today)).total;
    let cast = creators(agency);

    let daily: Vec<Value> = summary
        .days
        .iter()
        .map(|d| {
            json!({
                "at": format::date(d.date),
                "gross": eur(d.money.gross_cents),
                "net": eur(d.money.net_cents),
            })
        })
        .collect();

    // Stable sort: per creator, then day by day, each day in the ledger's (unsorted) order.
    summary.transactions.sort_by_key(|tx| tx.creator_index);
    let transactions: Vec<Value> = summary
        .transactions
        .iter()
        .map(|tx| {
            json!({
                "kind": tx.kind.as_str(),
                "title": tx.title,
                "fan": tx.fan,
                "net": eur(tx.net_cents),
                "gross": eur(tx.gross_cents),
                "at": tx.at(),
                "profile_name": tx.profile_name,
                "tx_id": tx.tx_id,
                "_source": "ledger",
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
                "gross": eur(money.gross_cents),
                "net": eur(money.net_cents),
                "creator_id": c.creator_id,
                "_rank": rank,
            })
        })
        .collect();

    json!({
        "period": period.as_str(),
        "currency": "EUR",
        "period_totals": {
            "gross": eur(summary.total.gross_cents),
            "net": eur(summary.total.net_cents),
            "_rows": summary.transactions.len(),
        },
        "month": {
            "gross": eur(month.gross_cents),
            "net": eur(month.net_cents),
            "fee": eur(month.gross_cents - month.net_cents),
        },
        "daily": daily,
        "transactions": transactions,
        "per_creator": per_creator,
        "generated_at": format::now(),
        "_debug": {"agency_id": agency, "window": window.describe(), "engine": "malgomo-sim"},
        "source_rows": summary.transactions.len(),
        "cache_key": format!("earnings:{agency}:{}:{}", period.as_str(), format::date(today)),
    })
}
