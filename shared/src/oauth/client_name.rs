//! A client's self-chosen name, as the sign-in page shows it. Anyone can
//! register any name, so the page marks it "not verified"; what this type
//! adds is that the name reads as what it is: no control characters, no
//! bidi controls that reorder it (U+202E turns "Claude\u{202E}gpj.exe"
//! around), no invisible format characters that hide or join letters, and
//! not so long that it pushes the rest of the page away.

use super::OAuthError;

/// The longest name accepted, in characters.
pub const MAX_CLIENT_NAME_CHARS: usize = 200;

/// A client name fit to show a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientName(String);

impl ClientName {
    /// Checks `raw`; `Ok(None)` for a blank name (the client stays unnamed).
    pub fn parse(raw: &str) -> Result<Option<Self>, OAuthError> {
        if raw.chars().count() > MAX_CLIENT_NAME_CHARS {
            return Err(OAuthError::invalid_client_metadata(format!(
                "client_name is longer than {MAX_CLIENT_NAME_CHARS} characters"
            )));
        }
        if let Some(bad) = raw.chars().find(|&c| is_hidden(c)) {
            return Err(OAuthError::invalid_client_metadata(format!(
                "client_name contains U+{:04X}, a control, bidi or format character",
                u32::from(bad)
            )));
        }
        let trimmed = raw.trim();
        Ok((!trimmed.is_empty()).then(|| Self(trimmed.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Characters that do not show as themselves: controls (Cc), the line and
/// paragraph separators, and every format character (Cf, which includes
/// the bidi embeddings, overrides, isolates and marks).
fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_format(c)
}

/// Unicode general category Cf (Unicode 15.1).
fn is_format(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_in_any_script_are_kept() {
        for name in [
            "Claude",
            "ChatGPT",
            "VS Code",
            "Cursor (Anysphere)",
            "日本語クライアント",
            "Ünïcødé ✓",
            "العربية",
        ] {
            assert_eq!(ClientName::parse(name).unwrap().unwrap().as_str(), name);
        }
        assert_eq!(
            ClientName::parse("  padded  ").unwrap().unwrap().as_str(),
            "padded"
        );
        assert_eq!(ClientName::parse("   ").unwrap(), None);
        assert!(ClientName::parse(&"x".repeat(MAX_CLIENT_NAME_CHARS)).is_ok());
    }

    #[test]
    fn hidden_characters_and_long_names_are_refused() {
        for c in [
            '\u{0}',
            '\n',
            '\t',
            '\u{7F}',
            '\u{85}',
            '\u{AD}',
            '\u{61C}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{202A}',
            '\u{202E}',
            '\u{2028}',
            '\u{2060}',
            '\u{2064}',
            '\u{2066}',
            '\u{2069}',
            '\u{FEFF}',
            '\u{E0041}',
        ] {
            let name = format!("Claude{c}x");
            let err = ClientName::parse(&name).unwrap_err();
            assert_eq!(
                err.code,
                "invalid_client_metadata",
                "U+{:04X}",
                u32::from(c)
            );
        }
        let err = ClientName::parse(&"x".repeat(MAX_CLIENT_NAME_CHARS + 1)).unwrap_err();
        assert_eq!(err.code, "invalid_client_metadata");
    }
}
