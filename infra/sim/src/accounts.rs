//! The fixed demo accounts (contract §3).
//!
//! They are plain data so that tests, the demo banner and the README all quote the same
//! table. A user's id is derived from the email, not drawn at random, so a JWT `sub` or an
//! `/api/me` `user_id` is the same on every run and in every process.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The `apikey` the demo sends; the simulator accepts any non-empty key.
pub const DEMO_ANON_KEY: &str = "demo-anon-key";

/// Agency id of "Agency A" (four creators).
pub const AGENCY_A: &str = "agency-a";
/// Agency id of "Agency B" (three creators).
pub const AGENCY_B: &str = "agency-b";

/// A user's role inside their agency, as `/api/me` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Member,
}

impl Role {
    /// The wire name (`owner`, `admin`, `member`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    /// Dashboard endpoints are for owners and admins only; members get 403.
    pub fn can_read_dashboard(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

/// One demo login.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Account {
    pub email: &'static str,
    pub password: &'static str,
    pub agency_id: &'static str,
    pub agency_name: &'static str,
    pub role: Role,
    /// An unconfirmed account answers the right password with `email_not_confirmed`.
    pub confirmed: bool,
    /// Fixed `created_at` of the Supabase user object (RFC 3339).
    pub created_at: &'static str,
}

impl Account {
    /// The stable Supabase user id (JWT `sub`, `/api/me` `user_id`).
    pub fn user_id(&self) -> Uuid {
        user_id(self.email)
    }
}

/// The demo accounts, in the order the banner prints them.
pub const ACCOUNTS: &[Account] = &[
    Account {
        email: "owner@agency-a.test",
        password: "owner-a-pass",
        agency_id: AGENCY_A,
        agency_name: "Agency A",
        role: Role::Owner,
        confirmed: true,
        created_at: "2026-01-05T09:00:00Z",
    },
    Account {
        email: "admin@agency-a.test",
        password: "admin-a-pass",
        agency_id: AGENCY_A,
        agency_name: "Agency A",
        role: Role::Admin,
        confirmed: true,
        created_at: "2026-01-06T09:00:00Z",
    },
    Account {
        email: "member@agency-a.test",
        password: "member-a-pass",
        agency_id: AGENCY_A,
        agency_name: "Agency A",
        role: Role::Member,
        confirmed: true,
        created_at: "2026-01-07T09:00:00Z",
    },
    Account {
        email: "owner@agency-b.test",
        password: "owner-b-pass",
        agency_id: AGENCY_B,
        agency_name: "Agency B",
        role: Role::Owner,
        confirmed: true,
        created_at: "2026-02-02T09:00:00Z",
    },
    Account {
        email: "unconfirmed@agency-a.test",
        password: "unconfirmed-pass",
        agency_id: AGENCY_A,
        agency_name: "Agency A",
        role: Role::Owner,
        confirmed: false,
        created_at: "2026-03-03T09:00:00Z",
    },
];

/// Finds an account by email. GoTrue compares emails case-insensitively, so do we.
pub fn find(email: &str) -> Option<&'static Account> {
    let wanted = email.trim();
    ACCOUNTS
        .iter()
        .find(|a| a.email.eq_ignore_ascii_case(wanted))
}

/// Deterministic user id for an email: the first 16 bytes of SHA-256 over a
/// namespaced, lower-cased email, shaped as a v4 UUID so it looks like GoTrue's ids.
pub fn user_id(email: &str) -> Uuid {
    let digest = Sha256::digest(format!(
        "malgomo-sim:user:{}",
        email.trim().to_ascii_lowercase()
    ));
    let mut bytes = [0u8; 16];
    for (slot, byte) in bytes.iter_mut().zip(digest.iter()) {
        *slot = *byte;
    }
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// The demo accounts as a fixed-width text table, for the start-up banner.
pub fn table() -> String {
    let mut out = format!(
        "{:<27} {:<18} {:<20} {}\n",
        "email", "password", "agency", "role"
    );
    for a in ACCOUNTS {
        let role = if a.confirmed {
            a.role.as_str().to_string()
        } else {
            format!("{} (email not confirmed)", a.role.as_str())
        };
        let agency = format!("{} ({})", a.agency_name, a.agency_id);
        out.push_str(&format!(
            "{:<27} {:<18} {:<20} {}\n",
            a.email, a.password, agency, role
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_is_case_insensitive() {
        assert_eq!(
            find(" Owner@Agency-A.test").map(|a| a.role),
            Some(Role::Owner)
        );
        assert!(find("nobody@agency-a.test").is_none());
    }

    #[test]
    fn user_ids_are_stable_and_distinct() {
        let a = user_id("owner@agency-a.test");
        assert_eq!(a, user_id("OWNER@agency-a.test"));
        assert_ne!(a, user_id("owner@agency-b.test"));
        assert_eq!(a.get_version_num(), 4);
    }

    #[test]
    fn table_lists_every_account() {
        let t = table();
        for a in ACCOUNTS {
            assert!(t.contains(a.email) && t.contains(a.password));
        }
        assert!(t.contains("email not confirmed"));
    }
}
