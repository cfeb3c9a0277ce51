//! `GET /api/dashboard/fans`, projected onto the documented fields.

use serde::{Deserialize, Serialize};

use super::Endpoint;

/// Fan growth across the agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fans {
    pub daily_new: Vec<DailyNewFans>,
    pub generated_at: String,
    pub new_in_period: FanCounts,
    pub new_today_total: u64,
    pub per_creator: Vec<CreatorFans>,
    pub period: String,
    pub totals: FanCounts,
}

impl Endpoint for Fans {
    const PATH: &'static str = "api/dashboard/fans";
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FanCounts {
    pub free: u64,
    pub sub: u64,
    pub total: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DailyNewFans {
    pub at: String,
    pub new_free: u64,
    pub new_sub: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CreatorFans {
    pub free: u64,
    pub new_today: u64,
    pub profile_name: String,
    pub sub: u64,
    pub total: u64,
}
