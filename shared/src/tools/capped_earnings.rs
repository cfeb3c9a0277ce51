//! What `malgomo_get_earnings` answers: the backend's earnings with the
//! transactions capped. Transactions can run into thousands for a month, so
//! the result keeps the newest few and says how many there are: agents'
//! context windows are finite.

use schemars::JsonSchema;
use serde::Serialize;

use crate::upstream::dashboard::Earnings;

/// How many transactions a result carries at most (newest first).
pub const TRANSACTIONS_SHOWN: usize = 50;

/// The earnings answer with its transactions capped.
#[derive(Serialize, JsonSchema)]
pub struct CappedEarnings {
    #[serde(flatten)]
    earnings: Earnings,
    /// How many transactions the period has in all.
    transactions_total: usize,
    /// True when `transactions` holds only the newest of them.
    transactions_truncated: bool,
    /// Present when transactions were left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

impl CappedEarnings {
    pub fn of(mut earnings: Earnings) -> Self {
        // RFC 3339 UTC timestamps of one format order as strings.
        earnings.transactions.sort_by(|a, b| b.at.cmp(&a.at));
        let total = earnings.transactions.len();
        let truncated = total > TRANSACTIONS_SHOWN;
        earnings.transactions.truncate(TRANSACTIONS_SHOWN);
        Self {
            earnings,
            transactions_total: total,
            transactions_truncated: truncated,
            note: truncated.then(|| {
                format!(
                    "showing the {TRANSACTIONS_SHOWN} newest of {total} transactions; totals and per-creator figures cover all of them — ask for a shorter period to see older ones"
                )
            }),
        }
    }
}
