//! Counters a test reads to see what the client actually did upstream.

use crate::endpoint::Endpoint;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A snapshot of the simulator's counters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    /// Successful password grants.
    pub logins: u64,
    /// Password grants that normal handling refused (missing apikey, bad JSON, missing
    /// fields, rate limit, wrong credentials, unconfirmed email). Injected faults are not
    /// counted here.
    pub failed_logins: u64,
    /// Refresh grants that rotated the refresh token.
    pub refreshes: u64,
    /// Replays of the just-rotated-out refresh token inside the reuse window, answered
    /// with the current pair (no rotation).
    pub refresh_reuses: u64,
    /// Successful logouts (204).
    pub logouts: u64,
    /// Requests that reached each endpoint (including refused and faulted ones), keyed
    /// `password`, `refresh`, `logout`, `user`, `me`, `kpis`, `fans`, `earnings`. A
    /// simulator's snapshot always carries all eight keys.
    pub requests: BTreeMap<String, u64>,
}

impl Counters {
    /// Zeroed counters with every endpoint key present, so a reader never has to
    /// distinguish "absent" from 0.
    pub(crate) fn zeroed() -> Self {
        Counters {
            requests: Endpoint::ALL
                .iter()
                .map(|e| (e.key().to_string(), 0))
                .collect(),
            ..Counters::default()
        }
    }

    /// Requests that reached `endpoint_key` (0 for an unknown key).
    pub fn request_count(&self, endpoint_key: &str) -> u64 {
        self.requests.get(endpoint_key).copied().unwrap_or(0)
    }

    pub(crate) fn count_request(&mut self, endpoint: Endpoint) {
        *self.requests.entry(endpoint.key().to_string()).or_insert(0) += 1;
    }
}
