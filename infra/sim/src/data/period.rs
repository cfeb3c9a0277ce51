//! Reporting periods and the calendar windows they stand for.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::{Date, Duration};

/// The `period` query parameter: `today | yesterday | 7d | 30d`.
///
/// `7d` is this ISO week (Monday..today) and `30d` this month (1st..today), as the real
/// backend defines them — not rolling 7/30-day windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    #[serde(rename = "today")]
    Today,
    #[serde(rename = "yesterday")]
    Yesterday,
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
}

/// A `period` value that is not one of the four.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidPeriod(pub String);

impl fmt::Display for InvalidPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid period {:?}: must be one of today, yesterday, 7d, 30d",
            self.0
        )
    }
}

impl std::error::Error for InvalidPeriod {}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::Today,
        Period::Yesterday,
        Period::Week,
        Period::Month,
    ];

    /// Parses the wire value exactly (case-sensitive, no trimming), as the backend does.
    pub fn parse(s: &str) -> Result<Period, InvalidPeriod> {
        match s {
            "today" => Ok(Period::Today),
            "yesterday" => Ok(Period::Yesterday),
            "7d" => Ok(Period::Week),
            "30d" => Ok(Period::Month),
            other => Err(InvalidPeriod(other.to_string())),
        }
    }

    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Today => "today",
            Period::Yesterday => "yesterday",
            Period::Week => "7d",
            Period::Month => "30d",
        }
    }

    /// The human name of the window (`mobile_period` in KPIs).
    pub fn label(self) -> &'static str {
        match self {
            Period::Today => "today",
            Period::Yesterday => "yesterday",
            Period::Week => "this_week",
            Period::Month => "this_month",
        }
    }

    /// The calendar days this period covers when `today` is the current UTC date.
    pub fn window(self, today: Date) -> Window {
        let yesterday = today.previous_day().unwrap_or(today);
        let monday = today
            .checked_sub(Duration::days(i64::from(
                today.weekday().number_days_from_monday(),
            )))
            .unwrap_or(today);
        let first_of_month = today.replace_day(1).unwrap_or(today);
        match self {
            Period::Today => Window {
                start: today,
                end: today,
            },
            Period::Yesterday => Window {
                start: yesterday,
                end: yesterday,
            },
            Period::Week => Window {
                start: monday,
                end: today,
            },
            Period::Month => Window {
                start: first_of_month,
                end: today,
            },
        }
    }
}

impl FromStr for Period {
    type Err = InvalidPeriod;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An inclusive range of calendar days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: Date,
    pub end: Date,
}

impl Window {
    /// The days from `start` to `end`, in order.
    pub fn days(self) -> Vec<Date> {
        let mut days = Vec::new();
        let mut day = self.start;
        while day <= self.end {
            days.push(day);
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        days
    }

    pub fn is_single_day(self) -> bool {
        self.start == self.end
    }

    /// `"2026-11-25"` for one day, `"2026-11-23..2026-11-25"` for several (`kpi_period`).
    pub fn describe(self) -> String {
        if self.is_single_day() {
            super::format::date(self.start)
        } else {
            format!(
                "{}..{}",
                super::format::date(self.start),
                super::format::date(self.end)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parse_round_trips() {
        for p in Period::ALL {
            assert_eq!(Period::parse(p.as_str()), Ok(p));
            assert_eq!(p.as_str().parse::<Period>(), Ok(p));
        }
        assert!(Period::parse("week").is_err());
        assert!(Period::parse("TODAY").is_err());
        assert!(Period::parse("").is_err());
    }

    #[test]
    fn windows() {
        // 2026-11-25 is a Wednesday.
        let today = date!(2026 - 11 - 25);
        assert_eq!(Period::Today.window(today).days(), vec![today]);
        assert_eq!(
            Period::Yesterday.window(today).days(),
            vec![date!(2026 - 11 - 24)]
        );
        let week = Period::Week.window(today);
        assert_eq!((week.start, week.end), (date!(2026 - 11 - 23), today));
        assert_eq!(week.describe(), "2026-11-23..2026-11-25");
        assert_eq!(Period::Month.window(today).days().len(), 25);
    }

    #[test]
    fn monday_and_first_of_month_edges() {
        let monday = date!(2026 - 11 - 23);
        assert_eq!(Period::Week.window(monday).days(), vec![monday]);
        let first = date!(2026 - 12 - 01);
        assert_eq!(Period::Month.window(first).days(), vec![first]);
        assert_eq!(Period::Yesterday.window(first).start, date!(2026 - 11 - 30));
    }
}
