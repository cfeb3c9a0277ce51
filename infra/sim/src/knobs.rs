//! Test knobs: the settings a test turns to provoke expiry, slowness or throttling.

use serde::{Deserialize, Serialize};
use std::time::Duration;
use time::Date;
use time::macros::format_description;

/// The wire form of a pinned day: `2026-11-30`.
const DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

/// Current knob values. `Default` is what a fresh simulator (or `/_sim/reset`) uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Knobs {
    /// Lifetime of access tokens minted from now on (whole seconds; 0 = born expired).
    pub token_lifetime: Duration,
    /// Added before every upstream answer (not `/_sim`).
    pub latency: Duration,
    /// Password grants allowed per 60 s, per email bucket and per client-IP bucket.
    pub rate_limit_per_minute: u32,
    /// How long the immediately rotated-out refresh token may be replayed (GoTrue: 10 s).
    pub reuse_window: Duration,
    /// The day the dashboard serves as "today" (and stamps its answers with, at noon):
    /// `None` is the real UTC date and clock. Pinned, every answer is a pure function of
    /// its inputs, so a test can hold whole answers byte for byte.
    pub today: Option<Date>,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            token_lifetime: Duration::from_secs(3600),
            latency: Duration::ZERO,
            rate_limit_per_minute: 60,
            reuse_window: Duration::from_secs(10),
            today: None,
        }
    }
}

/// The wire form of the knobs for `/_sim/knobs`: every field optional on input, all
/// present on output. Unknown fields are refused so a typo in a test fails loudly.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KnobsPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_lifetime_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_per_minute: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_reuse_window_ms: Option<u64>,
    /// `"2026-11-30"` pins the dashboard's day; `null` is the real date.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "pinned_day")]
    pub today: Option<Option<Date>>,
}

/// `today` on the wire: absent = unchanged, `null` = the real date, `"YYYY-MM-DD"` = pinned.
mod pinned_day {
    use super::DAY;
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(day: &Option<Option<Date>>, out: S) -> Result<S::Ok, S::Error> {
        match day.as_ref().and_then(Option::as_ref) {
            Some(day) => {
                let text = day.format(DAY).map_err(serde::ser::Error::custom)?;
                out.serialize_str(&text)
            }
            None => out.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        input: D,
    ) -> Result<Option<Option<Date>>, D::Error> {
        let text = Option::<String>::deserialize(input)?;
        let day = match text {
            Some(text) => Some(Date::parse(&text, DAY).map_err(serde::de::Error::custom)?),
            None => None,
        };
        Ok(Some(day))
    }
}

impl Knobs {
    /// Applies the fields that are present.
    pub fn apply(&mut self, patch: &KnobsPatch) {
        if let Some(secs) = patch.token_lifetime_secs {
            self.token_lifetime = Duration::from_secs(secs);
        }
        if let Some(ms) = patch.latency_ms {
            self.latency = Duration::from_millis(ms);
        }
        if let Some(n) = patch.rate_limit_per_minute {
            self.rate_limit_per_minute = n;
        }
        if let Some(ms) = patch.refresh_reuse_window_ms {
            self.reuse_window = Duration::from_millis(ms);
        }
        if let Some(day) = patch.today {
            self.today = day;
        }
    }

    /// All knobs, as the admin endpoint reports them.
    pub fn view(&self) -> KnobsPatch {
        KnobsPatch {
            token_lifetime_secs: Some(self.token_lifetime.as_secs()),
            latency_ms: Some(u64::try_from(self.latency.as_millis()).unwrap_or(u64::MAX)),
            rate_limit_per_minute: Some(self.rate_limit_per_minute),
            refresh_reuse_window_ms: Some(
                u64::try_from(self.reuse_window.as_millis()).unwrap_or(u64::MAX),
            ),
            today: Some(self.today),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_changes_only_given_fields() {
        let mut k = Knobs::default();
        k.apply(&KnobsPatch {
            latency_ms: Some(250),
            ..KnobsPatch::default()
        });
        assert_eq!(k.latency, Duration::from_millis(250));
        assert_eq!(k.token_lifetime, Duration::from_secs(3600));
    }

    #[test]
    fn today_is_pinned_by_a_date_and_unpinned_by_null() {
        let mut k = Knobs::default();
        let pin: KnobsPatch = serde_json::from_str(r#"{"today":"2026-11-30"}"#).unwrap();
        k.apply(&pin);
        assert_eq!(k.today, Some(time::macros::date!(2026 - 11 - 30)));
        assert_eq!(
            serde_json::to_value(k.view()).unwrap()["today"],
            "2026-11-30"
        );
        k.apply(&KnobsPatch::default());
        assert!(k.today.is_some(), "an absent field changes nothing");
        k.apply(&serde_json::from_str(r#"{"today":null}"#).unwrap());
        assert_eq!(k.today, None);
        assert!(serde_json::from_str::<KnobsPatch>(r#"{"today":"30/11/2026"}"#).is_err());
    }

    #[test]
    fn unknown_field_is_refused() {
        assert!(serde_json::from_str::<KnobsPatch>(r#"{"latency":5}"#).is_err());
    }
}
