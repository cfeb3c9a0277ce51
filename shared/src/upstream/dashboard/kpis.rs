//! `GET /api/dashboard/kpis`, projected onto the documented fields.

use serde::{Deserialize, Serialize};

use super::Endpoint;

/// Agency-wide net payout revenue for the period. Unknown fields of the
/// backend's answer are dropped on parse; a missing one is an error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Kpis {
    pub creator_count: u64,
    pub currency: String,
    pub daily_revenue_current: Vec<DailyRevenue>,
    pub hero_net_eur: f64,
    pub hourly_revenue_current: Vec<HourlyRevenue>,
    pub kpi_period: String,
    pub latest_fetched_at: String,
    pub mobile_period: String,
    pub per_creator: Vec<CreatorNet>,
    pub revenue_by_category_eur: RevenueByCategory,
}

impl Endpoint for Kpis {
    const PATH: &'static str = "api/dashboard/kpis";
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RevenueByCategory {
    pub messages: f64,
    pub posts: f64,
    pub referrals: f64,
    pub streams: f64,
    pub subscriptions: f64,
    pub tips: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HourlyRevenue {
    pub hour: u8,
    pub net_eur: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DailyRevenue {
    pub at: String,
    pub net_eur: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CreatorNet {
    pub net_eur: f64,
    pub profile_name: String,
}
