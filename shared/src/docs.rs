//! The documentation page for humans at `/` and `/docs`.
//!
//! The page is a static template (`docs/page.html`) with one placeholder,
//! [`BASE`], for this server's base URL. The base URL can come from the
//! request's `Host` header, so it is untrusted: it is escaped before it is
//! filled in. The response's CSP allows inline styles only, so the template
//! carries no scripts and loads nothing external.

/// The page template.
const TEMPLATE: &str = include_str!("docs/page.html");

/// Where the escaped base URL goes in [`TEMPLATE`].
const BASE: &str = "{{BASE}}";

/// The page, with `base_url` filled into the connect instructions.
pub fn page(base_url: &str) -> String {
    TEMPLATE.replace(BASE, &escape(base_url))
}

/// HTML-escapes text for element content and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
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
    fn page_names_every_tool() {
        let html = page(BASE_URL);
        for tool in [
            "malgomo_login",
            "malgomo_status",
            "malgomo_logout",
            "malgomo_get_kpis",
            "malgomo_get_fans",
            "malgomo_get_earnings",
        ] {
            assert!(html.contains(&format!("<code>{tool}</code>")), "{tool}");
        }
    }

    #[test]
    fn page_names_every_environment_variable() {
        let html = page(BASE_URL);
        for var in [
            "MALGOMO_API_BASE",
            "SUPABASE_URL",
            "SUPABASE_ANON_KEY",
            "PUBLIC_URL",
            "MALGOMO_API_TOKEN",
            "MALGOMO_SINGLE_TENANT",
            "ALLOWED_ORIGINS",
            "ALLOWED_HOSTS",
            "MAX_SESSIONS",
            "SESSION_TTL_MS",
            "PORT",
            "DYNAMODB_TABLE",
            "AWS_ENDPOINT_URL_DYNAMODB",
        ] {
            assert!(html.contains(&format!("<td><code>{var}</code>")), "{var}");
        }
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
        for banned in ["<script", "<link", "<img", "<iframe", "@import", "url("] {
            assert!(!lower.contains(banned), "{banned}");
        }
    }

    #[test]
    fn escape_covers_the_five_html_specials() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("plain text"), "plain text");
    }
}
