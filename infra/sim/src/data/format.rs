//! Wire formatting of money and time, written by hand so it cannot fail at run time.

use serde_json::Value;
use time::{Date, OffsetDateTime};

/// Euro amount from integer cents, as a JSON number (`1234` → `12.34`). Sums are always
/// formed in cents first, so the euro values add up to the cent.
pub fn eur(cents: u64) -> Value {
    // Amounts here stay far below 2^53 cents, where f64 is exact to the cent.
    Value::from(cents as f64 / 100.0)
}

/// `2026-11-25`.
pub fn date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `2026-11-25T14:03:09Z`.
pub fn timestamp(d: Date, hour: u8, minute: u8, second: u8) -> String {
    format!("{}T{hour:02}:{minute:02}:{second:02}Z", date(d))
}

/// The current UTC time to the second, for `generated_at` / `latest_fetched_at`.
pub fn now() -> String {
    let now = OffsetDateTime::now_utc();
    timestamp(now.date(), now.hour(), now.minute(), now.second())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn formats() {
        assert_eq!(eur(1234), Value::from(12.34));
        assert_eq!(eur(5).to_string(), "0.05");
        assert_eq!(date(date!(2026 - 01 - 05)), "2026-01-05");
        assert_eq!(
            timestamp(date!(2026 - 11 - 25), 14, 3, 9),
            "2026-11-25T14:03:09Z"
        );
        assert!(
            time::OffsetDateTime::parse(&now(), &time::format_description::well_known::Rfc3339)
                .is_ok()
        );
    }
}
