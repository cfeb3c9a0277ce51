//! What `malgomo_get_earnings` answers: the backend's earnings with the
//! transactions capped. Transactions can run into thousands for a month, so
//! the result keeps the newest few and says how many there are: agents'
//! context windows are finite.

use schemars::JsonSchema;
use serde::Serialize;

use crate::upstream::dashboard::Transaction;
use crate::upstream::dashboard::{CreatorEarnings, DailyEarnings, Earnings, GrossNet, MonthTotals};

/// How many transactions a result carries at most (newest first).
pub const TRANSACTIONS_SHOWN: usize = 50;

// The fields of `Earnings` and three of its own, declared together in
// alphabetical order: the order the result's keys are written in (a
// `flatten` would write the earnings' fields first). The doc line below is
// the output schema's description.
/// The earnings answer with its transactions capped.
#[derive(Serialize, JsonSchema)]
pub struct CappedEarnings {
    currency: String,
    daily: Vec<DailyEarnings>,
    generated_at: String,
    month: MonthTotals,
    /// Present when transactions were left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    per_creator: Vec<CreatorEarnings>,
    period: String,
    period_totals: GrossNet,
    transactions: Vec<Transaction>,
    /// How many transactions the period has in all.
    transactions_total: usize,
    /// True when `transactions` holds only the newest of them.
    transactions_truncated: bool,
}

impl CappedEarnings {
    pub fn of(earnings: Earnings) -> Self {
        let Earnings {
            currency,
            daily,
            generated_at,
            month,
            per_creator,
            period,
            period_totals,
            mut transactions,
        } = earnings;
        // RFC 3339 UTC timestamps of one format order as strings.
        transactions.sort_by(|a, b| b.at.cmp(&a.at));
        let total = transactions.len();
        let truncated = total > TRANSACTIONS_SHOWN;
        transactions.truncate(TRANSACTIONS_SHOWN);
        Self {
            currency,
            daily,
            generated_at,
            month,
            note: truncated.then(|| {
                format!(
                    "showing the {TRANSACTIONS_SHOWN} newest of {total} transactions; totals and per-creator figures cover all of them — ask for a shorter period to see older ones"
                )
            }),
            per_creator,
            period,
            period_totals,
            transactions,
            transactions_total: total,
            transactions_truncated: truncated,
        }
    }
}
