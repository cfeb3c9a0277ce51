//! The reporting window of the dashboard tools.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The periods, spelt once: each variant with its wire value, what it
/// means, and its kind — `default` (the default), `plain` (its wire value
/// says what it is) or `glossed` (short prose puts its meaning beside it).
/// The enum, `parse`, `as_str`, the schema's enum and every sentence that
/// names the periods ([`period_text!`]) are derived from this one list.
macro_rules! period_table {
    ([$($args:tt)*] $($then:tt)+) => {
        $($then)+! { $($args)* ;
            Today = "today", "the current day", default;
            Yesterday = "yesterday", "the previous day", plain;
            Week = "7d", "this week", glossed;
            Month = "30d", "this month", glossed;
        }
    };
}

/// The periods as a sentence names them, a string literal (so a tool's
/// `&'static str` description can `concat!` it):
/// `allowed` "today, yesterday, 7d, 30d";
/// `short` "today (default), yesterday, 7d or 30d";
/// `glossed` "today (default), yesterday, 7d (this week) or 30d (this month)";
/// `meanings` "today (default, the current day), yesterday (the previous
/// day), 7d (this week), 30d (this month)".
macro_rules! period_text {
    (allowed) => { $crate::domain::period_table!([[allowed]] $crate::domain::period_text) };
    (short) => { $crate::domain::period_table!([[short]] $crate::domain::period_text) };
    (glossed) => { $crate::domain::period_table!([[glossed]] $crate::domain::period_text) };
    (meanings) => { $crate::domain::period_table!([[meanings]] $crate::domain::period_text) };
    ([$style:ident] ; $($variant:ident = $wire:literal, $meaning:literal, $kind:ident;)+) => {
        $crate::domain::period_text!(@join $style [] $(
            ($crate::domain::period_text!(@item $style $wire, $meaning, $kind)),
        )+)
    };
    (@item allowed $wire:literal, $meaning:literal, $kind:ident) => { $wire };
    (@item short $wire:literal, $meaning:literal, default) => { concat!($wire, " (default)") };
    (@item short $wire:literal, $meaning:literal, $kind:ident) => { $wire };
    (@item glossed $wire:literal, $meaning:literal, default) => { concat!($wire, " (default)") };
    (@item glossed $wire:literal, $meaning:literal, plain) => { $wire };
    (@item glossed $wire:literal, $meaning:literal, glossed) => { concat!($wire, " (", $meaning, ")") };
    (@item meanings $wire:literal, $meaning:literal, default) => {
        concat!($wire, " (default, ", $meaning, ")")
    };
    (@item meanings $wire:literal, $meaning:literal, $kind:ident) => {
        concat!($wire, " (", $meaning, ")")
    };
    // `allowed` and `meanings` are comma lists; `short` and `glossed` end
    // with "or" before the last.
    (@join allowed [] $(($item:expr),)+) => { $crate::domain::period_text!(@commas $($item),+) };
    (@join meanings [] $(($item:expr),)+) => { $crate::domain::period_text!(@commas $($item),+) };
    (@join $style:ident [$($done:expr),*] ($last:expr),) => {
        $crate::domain::period_text!(@or [$($done),*] $last)
    };
    (@join $style:ident [$($done:expr),*] ($head:expr), $($rest:tt)+) => {
        $crate::domain::period_text!(@join $style [$($done,)* $head] $($rest)+)
    };
    (@commas $first:expr $(, $more:expr)*) => { concat!($first $(, ", ", $more)*) };
    (@or [$first:expr $(, $more:expr)*] $last:expr) => {
        concat!($first $(, ", ", $more)*, " or ", $last)
    };
}

/// The enum and its wire mapping, from [`period_table!`].
macro_rules! period_enum {
    (; $($variant:ident = $wire:literal, $meaning:literal, $kind:ident;)+) => {
        /// A dashboard period. Parsing is the only way in, so a `Period` is
        /// always one the backend understands.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum Period {
            $(
                #[doc = concat!("`", $wire, "`: ", $meaning, ".")]
                $variant,
            )+
        }

        impl Period {
            /// Every period, in documentation order.
            pub const ALL: [Period; [$($wire),+].len()] = [$(Period::$variant),+];

            /// The allowed wire values, in documentation order.
            pub const VALUES: [&'static str; [$($wire),+].len()] = [$($wire),+];

            pub fn parse(value: &str) -> Result<Self, InvalidPeriod> {
                match value {
                    $($wire => Ok(Self::$variant),)+
                    other => Err(InvalidPeriod {
                        given: other.to_owned(),
                    }),
                }
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }
        }

        impl Default for Period {
            /// The period of kind `default` in the table.
            fn default() -> Self {
                period_enum!(@default $($variant $kind)+)
            }
        }
    };
    (@default $variant:ident default $($rest:tt)*) => { Self::$variant };
    (@default $variant:ident $kind:ident $($rest:tt)+) => { period_enum!(@default $($rest)+) };
}

pub(crate) use {period_table, period_text};

period_table!([] period_enum);

/// The error for a period outside the allowed set; its message names them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid period {given:?}: allowed values are {}", period_text!(allowed))]
pub struct InvalidPeriod {
    pub given: String,
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
    fn the_sentences_name_every_period() {
        assert_eq!(period_text!(allowed), "today, yesterday, 7d, 30d");
        assert_eq!(period_text!(short), "today (default), yesterday, 7d or 30d");
        assert_eq!(
            period_text!(glossed),
            "today (default), yesterday, 7d (this week) or 30d (this month)"
        );
        assert_eq!(
            period_text!(meanings),
            "today (default, the current day), yesterday (the previous day), 7d (this week), 30d (this month)"
        );
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
