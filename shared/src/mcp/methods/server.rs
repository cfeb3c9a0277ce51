//! What the server says about itself, the same in `initialize` and
//! `server/discover`: identity, capabilities, instructions.

use super::icon;
use crate::domain::{PRODUCT_WEBSITE, period_text};
use crate::mcp::SignIn;
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
    description: "Read your MalGomo agency dashboard: revenue KPIs, fan growth and earnings per creator, for today, yesterday, 7 or 30 days; owner/admin accounts only, read-only.",
    icons: &[icon::ICON],
    website_url: PRODUCT_WEBSITE,
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

/// The instructions for a connection of `era`, for a caller who signs in
/// as `sign_in`: each says the one way this caller can log in. Tool names
/// come from the registry.
pub fn instructions(era: Era, sign_in: SignIn) -> String {
    let reads = format!(
        "Read the MalGomo agency dashboard: {}, each for period {}.",
        tools::data_tools(),
        period_text!(short)
    );
    let (login, status) = (tools::LOGIN, tools::STATUS);
    let owners = "Dashboard data is owner/admin only.";
    match (era, sign_in) {
        (Era::Sessionful, SignIn::LoginTool) => format!(
            "{reads} Log in first with {login} (email + password); {status} tells whether you are logged in. {owners}"
        ),
        (Era::Stateless, SignIn::LoginTool) => format!(
            "{reads} {owners} To sign in, open an MCP session (initialize with one of the versions listed) and log in with {login} (email + password), or send Authorization: Bearer <MalGomo access token> with every request, which is also served over 2026-07-28."
        ),
        (_, SignIn::Bearer) => format!(
            "{reads} This connection is signed in by its Authorization: Bearer token; no login is needed. {status} tells who is signed in. {owners}"
        ),
        (_, SignIn::OAuth) => format!(
            "{reads} Sign-in happens in the browser when the connector is added (OAuth); no login tool is needed. {status} tells who is signed in. {owners}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_name_the_registry_tools() {
        assert_eq!(
            instructions(Era::Sessionful, SignIn::LoginTool),
            "Read the MalGomo agency dashboard: revenue KPIs (malgomo_get_kpis), fan growth (malgomo_get_fans) and earnings (malgomo_get_earnings), each for period today (default), yesterday, 7d or 30d. Log in first with malgomo_login (email + password); malgomo_status tells whether you are logged in. Dashboard data is owner/admin only."
        );
    }

    #[test]
    fn each_caller_is_told_the_one_way_it_signs_in() {
        for era in [Era::Sessionful, Era::Stateless] {
            let login = instructions(era, SignIn::LoginTool);
            assert!(
                login.contains("malgomo_login (email + password)"),
                "{login}"
            );
            let bearer = instructions(era, SignIn::Bearer);
            assert!(bearer.contains("no login is needed"), "{bearer}");
            let oauth = instructions(era, SignIn::OAuth);
            assert!(
                oauth.contains("OAuth") && !oauth.contains("password"),
                "{oauth}"
            );
            for text in [login, bearer, oauth] {
                assert!(text.contains("malgomo_get_earnings"), "{text}");
            }
        }
        let discover = instructions(Era::Stateless, SignIn::LoginTool);
        assert!(discover.contains("initialize") && discover.contains("Authorization: Bearer"));
    }
}
