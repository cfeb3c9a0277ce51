//! The MCP tools: one file each, same shape (input type, definition,
//! `call`), the dashboard reads rows of one table (`dashboards.rs`); this
//! module is the registry. `tools/list`, the server's instructions, the docs
//! page, the login tool's hints and the tests read their tool names from
//! [`ALL`] ([`data_tool_names`] for the data tools).
//!
//! # Adding a data tool (say `malgomo_get_payouts`)
//!
//! 1. **Its upstream answer type**: `upstream/dashboard/payouts.rs`, a
//!    serde struct with `impl Endpoint` naming its path
//!    (`api/dashboard/payouts`), re-exported by `upstream::dashboard`.
//! 2. **Its row in the tools table**: a `Dashboard` static in
//!    `tools/dashboards.rs` (name, title, description — whose period
//!    sentence is `period_text!(glossed)` —, what it reads, the docs page's
//!    words) and its line in [`ALL`]. `tools/list`, the instructions, the
//!    docs page's tool section and every test that iterates the data tools
//!    follow.
//! 3. **The simulator's data and route** (`infra/sim`): the data in
//!    `src/data/`, its line in `endpoints!` (`src/endpoint.rs`: counter key
//!    and fault target) and its row in `DASHBOARDS` (`src/api/dashboard.rs`:
//!    route, endpoint and data; the handler is shared).
//! 4. **The view's panel**: `view/src/payouts.js`, its first line
//!    `// malgomo_get_payouts: …`, imported by `view/src/render.js`; then
//!    `scripts/build-view` rebuilds the document the server embeds.
//!
//! Each step is held by a test that iterates the registry: a data tool
//! without a simulator route fails the e2e `tools_flow` test (it calls
//! every data tool for every period), one without a panel fails
//! `the_view_has_a_panel_for_every_data_tool` below; the docs page's section
//! is generated from the row (`docs::tests::page_documents_every_registered_tool`).

/// The login tool's name as a literal, so that the messages that tell an
/// agent to call it (`concat!`) and the tool itself share one spelling.
macro_rules! login_name {
    () => {
        "malgomo_login"
    };
}

mod access;
mod annotations;
mod capped_earnings;
mod context;
mod credential;
mod dashboard;
mod dashboards;
mod login;
mod logout;
mod output;
mod schema;
mod status;

use async_trait::async_trait;
use serde_json::Value;

pub use context::Context;
pub use credential::Credential;
pub use login::NAME as LOGIN;
pub use login::STATELESS_LOGIN;
pub use logout::NAME as LOGOUT;
pub use output::{ToolFailure, ToolOutput};
pub use status::NAME as STATUS;

use crate::protocol::tool;

#[async_trait]
pub trait Tool: Send + Sync {
    fn name(&self) -> &'static str;

    /// The `tools/list` entry: name, title, description, schemas, annotations.
    fn definition(&self) -> tool::Tool;

    /// The docs page's words for this tool.
    fn docs(&self) -> Docs;

    /// What dashboard data the tool reads, as the server's instructions
    /// name it; `None` for a tool that reads none (sign-in tools).
    fn reads(&self) -> Option<&'static str> {
        None
    }

    /// The entry when the server signs users in at connect (mode A).
    fn definition_in_mode_a(&self) -> tool::Tool {
        self.definition()
    }

    async fn call(&self, cx: &mut Context<'_>, arguments: Value)
    -> Result<ToolOutput, ToolFailure>;

    /// What a call answers for the backend answer `body` (the contract
    /// parse, then the tool's shaping); `None` for a tool that reads no
    /// dashboard answer.
    fn project(&self, _body: &[u8]) -> Option<Result<ToolOutput, ToolFailure>> {
        None
    }
}

/// What the docs page says of a tool besides what its definition says (its
/// parameters come from the input schema, its fields from the output
/// schema). HTML, written here, never from input.
#[derive(Clone, Copy, Debug)]
pub struct Docs {
    /// One or two sentences: what it does.
    pub summary: &'static str,
    /// What it answers, for a tool without an output schema.
    pub returns: Option<&'static str>,
    /// A paragraph after the rest.
    pub note: Option<&'static str>,
}

/// Every tool, in the order `tools/list` shows them.
pub static ALL: &[&dyn Tool] = &[
    &login::Login,
    &status::Status,
    &logout::Logout,
    &dashboards::KPIS,
    &dashboards::FANS,
    &dashboards::EARNINGS,
];

/// What the data tool `name` answers for the backend answer `body` (the
/// contract parse, then the tool's projection), as a call would; `None` for
/// a tool that reads no dashboard answer. The fuzz targets' entry to the
/// projection, which a crafted backend answer must never make panic.
pub fn project_answer(name: &str, body: &[u8]) -> Option<Result<ToolOutput, ToolFailure>> {
    find(name)?.project(body)
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

/// The data tools as the instructions name them: "revenue KPIs
/// (malgomo_get_kpis), fan growth (malgomo_get_fans) and earnings (…)".
pub fn data_tools() -> String {
    let named: Vec<String> = ALL
        .iter()
        .filter_map(|tool| Some(format!("{} ({})", tool.reads()?, tool.name())))
        .collect();
    in_prose(&named, "and")
}

/// Items as prose names them: "a", "a and b", "a, b and c" (or another
/// `conjunction`).
pub fn in_prose(items: &[String], conjunction: &str) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The names of the data tools, in registry order.
pub fn data_tool_names() -> Vec<&'static str> {
    ALL.iter()
        .filter(|tool| tool.reads().is_some())
        .map(|tool| tool.name())
        .collect()
}

pub fn find(name: &str) -> Option<&'static dyn Tool> {
    ALL.iter().copied().find(|tool| tool.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_definitions_carry_them() {
        let mut names: Vec<&str> = ALL.iter().map(|tool| tool.name()).collect();
        for oauth in [false, true] {
            let defined: Vec<&str> = definitions(oauth).iter().map(|tool| tool.name).collect();
            assert_eq!(defined, names);
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
    }

    /// The view routes results by their shape, one panel file per data
    /// tool whose header names it (`// malgomo_get_kpis: …`), imported by
    /// `render.js`; a data tool without one would show "no dashboard data".
    #[test]
    fn the_view_has_a_panel_for_every_data_tool() {
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/../view/src");
        let read = |file: &str| std::fs::read_to_string(format!("{src}/{file}")).unwrap();
        let render = read("render.js");
        let files: Vec<String> = std::fs::read_dir(src)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|file| file.ends_with(".js"))
            .collect();
        for name in data_tool_names() {
            let panel = files
                .iter()
                .find(|file| read(file).starts_with(&format!("// {name}:")))
                .unwrap_or_else(|| panic!("view/src has no panel headed // {name}:"));
            assert!(
                render.contains(&format!("from \"./{panel}\"")),
                "render.js does not import {panel} ({name})"
            );
        }
        assert!(render.contains(LOGIN), "the view recognises the login hint");
    }

    #[test]
    fn data_tools_are_named_with_what_they_read() {
        assert_eq!(
            data_tools(),
            "revenue KPIs (malgomo_get_kpis), fan growth (malgomo_get_fans) and earnings (malgomo_get_earnings)"
        );
        assert_eq!(
            data_tool_names(),
            [
                "malgomo_get_kpis",
                "malgomo_get_fans",
                "malgomo_get_earnings"
            ]
        );
    }
}
