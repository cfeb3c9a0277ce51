//! A user's role inside their agency, as the backend reports it.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Member,
}

impl Role {
    /// Dashboard data is owner/admin only; the backend enforces it, and the
    /// server uses this to word the `forbidden` answer.
    pub fn can_read_dashboard(self) -> bool {
        matches!(self, Self::Owner | Self::Admin)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Member => "member",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_owner_and_admin_read_the_dashboard() {
        assert!(Role::Owner.can_read_dashboard());
        assert!(Role::Admin.can_read_dashboard());
        assert!(!Role::Member.can_read_dashboard());
    }

    #[test]
    fn unknown_role_is_refused() {
        assert_eq!(
            serde_json::from_str::<Role>("\"admin\"").unwrap(),
            Role::Admin
        );
        assert!(serde_json::from_str::<Role>("\"superuser\"").is_err());
    }
}
