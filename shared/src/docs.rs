//! The documentation page for humans at `/` and `/docs`.

/// The page, with `base_url` filled into the connect instructions.
pub fn page(base_url: &str) -> String {
    let base = escape(base_url);
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>MalGomo MCP server</title></head><body><h1>MalGomo MCP server</h1><p>Connect your MCP client to <code>{base}/mcp</code>.</p></body></html>"
    )
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
