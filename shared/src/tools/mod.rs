//! The MCP tools: one file each, same shape (input type, schema, `call`);
//! this module is only the registry.

mod access;
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

pub use login::NAME as LOGIN;
pub use login::STATELESS_LOGIN;
pub use output::{ToolFailure, ToolOutput};

use crate::mcp::Call;

#[async_trait]
pub trait Tool: Send + Sync {
    fn name(&self) -> &'static str;

    /// The `tools/list` entry: name, title, description, schemas, annotations.
    fn definition(&self) -> Value;

    /// The entry when the server signs users in at connect (mode A).
    fn definition_in_mode_a(&self) -> Value {
        self.definition()
    }

    async fn call(&self, call: &mut Call<'_>, arguments: Value) -> Result<ToolOutput, ToolFailure>;
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

pub fn find(name: &str) -> Option<&'static dyn Tool> {
    ALL.iter().copied().find(|tool| tool.name() == name)
}
