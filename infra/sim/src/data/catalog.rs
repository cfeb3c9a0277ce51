//! The fixed cast: creators per agency, transaction kinds, fan names.

use crate::accounts::{AGENCY_A, AGENCY_B};

/// One creator profile managed by an agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Creator {
    /// Internal id (an internal field in answers, dropped by the client).
    pub creator_id: &'static str,
    pub profile_name: &'static str,
    /// Free fans at the start of the dataset's epoch (January 2024).
    pub base_free: u64,
    /// Subscribed fans at the start of the epoch.
    pub base_sub: u64,
}

const AGENCY_A_CREATORS: [Creator; 4] = [
    Creator {
        creator_id: "cr_a1_7f3e",
        profile_name: "luna_a",
        base_free: 12_400,
        base_sub: 1_850,
    },
    Creator {
        creator_id: "cr_a2_91bc",
        profile_name: "mila_a",
        base_free: 8_300,
        base_sub: 990,
    },
    Creator {
        creator_id: "cr_a3_02d4",
        profile_name: "nova_a",
        base_free: 15_100,
        base_sub: 2_400,
    },
    Creator {
        creator_id: "cr_a4_5a77",
        profile_name: "zoe_a",
        base_free: 4_200,
        base_sub: 510,
    },
];

const AGENCY_B_CREATORS: [Creator; 3] = [
    Creator {
        creator_id: "cr_b1_c0de",
        profile_name: "aria_b",
        base_free: 9_900,
        base_sub: 1_300,
    },
    Creator {
        creator_id: "cr_b2_f00d",
        profile_name: "jade_b",
        base_free: 6_700,
        base_sub: 820,
    },
    Creator {
        creator_id: "cr_b3_beef",
        profile_name: "rose_b",
        base_free: 11_000,
        base_sub: 1_600,
    },
];

/// The creators of an agency, in their fixed order (empty for an unknown agency).
pub fn creators(agency: &str) -> &'static [Creator] {
    match agency {
        AGENCY_A => &AGENCY_A_CREATORS,
        AGENCY_B => &AGENCY_B_CREATORS,
        _ => &[],
    }
}

/// What a transaction paid for; also the revenue category it counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Subscription,
    Tip,
    Message,
    Post,
    Stream,
    Referral,
}

impl Kind {
    /// In the order of `revenue_by_category_eur`.
    pub const ALL: [Kind; 6] = [
        Kind::Subscription,
        Kind::Tip,
        Kind::Message,
        Kind::Post,
        Kind::Stream,
        Kind::Referral,
    ];

    /// Transaction `kind` on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Subscription => "subscription",
            Kind::Tip => "tip",
            Kind::Message => "message",
            Kind::Post => "post",
            Kind::Stream => "stream",
            Kind::Referral => "referral",
        }
    }

    /// Key in `revenue_by_category_eur`.
    pub fn category(self) -> &'static str {
        match self {
            Kind::Subscription => "subscriptions",
            Kind::Tip => "tips",
            Kind::Message => "messages",
            Kind::Post => "posts",
            Kind::Stream => "streams",
            Kind::Referral => "referrals",
        }
    }

    /// Position in `ALL`.
    pub fn index(self) -> usize {
        match self {
            Kind::Subscription => 0,
            Kind::Tip => 1,
            Kind::Message => 2,
            Kind::Post => 3,
            Kind::Stream => 4,
            Kind::Referral => 5,
        }
    }

    /// Picks a kind from a roll in `0..100` (subscriptions and messages dominate).
    pub fn from_roll(roll: u64) -> Kind {
        match roll {
            0..30 => Kind::Subscription,
            30..50 => Kind::Tip,
            50..75 => Kind::Message,
            75..85 => Kind::Post,
            85..95 => Kind::Stream,
            _ => Kind::Referral,
        }
    }

    pub fn titles(self) -> &'static [&'static str] {
        match self {
            Kind::Subscription => &["Monthly subscription", "Subscription renewal"],
            Kind::Tip => &["Tip", "Tip on post"],
            Kind::Message => &["PPV message", "Paid message unlock"],
            Kind::Post => &["Post unlock", "Bundle unlock"],
            Kind::Stream => &["Live stream tip", "Stream ticket"],
            Kind::Referral => &["Referral bonus"],
        }
    }

    /// Gross price range in units of 5 cents (so 80 % net is always whole cents).
    pub fn gross_nickels(self) -> (u64, u64) {
        match self {
            Kind::Subscription => (199, 599),
            Kind::Tip => (100, 2000),
            Kind::Message => (60, 800),
            Kind::Post => (100, 500),
            Kind::Stream => (40, 1000),
            Kind::Referral => (20, 400),
        }
    }
}

/// Fan display names used in transactions.
pub const FANS: &[&str] = &[
    "night_owl_77",
    "berlin_bear",
    "sunny_k",
    "marco.p",
    "lil_jo",
    "the_real_tom",
    "anon_4521",
    "velvet_fan",
    "kai_88",
    "pixel_pete",
    "mr_smith",
    "happy_hippo",
    "blue_jay",
    "f.dupont",
    "nico_v",
    "zeta_prime",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agencies_have_distinct_creators() {
        assert_eq!(creators(AGENCY_A).len(), 4);
        assert_eq!(creators(AGENCY_B).len(), 3);
        assert!(creators("agency-z").is_empty());
        for a in creators(AGENCY_A) {
            assert!(
                creators(AGENCY_B)
                    .iter()
                    .all(|b| b.profile_name != a.profile_name)
            );
        }
    }

    #[test]
    fn kind_index_matches_all() {
        for (i, k) in Kind::ALL.iter().enumerate() {
            assert_eq!(k.index(), i);
        }
    }
}
