//! The reporting window of the dashboard tools.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A dashboard period. Parsing is the only way in, so a `Period` is always one
/// the backend understands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Period {
    /// The current day (the default).
    #[default]
    Today,
    /// The previous day.
    Yesterday,
    /// This week (`7d`).
    Week,
    /// This month (`30d`).
    Month,
}

/// The error for a period outside the allowed set; its message names them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid period {given:?}: allowed values are today, yesterday, 7d, 30d")]
pub struct InvalidPeriod {
    pub given: String,
}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::Today,
        Period::Yesterday,
        Period::Week,
        Period::Month,
    ];

    /// The allowed wire values, in documentation order.
    pub const VALUES: [&'static str; 4] = ["today", "yesterday", "7d", "30d"];

    pub fn parse(value: &str) -> Result<Self, InvalidPeriod> {
        match value {
            "today" => Ok(Self::Today),
            "yesterday" => Ok(Self::Yesterday),
            "7d" => Ok(Self::Week),
            "30d" => Ok(Self::Month),
            other => Err(InvalidPeriod {
                given: other.to_owned(),
            }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Today => "today",
            Self::Yesterday => "yesterday",
            Self::Week => "7d",
            Self::Month => "30d",
        }
    }
}

impl FromStr for Period {
    type Err = InvalidPeriod;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse(value)
    }
}

impl TryFrom<String> for Period {
    type Error = InvalidPeriod;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Period> for &'static str {
    fn from(period: Period) -> Self {
        period.as_str()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_allowed_value_round_trips() {
        for period in Period::ALL {
            assert_eq!(Period::parse(period.as_str()), Ok(period));
        }
        assert_eq!(Period::VALUES, Period::ALL.map(Period::as_str));
    }

    #[test]
    fn default_is_today() {
        assert_eq!(Period::default(), Period::Today);
    }

    #[test]
    fn bad_value_names_the_allowed_ones() {
        let err = Period::parse("week").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("\"week\""), "{message}");
        for allowed in Period::VALUES {
            assert!(message.contains(allowed), "{message}");
        }
    }

    #[test]
    fn parsing_is_exact() {
        for bad in ["", "Today", " today", "7D", "30", "1d"] {
            assert!(Period::parse(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn serde_uses_the_wire_values() {
        assert_eq!(serde_json::to_string(&Period::Week).unwrap(), "\"7d\"");
        let parsed: Period = serde_json::from_str("\"30d\"").unwrap();
        assert_eq!(parsed, Period::Month);
        assert!(serde_json::from_str::<Period>("\"month\"").is_err());
    }
}
