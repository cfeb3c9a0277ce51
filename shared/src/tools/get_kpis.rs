//! `malgomo_get_kpis`: agency-wide net payout revenue for the period.

use async_trait::async_trait;
use serde_json::Value;

use super::schema::output_schema;
use super::{Context, Docs, Tool, ToolFailure, ToolOutput, dashboard};
use crate::upstream::dashboard::Kpis;

pub struct GetKpis;

#[async_trait]
impl Tool for GetKpis {
    fn name(&self) -> &'static str {
        "malgomo_get_kpis"
    }

    fn docs(&self) -> Docs {
        Docs {
            summary: "Agency-wide net payout revenue for the chosen period.",
            returns: None,
            note: None,
        }
    }

    fn reads(&self) -> Option<&'static str> {
        Some("revenue KPIs")
    }

    fn definition(&self) -> crate::protocol::tool::Tool {
        dashboard::definition(
            self.name(),
            "MalGomo revenue KPIs",
            "Agency-wide net payout revenue (EUR) for a period: the headline net figure (hero_net_eur), revenue by category (subscriptions, tips, messages, posts, streams, referrals), hourly and daily revenue curves, and net revenue per creator. period: today (default), yesterday, 7d (this week) or 30d (this month). Owner/admin only; requires login.",
            output_schema::<Kpis>(),
        )
    }

    async fn call(&self, cx: &mut Context<'_>, args: Value) -> Result<ToolOutput, ToolFailure> {
        dashboard::run(
            cx,
            args,
            |api, token, period| async move { api.kpis(&token, period).await },
            std::convert::identity,
        )
        .await
    }
}
