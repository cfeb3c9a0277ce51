//! What the server says about itself, the same in `initialize` and
//! `server/discover`: identity, capabilities, instructions.

use crate::protocol::Era;
use crate::protocol::lifecycle::{
    Extensions, Implementation, ResourcesCapability, ServerCapabilities, ToolsCapability,
    UiExtension,
};
use crate::resources::MCP_APP_MIME;
use crate::tools;

pub const INFO: Implementation = Implementation {
    name: "malgomo-mcp",
    title: "MalGomo dashboard",
    version: env!("CARGO_PKG_VERSION"),
};

/// Tools, the MCP Apps view as a resource (no subscriptions), and the MCP
/// Apps extension; nothing changes while the server runs.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        tools: ToolsCapability {
            list_changed: false,
        },
        resources: ResourcesCapability {
            list_changed: false,
            subscribe: false,
        },
        extensions: Extensions {
            ui: UiExtension {
                mime_types: &[MCP_APP_MIME],
            },
        },
    }
}

/// The instructions for a connection of `era`: with a session the login
/// tool works; without one only OAuth (mode A) or a bearer authenticates.
/// Tool names come from the registry.
pub fn instructions(era: Era, oauth: bool) -> String {
    let reads = format!(
        "Read the MalGomo agency dashboard: {}, each for period today (default), yesterday, 7d or 30d.",
        tools::data_tools()
    );
    let (login, status) = (tools::LOGIN, tools::STATUS);
    match (era, oauth) {
        (Era::Sessionful, _) => format!(
            "{reads} Log in first with {login} (email + password) unless the connection already carries a token; {status} tells whether you are logged in. Dashboard data is owner/admin only."
        ),
        (Era::Stateless, true) => format!(
            "{reads} Sign-in happens in the browser when the connector is added (OAuth); no login tool is needed. {status} tells who is signed in. Dashboard data is owner/admin only."
        ),
        (Era::Stateless, false) => format!(
            "{reads} Dashboard data is owner/admin only. {}",
            tools::STATELESS_LOGIN
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_name_the_registry_tools() {
        assert_eq!(
            instructions(Era::Sessionful, false),
            "Read the MalGomo agency dashboard: revenue KPIs (malgomo_get_kpis), fan growth (malgomo_get_fans) and earnings (malgomo_get_earnings), each for period today (default), yesterday, 7d or 30d. Log in first with malgomo_login (email + password) unless the connection already carries a token; malgomo_status tells whether you are logged in. Dashboard data is owner/admin only."
        );
        for oauth in [false, true] {
            let stateless = instructions(Era::Stateless, oauth);
            assert!(stateless.contains("malgomo_get_earnings"), "{stateless}");
            assert_eq!(stateless.contains(tools::STATELESS_LOGIN), !oauth);
        }
    }
}
