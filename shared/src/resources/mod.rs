//! MCP resources. The server has one: the dashboard view of the MCP Apps
//! extension (SEP-1865), which hosts that support the extension render in a
//! sandboxed iframe next to a data tool's result. Clients without it never
//! read it and see the tools' results unchanged.

mod dashboard;

use crate::protocol::resource::{self as wire, TextResourceContents};

pub use dashboard::DASHBOARD;

/// The mime type of an MCP Apps view: an HTML5 document.
pub const MCP_APP_MIME: &str = "text/html;profile=mcp-app";

/// A static text resource: its `resources/list` entry (which knows its
/// size) and its text.
pub struct Resource {
    pub listing: wire::Resource,
    pub text: &'static str,
}

impl Resource {
    /// The `resources/read` contents entry.
    pub fn contents(&self) -> TextResourceContents {
        TextResourceContents {
            uri: self.listing.uri,
            mime_type: self.listing.mime_type,
            text: self.text,
            meta: self.listing.meta,
        }
    }
}

/// Every resource, in the order `resources/list` shows them.
pub static ALL: &[&Resource] = &[&DASHBOARD];

/// Where the resource `uri` sits in [`ALL`].
pub fn position(uri: &str) -> Option<usize> {
    ALL.iter().position(|resource| resource.listing.uri == uri)
}

pub fn find(uri: &str) -> Option<&'static Resource> {
    position(uri).map(|index| ALL[index])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_is_a_ui_uri_with_the_mcp_app_mime_type() {
        for resource in ALL {
            let listing = &resource.listing;
            assert!(listing.uri.starts_with("ui://"), "{}", listing.uri);
            assert_eq!(listing.mime_type, MCP_APP_MIME);
            assert_eq!(listing.size, resource.text.len());
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
            find("ui://malgomo/dashboard").map(|r| r.listing.name),
            Some("dashboard")
        );
        assert!(find("ui://malgomo/other").is_none());
        assert!(find("").is_none());
    }
}
