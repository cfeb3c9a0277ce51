//! `malgomo_get_fans`: fan growth across the agency.

use async_trait::async_trait;
use serde_json::Value;

use super::schema::output_schema;
use super::{Context, Docs, Tool, ToolFailure, ToolOutput, dashboard};
use crate::upstream::dashboard::Fans;

pub struct GetFans;

#[async_trait]
impl Tool for GetFans {
    fn name(&self) -> &'static str {
        "malgomo_get_fans"
    }

    fn docs(&self) -> Docs {
        Docs {
            summary: "Fan growth across the agency.",
            returns: None,
            note: None,
        }
    }

    fn reads(&self) -> Option<&'static str> {
        Some("fan growth")
    }

    fn definition(&self) -> crate::protocol::tool::Tool {
        dashboard::definition(
            self.name(),
            "MalGomo fan growth",
            "Fan growth across the agency: total fans (free and subscribed), new fans today and in the period, daily new fans, and per-creator counts. period: today (default), yesterday, 7d (this week) or 30d (this month). Owner/admin only; requires login.",
            output_schema::<Fans>(),
        )
    }

    async fn call(&self, cx: &mut Context<'_>, args: Value) -> Result<ToolOutput, ToolFailure> {
        dashboard::run(
            cx,
            args,
            |api, token, period| async move { api.fans(&token, period).await },
            std::convert::identity,
        )
        .await
    }
}
