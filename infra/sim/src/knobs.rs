//! Test knobs: the settings a test turns to provoke expiry, slowness or throttling.

use serde::{Deserialize, Serialize};
use std::time::Duration;

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
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            token_lifetime: Duration::from_secs(3600),
            latency: Duration::ZERO,
            rate_limit_per_minute: 60,
            reuse_window: Duration::from_secs(10),
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
    fn unknown_field_is_refused() {
        assert!(serde_json::from_str::<KnobsPatch>(r#"{"latency":5}"#).is_err());
    }
}
