//! `GET /api/dashboard/earnings`, projected onto the documented fields.

use serde::{Deserialize, Serialize};

use super::Endpoint;

/// Earnings from the payout database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Earnings {
    pub period: String,
    pub currency: String,
    pub period_totals: GrossNet,
    pub month: MonthTotals,
    pub daily: Vec<DailyEarnings>,
    pub transactions: Vec<Transaction>,
    pub per_creator: Vec<CreatorEarnings>,
    pub generated_at: String,
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
    pub gross: f64,
    pub net: f64,
    pub fee: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DailyEarnings {
    pub at: String,
    pub gross: f64,
    pub net: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Transaction {
    pub kind: String,
    pub title: String,
    pub fan: String,
    pub net: f64,
    pub gross: f64,
    pub at: String,
    pub profile_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CreatorEarnings {
    pub profile_name: String,
    pub gross: f64,
    pub net: f64,
}
