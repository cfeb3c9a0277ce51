//! An email address as the login form and the login tool accept it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A syntactically plausible email, trimmed and lower-cased (Supabase matches
/// emails case-insensitively). Whether it exists is the upstream's business.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid email: {reason}")]
pub struct InvalidEmail {
    pub reason: &'static str,
}

impl Email {
    /// Longest address RFC 5321 lets through a mail path.
    const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let value = raw.trim();
        let fail = |reason| Err(InvalidEmail { reason });
        if value.is_empty() {
            return fail("it is empty");
        }
        if value.len() > Self::MAX_LEN {
            return fail("it is longer than 254 characters");
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return fail("it contains whitespace");
        }
        let Some((local, domain)) = value.split_once('@') else {
            return fail("it has no @");
        };
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return fail("it must look like name@domain");
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return fail("its domain must contain a dot, like agency.com");
        }
        Ok(Self(value.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidEmail;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises_valid_addresses() {
        let email = Email::parse("  Owner@Agency-A.test ").unwrap();
        assert_eq!(email.as_str(), "owner@agency-a.test");
    }

    #[test]
    fn refuses_malformed_addresses() {
        for bad in [
            "",
            "   ",
            "owner",
            "@agency.test",
            "owner@",
            "owner@agency",
            "a@b@c.test",
            "own er@agency.test",
            "owner@.test",
            "owner@agency.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} must be refused");
        }
        let long = format!("{}@agency.test", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }
}
