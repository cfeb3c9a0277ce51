//! The server's icon, which clients and the hosts' connector directories
//! show beside its name: a small SVG (bars of a dashboard) carried inline as
//! a `data:` URI, so showing it loads nothing from anywhere.

use crate::protocol::lifecycle::Icon;

/// The drawing, as the `data:` URI below encodes it.
#[cfg(test)]
const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#4f46e5"/><path fill="#fff" d="M14 50V30h9v20zm13 0V14h9v36zm13 0V24h9v26z"/></svg>"##;

/// `SVG` base64-encoded (a literal, so that the server info stays a
/// constant; the test below proves the two agree).
pub const ICON: Icon = Icon {
    src: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCA2NCA2NCI+PHJlY3Qgd2lkdGg9IjY0IiBoZWlnaHQ9IjY0IiByeD0iMTQiIGZpbGw9IiM0ZjQ2ZTUiLz48cGF0aCBmaWxsPSIjZmZmIiBkPSJNMTQgNTBWMzBoOXYyMHptMTMgMFYxNGg5djM2em0xMyAwVjI0aDl2MjZ6Ii8+PC9zdmc+",
    mime_type: "image/svg+xml",
    sizes: &["any"],
};

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn the_data_uri_encodes_the_svg() {
        let encoded = ICON
            .src
            .strip_prefix("data:image/svg+xml;base64,")
            .expect("a base64 SVG data URI");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .expect("base64");
        assert_eq!(decoded, SVG.as_bytes());
        assert!(!SVG.contains("href"), "references nothing outside");
    }
}
