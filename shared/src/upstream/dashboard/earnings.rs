//! `GET /api/dashboard/earnings`, projected onto the documented fields.

use serde::{Deserialize, Serialize};

use super::Endpoint;

/// Earnings from the payout database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Earnings {
    pub currency: String,
    pub daily: Vec<DailyEarnings>,
    pub generated_at: String,
    pub month: MonthTotals,
    pub per_creator: Vec<CreatorEarnings>,
    pub period: String,
    pub period_totals: GrossNet,
    pub transactions: Vec<Transaction>,
}

impl Endpoint for Earnings {
    const PATH: &'static str = "api/dashboard/earnings";
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GrossNet {
    pub gross: f64,
    pub net: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MonthTotals {
    pub fee: f64,
    pub gross: f64,
    pub net: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DailyEarnings {
    pub at: String,
    pub gross: f64,
    pub net: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Transaction {
    pub at: String,
    pub fan: String,
    pub gross: f64,
    pub kind: String,
    pub net: f64,
    pub profile_name: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CreatorEarnings {
    pub gross: f64,
    pub net: f64,
    pub profile_name: String,
}
