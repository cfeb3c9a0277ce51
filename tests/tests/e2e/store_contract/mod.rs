//! The storage contract, run once per backend: every case below is a test
//! of its own in `store_contract::memory` and in `store_contract::dynamo`
//! (moto on loopback), so one failing backend never hides the other. A new
//! backend passes this suite by adding one line at the bottom.
//!
//! First the record contract ([`RecordStore`]) itself, then sessions kept
//! through it ([`StoredSessions`]): Absent / Ended / Live, tombstones,
//! expiry on read, conditional updates, and sealing — the bytes a backend
//! holds never show a token, an email or the id.
//!
//! The two race cases (many writers on one version, many creators of one
//! id) run on the memory store only: they test the backend's atomicity,
//! which for DynamoDB is DynamoDB's own, and moto cannot stand in for it —
//! its server handles requests on threads with no lock around a
//! conditional write, so two racers can both win there (seen about once in
//! fifteen loaded runs). That the DynamoDB backend sends the conditions is
//! what the sequential cases check (a stale version, a second create).
//!
//! One file a part: the record contract (`records.rs`), sessions through
//! it (`sessions.rs`), sealing (`sealing.rs`), the races (`races.rs`);
//! the suite and the fixtures the parts and `store.rs` share are here.

mod races;
mod records;
mod sealing;
mod sessions;

use races::*;
use records::*;
use sealing::*;
use sessions::*;

use std::sync::Arc;

use malgomo::domain::{Role, Secret};
use malgomo::protocol::ProtocolVersion;
use malgomo::session::{Login, SessionId, SessionKey, SessionRecord, StoredSessions, Versioned};
use malgomo::store::RecordStore;
use malgomo::upstream::{Me, TokenSet};

/// A fixed "now" (Unix ms) for the store calls; the stores take time as an
/// argument, so no clock is involved.
pub const NOW: i64 = 1_700_000_000_000;
/// A lifetime long enough that nothing expires by accident.
pub const HOUR: i64 = 3_600_000;

/// One `#[tokio::test]` per case, in a module per backend; cases after the
/// `;` run on that backend only.
macro_rules! contract_suite {
    ($backend:ident, $fresh:expr; $($only:ident),*) => {
        mod $backend {
            contract_suite!(@cases $fresh;
                record_create_then_get_round_trips,
                record_create_refuses_a_live_record_and_replaces_an_expired_one,
                record_get_checks_expiry_on_read,
                update_needs_the_current_version,
                put_replaces_whatever_is_there_and_takes_no_update,
                delete_removes_and_absent_is_fine,
                increment_counts_within_a_window_then_starts_again,
                session_create_then_get_round_trips_a_login,
                session_without_login_round_trips,
                session_second_create_is_already_exists,
                session_create_over_an_expired_record_succeeds,
                session_get_checks_expiry_on_read,
                session_update_with_the_right_version_bumps_it,
                session_update_with_a_stale_version_is_a_conflict,
                session_update_of_a_missing_record_is_a_conflict,
                session_end_leaves_a_tombstone_until_its_time,
                session_end_of_a_never_stored_session_is_a_tombstone_too,
                session_end_with_a_past_time_removes_the_record,
                session_is_sealed_above_the_store
            );
            $(contract_suite!(@cases $fresh; $only);)*
        }
    };
    (@cases $fresh:expr; $($case:ident),+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let store: std::sync::Arc<dyn malgomo::store::RecordStore> = $fresh;
                super::$case(store).await;
            }
        )+
    };
}

contract_suite!(
    memory,
    std::sync::Arc::new(malgomo::store::MemoryStore::new(1_000));
    concurrent_updates_on_one_version_exactly_one_wins,
    concurrent_creates_of_one_id_exactly_one_wins
);
contract_suite!(
    dynamo,
    std::sync::Arc::new(malgomo_tests::dynamo::fresh_store(None).await);
);

/// A fresh session id (the store does not care which key issued it).
pub fn new_id() -> SessionId {
    SessionKey::generate().issue(NOW, ProtocolVersion::V2025_11_25, None)
}

pub fn record(expires_at_ms: i64) -> SessionRecord {
    SessionRecord {
        protocol_version: ProtocolVersion::NEWEST_SESSIONFUL,
        owner: None,
        login: None,
        expires_at_ms,
        touched_at_ms: NOW,
        refresh_lease_until_ms: None,
    }
}

/// Distinctive secrets, so stored bytes can be searched for them.
pub struct Secrets {
    pub access: String,
    pub refresh: String,
    pub email: String,
}

impl Secrets {
    pub fn fresh() -> Self {
        let tag = new_id().storage_key()[..32].to_owned();
        Self {
            access: format!("eyJhbGciOiJIUzI1NiJ9.access-{tag}"),
            refresh: format!("refresh-{tag}"),
            email: format!("owner@agency-{tag}.test"),
        }
    }

    pub fn login(&self) -> Login {
        Login {
            tokens: TokenSet {
                access_token: Secret::new(self.access.clone()),
                refresh_token: Some(Secret::new(self.refresh.clone())),
                expires_at: Some(NOW / 1000 + 3600),
            },
            me: Me {
                user_id: "6f1c2d8e-0000-4000-8000-000000000001".into(),
                email: self.email.clone(),
                agency_id: "agency-a".into(),
                agency_name: "Agency A".into(),
                role: Role::Owner,
            },
        }
    }
}

pub fn logged_in_record(secrets: &Secrets) -> SessionRecord {
    SessionRecord {
        owner: Some("identity-hash-0123456789abcdef".into()),
        login: Some(secrets.login()),
        refresh_lease_until_ms: Some(NOW + 20_000),
        ..record(NOW + HOUR)
    }
}

/// True when `needle` occurs in `haystack`, ignoring ASCII case.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let lower = haystack.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    lower.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// Sessions kept in `store`, and a fresh id for one of them.
fn sessions_and_id(store: Arc<dyn RecordStore>) -> (StoredSessions, SessionId) {
    (StoredSessions::new(store), new_id())
}

/// The session's live record, which must be there.
async fn live(sessions: &StoredSessions, id: &SessionId, now_ms: i64) -> Versioned {
    let lookup = sessions.get(id, now_ms).await.expect("the store reads");
    lookup.live().expect("a live session")
}

/// Asserts the live record and version under `id` at `now_ms`.
async fn assert_live(
    sessions: &StoredSessions,
    id: &SessionId,
    now_ms: i64,
    expected: (SessionRecord, u64),
    why: &str,
) {
    let got = live(sessions, id, now_ms).await;
    assert_eq!((got.record, got.version), expected, "{why}");
}

fn key() -> String {
    format!("test#{}", new_id().storage_key())
}
