//! `malgomo_get_earnings`: earnings from the payout database. Transactions
//! can run into thousands for a month, so the result keeps the newest few
//! and says how many there are: agents' context windows are finite.

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::schema::output_schema;
use super::{Context, Docs, Tool, ToolFailure, ToolOutput, dashboard};
use crate::upstream::dashboard::Earnings;

/// How many transactions a result carries at most (newest first).
pub const TRANSACTIONS_SHOWN: usize = 50;

pub struct GetEarnings;

/// The earnings answer with its transactions capped.
#[derive(Serialize, JsonSchema)]
struct Output {
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

impl Output {
    fn capped(mut earnings: Earnings) -> Self {
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

/// The result for a backend answer body (see [`super::project_answer`]).
pub(super) fn project(body: &[u8]) -> Result<ToolOutput, ToolFailure> {
    dashboard::project(body, Output::capped)
}

#[async_trait]
impl Tool for GetEarnings {
    fn name(&self) -> &'static str {
        "malgomo_get_earnings"
    }

    fn docs(&self) -> Docs {
        Docs {
            summary: "Earnings from the payout database.",
            returns: None,
            note: Some(
                "<code>transactions</code> holds at most the <strong>50 newest</strong> transactions, newest first. \
                 <code>transactions_total</code> gives how many the period has in all, <code>transactions_truncated</code> is \
                 <code>true</code> when some were left out, and <code>note</code> (present only then) says so. Totals and \
                 per-creator figures always cover every transaction; ask for a shorter period to see older ones.",
            ),
        }
    }

    fn reads(&self) -> Option<&'static str> {
        Some("earnings")
    }

    fn definition(&self) -> crate::protocol::tool::Tool {
        dashboard::definition(
            self.name(),
            "MalGomo earnings",
            "Earnings from the payout database for a period: gross and net totals, month-to-date gross/net/fee, daily earnings, per-creator earnings, and the newest transactions (capped at 50, newest first, with the total count). period: today (default), yesterday, 7d (this week) or 30d (this month). Owner/admin only; requires login.",
            output_schema::<Output>(),
        )
    }

    async fn call(&self, cx: &mut Context<'_>, args: Value) -> Result<ToolOutput, ToolFailure> {
        dashboard::run(
            cx,
            args,
            |api, token, period| async move { api.earnings(&token, period).await },
            Output::capped,
        )
        .await
    }
}
