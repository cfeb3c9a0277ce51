//! The MCP tools: one file each, same shape (input type, schema, `call`);
//! this module is only the registry.

mod access;
mod annotations;
mod context;
mod dashboard;
mod get_earnings;
mod get_fans;
mod get_kpis;
mod login;
mod logout;
mod output;
mod schema;
mod status;

use async_trait::async_trait;
use serde_json::Value;

pub use context::Context;
pub use login::NAME as LOGIN;
pub use login::STATELESS_LOGIN;
pub use output::{ToolFailure, ToolOutput};

use crate::protocol::tool;

#[async_trait]
pub trait Tool: Send + Sync {
    fn name(&self) -> &'static str;

    /// The `tools/list` entry: name, title, description, schemas, annotations.
    fn definition(&self) -> tool::Tool;

    /// The entry when the server signs users in at connect (mode A).
    fn definition_in_mode_a(&self) -> tool::Tool {
        self.definition()
    }

    async fn call(&self, cx: &mut Context<'_>, arguments: Value)
    -> Result<ToolOutput, ToolFailure>;
}

/// Every tool, in the order `tools/list` shows them.
pub static ALL: [&dyn Tool; 6] = [
    &login::Login,
    &status::Status,
    &logout::Logout,
    &get_kpis::GetKpis,
    &get_fans::GetFans,
    &get_earnings::GetEarnings,
];

/// What the data tool `name` answers for the backend answer `body` (the
/// contract parse, then the tool's projection), as a call would; `None` for
/// a tool that reads no dashboard answer. The fuzz targets' entry to the
/// projection, which a crafted backend answer must never make panic.
pub fn project_answer(name: &str, body: &[u8]) -> Option<Result<ToolOutput, ToolFailure>> {
    use crate::upstream::dashboard::{Fans, Kpis};
    Some(match name {
        "malgomo_get_kpis" => dashboard::project::<Kpis, _>(body, std::convert::identity),
        "malgomo_get_fans" => dashboard::project::<Fans, _>(body, std::convert::identity),
        "malgomo_get_earnings" => get_earnings::project(body),
        _ => return None,
    })
}

/// Every tool's `tools/list` entry, in order, for mode A (`oauth`) or B.
pub fn definitions(oauth: bool) -> Vec<tool::Tool> {
    ALL.iter()
        .map(|tool| {
            if oauth {
                tool.definition_in_mode_a()
            } else {
                tool.definition()
            }
        })
        .collect()
}

pub fn find(name: &str) -> Option<&'static dyn Tool> {
    ALL.iter().copied().find(|tool| tool.name() == name)
}
