//! MCP resources. The server has one: the dashboard view of the MCP Apps
//! extension (SEP-1865), which hosts that support the extension render in a
//! sandboxed iframe next to a data tool's result. Clients without it never
//! read it and see the tools' results unchanged.

mod dashboard;

use crate::protocol::resource::{self as wire, ResourceMeta, TextResourceContents};

pub use dashboard::DASHBOARD;

/// The MCP Apps extension's identifier, declared in our capabilities.
pub const UI_EXTENSION: &str = "io.modelcontextprotocol/ui";

/// The mime type of an MCP Apps view: an HTML5 document.
pub const MCP_APP_MIME: &str = "text/html;profile=mcp-app";

/// A static text resource.
pub struct Resource {
    pub uri: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub mime_type: &'static str,
    pub text: &'static str,
    /// `_meta` of the listing and of the contents (for a view: `ui`, the
    /// CSP it needs and its border preference).
    pub meta: Option<ResourceMeta>,
}

impl Resource {
    /// The `resources/list` entry.
    pub fn listing(&self) -> wire::Resource {
        wire::Resource {
            uri: self.uri,
            name: self.name,
            title: self.title,
            description: self.description,
            mime_type: self.mime_type,
            size: self.text.len(),
            meta: self.meta,
        }
    }

    /// The `resources/read` contents entry.
    pub fn contents(&self) -> TextResourceContents {
        TextResourceContents {
            uri: self.uri,
            mime_type: self.mime_type,
            text: self.text,
            meta: self.meta,
        }
    }
}

/// Every resource, in the order `resources/list` shows them.
pub static ALL: [&Resource; 1] = [&DASHBOARD];

pub fn find(uri: &str) -> Option<&'static Resource> {
    ALL.iter().copied().find(|resource| resource.uri == uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_is_a_ui_uri_with_the_mcp_app_mime_type() {
        for resource in ALL {
            assert!(resource.uri.starts_with("ui://"), "{}", resource.uri);
            assert_eq!(resource.mime_type, MCP_APP_MIME);
            assert!(
                resource.text.starts_with("<!doctype html>"),
                "an HTML5 document"
            );
            assert!(resource.text.trim_end().ends_with("</html>"));
        }
    }

    #[test]
    fn find_knows_the_dashboard_and_nothing_else() {
        assert_eq!(
            find("ui://malgomo/dashboard").map(|r| r.name),
            Some("dashboard")
        );
        assert!(find("ui://malgomo/other").is_none());
        assert!(find("").is_none());
    }
}
