//! The documentation page for humans at `/` and `/docs`, and the dashboard
//! view with demo data it frames, at `/docs/dashboard`.
//!
//! The page is a static template (`docs/page.html`) with placeholders:
//! `TOOLS`, the tool section generated from the registry (`docs/tools.rs`);
//! tool names in the prose (`LOGIN`, `LOGOUT`, the data tools), from the
//! registry too, so the page never names a tool by hand; `CONFIG`, the
//! configuration table's rows, from [`crate::config::vars`]; and `BASE`, this
//! server's base URL. The base URL can come from the request's
//! `Host` header, so it is untrusted: it is escaped before it is filled in. The page's CSP allows inline styles and same-origin frames
//! only, so the template carries no scripts and loads nothing external.

mod tools;

use std::sync::LazyLock;

use crate::resources::DASHBOARD;
use crate::tools::ToolOutput;
use crate::upstream::dashboard::Kpis;
use crate::web::html::escape;

/// The page template.
const TEMPLATE: &str = include_str!("docs/page.html");

/// The page's policy: no script, nothing external, never framed; it frames
/// only the dashboard demo of its own origin.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The demo's policy: the view's inline script and styles and nothing else
/// (it loads nothing), framed only by this origin's docs page.
pub const DEMO_CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/// A `malgomo_get_kpis` answer of the simulator (one day), for the demo.
const DEMO_KPIS: &str = include_str!("docs/demo-kpis.json");

/// Where the escaped base URL goes in [`TEMPLATE`].
const BASE: &str = "{{BASE}}";

/// Where the generated tool section goes in [`TEMPLATE`].
const TOOLS: &str = "{{TOOLS}}";

/// The template with its tool section and tool names, built once.
static WITH_TOOLS: LazyLock<String> = LazyLock::new(|| {
    let data = crate::tools::data_tool_names();
    TEMPLATE
        .replace(TOOLS, &tools::section())
        .replace("{{LOGIN}}", crate::tools::LOGIN)
        .replace("{{LOGOUT}}", crate::tools::LOGOUT)
        .replace("{{DATA_TOOLS_OR}}", &code_list(&data, "or"))
        .replace("{{DATA_TOOLS_AND}}", &code_list(&data, "and"))
        .replace(CONFIG, &config_rows())
});

/// Where the configuration table's rows go in [`TEMPLATE`].
const CONFIG: &str = "{{CONFIG}}";

/// The configuration table's rows, one per variable the page shows, from
/// the one table of variables.
fn config_rows() -> String {
    crate::config::vars::ALL
        .iter()
        .filter_map(|var| {
            let row = var.page?;
            Some(format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
                var.name, row.meaning, row.default
            ))
        })
        .collect()
}

/// `<code>a</code>, <code>b</code> or <code>c</code>`.
fn code_list(names: &[&str], conjunction: &str) -> String {
    let coded: Vec<String> = names
        .iter()
        .map(|name| format!("<code>{name}</code>"))
        .collect();
    crate::tools::in_prose(&coded, conjunction)
}

/// The page, with `base_url` filled into the connect instructions.
pub fn page(base_url: &str) -> String {
    WITH_TOOLS.replace(BASE, &escape(base_url))
}

