//! The deterministic dataset behind the dashboard endpoints.
//!
//! Everything is a pure function of (agency id, period, today's UTC date), except the
//! `generated_at` / `latest_fetched_at` stamps. The atomic rows are the ledger's
//! transactions (integer cents, gross a multiple of 5 cents so net = 80 % exactly) and the
//! per-day fan counts; every figure in an answer is a sum of those rows, so all totals add
//! up to the cent. Tests elsewhere call these functions with a date to know what the
//! simulator serves.
//!
//! Windows: `today`, `yesterday`, `7d` = this ISO week (Monday..today), `30d` = this month
//! (1st..today).

mod catalog;
mod earnings;
mod fans;
mod format;
mod growth;
mod kpis;
mod ledger;
mod period;
mod prng;
mod summary;

pub use catalog::{Creator, FANS, Kind, creators};
pub use earnings::earnings;
pub use fans::fans;
pub use growth::{FanDay, FanTotals, fan_day, fan_totals};
pub use kpis::kpis;
pub use ledger::{PER_CREATOR_PER_DAY, Transaction, day_transactions};
pub use period::{InvalidPeriod, Period, Window};
pub use summary::{DaySum, Money, Summary, hourly_net, summarize};

/// Today's UTC date: the `today` the simulator passes to `kpis`/`fans`/`earnings`.
pub fn today_utc() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// The clock stamps an answer carries (`generated_at`, `latest_fetched_at`), set to noon of
/// `day`: what a pinned day serves instead of the real time.
pub fn pin_stamps(answer: &mut serde_json::Value, day: time::Date) {
    for key in ["generated_at", "latest_fetched_at"] {
        if let Some(stamp) = answer.get_mut(key) {
            *stamp = serde_json::Value::from(format::timestamp(day, 12, 0, 0));
        }
    }
}