/// The dashboard view (the very document MCP Apps hosts render) with a demo
/// result in it: the view renders a `<script id="demo-result">` it finds
/// instead of waiting for a host. The result is built the way the tool
/// builds it, from typed KPIs, so the demo cannot drift from the tool.
pub fn dashboard_demo() -> String {
    let result = serde_json::from_str::<Kpis>(DEMO_KPIS)
        .ok()
        .and_then(|kpis| ToolOutput::structured(&kpis).ok())
        .and_then(|output| serde_json::to_string(&output.into_result()).ok());
    match result {
        // `<` only occurs inside JSON strings, where `\u003c` means the same
        // and cannot close the script element.
        Some(json) => DASHBOARD.text.replacen(
            "</head>",
            &format!(
                "<script type=\"application/json\" id=\"demo-result\">{}</script>\n</head>",
                json.replace('<', "\\u003c")
            ),
            1,
        ),
        None => DASHBOARD.text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE_URL: &str = "https://mcp.example.com";

    #[test]
    fn page_is_an_html5_document_with_the_required_head() {
        let html = page(BASE_URL);
        assert!(html.starts_with("<!doctype html>"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("<meta name=\"viewport\""));
        assert!(html.contains("<title>MalGomo MCP server</title>"));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn page_fills_every_placeholder() {
        let html = page(BASE_URL);
        assert!(!html.contains("{{"), "a placeholder is left in the page");
        assert!(html.contains(
            "Call <code>malgomo_get_kpis</code>, <code>malgomo_get_fans</code> or <code>malgomo_get_earnings</code>."
        ));
        assert!(html.contains("with the <code>malgomo_login</code> tool"));
    }

    #[test]
    fn page_documents_every_registered_tool() {
        let html = page(BASE_URL);
        for tool in crate::tools::ALL {
            let name = tool.name();
            assert!(
                html.contains(&format!("<div class=\"tool\" id=\"{name}\">")),
                "{name} has no section in docs/page.html"
            );
        }
    }

    #[test]
    fn page_names_every_environment_variable_it_shows() {
        let html = page(BASE_URL);
        let shown = crate::config::vars::ALL
            .iter()
            .filter(|var| var.page.is_some());
        for var in shown {
            let name = var.name;
            assert!(html.contains(&format!("<td><code>{name}</code>")), "{name}");
        }
        assert!(html.contains("<tr><td><code>OAUTH_ACCESS_TOKEN_TTL_SECS</code>"));
    }

    #[test]
    fn page_lists_every_period() {
        let html = page(BASE_URL);
        for period in ["today", "yesterday", "7d", "30d"] {
            assert!(
                html.contains(&format!("<td><code>{period}</code>")),
                "{period}"
            );
        }
    }

    #[test]
    fn page_lists_every_endpoint() {
        let html = page(BASE_URL);
        for endpoint in [
            "POST /mcp",
            "GET /mcp",
            "DELETE /mcp",
            "GET /healthz",
            "GET /docs",
            "GET /docs/dashboard",
            "/authorize",
            "/oauth/login",
            "/token",
            "/register",
            "/revoke",
            "/.well-known/oauth-authorization-server",
            "/.well-known/oauth-protected-resource/mcp",
        ] {
            assert!(
                html.contains(&format!("<code>{endpoint}</code>")),
                "{endpoint}"
            );
        }
    }

    #[test]
    fn page_fills_in_the_base_url() {
        let html = page(BASE_URL);
        assert!(html.contains("<code>https://mcp.example.com/mcp</code>"));
        assert!(html.contains("curl -i -X POST https://mcp.example.com/mcp"));
        assert!(!html.contains(BASE), "a placeholder was left unfilled");
    }

    #[test]
    fn page_escapes_a_hostile_base_url() {
        let html = page("http://evil\"'<script>alert(1)</script>&");
        assert!(!html.contains("<script"));
        assert!(
            html.contains("http://evil&quot;&#39;&lt;script&gt;alert(1)&lt;/script&gt;&amp;/mcp")
        );
    }

    #[test]
    fn template_has_no_scripts_or_external_resources() {
        let lower = TEMPLATE.to_ascii_lowercase();
        for banned in ["<script", "<link", "<img", "@import", "url("] {
            assert!(!lower.contains(banned), "{banned}");
        }
        assert_eq!(lower.matches("<iframe").count(), 1, "only the demo view");
        assert!(
            lower.contains(
                "<iframe class=\"view\" src=\"/docs/dashboard\" sandbox=\"allow-scripts\""
            )
        );
    }

    #[test]
    fn demo_is_the_view_with_a_kpis_result_before_its_script() {
        let html = dashboard_demo();
        let demo = html
            .find("id=\"demo-result\">")
            .expect("the demo result is embedded");
        let script = html.find("<script>").expect("the view's script");
        assert!(demo < script, "the result is in place before the view runs");
        let start = demo + "id=\"demo-result\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let result: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(result["isError"], false);
        let kpis: Kpis = serde_json::from_value(result["structuredContent"].clone()).unwrap();
        assert!(kpis.hero_net_eur > 0.0 && !kpis.per_creator.is_empty());
    }
}
