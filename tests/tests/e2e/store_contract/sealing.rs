//! Sealing: the bytes a backend holds of a session never show a token, an
//! email, the owner or the id.

use std::sync::Arc;

use malgomo::session::{StoredSessions, stored};
use malgomo::store::RecordStore;

use super::*;

/// What the backend holds of a session, read raw through the trait: the
/// key is the id's hash, and the bytes show no token, email, owner or id —
/// after a create, an update that rotates the tokens, and an end.
pub(super) async fn session_is_sealed_above_the_store(store: Arc<dyn RecordStore>) {
    let sessions = StoredSessions::new(store.clone());
    let id = new_id();
    let (first, rotated) = (Secrets::fresh(), Secrets::fresh());
    let key = stored::key_of(&id.storage_key());
    assert!(
        key.starts_with("session#") && !key.contains(id.expose()),
        "{key}"
    );
    let mut record = logged_in_record(&first);
    sessions.create(&id, &record, NOW).await.unwrap();
    let created = store
        .get_record(&key, NOW)
        .await
        .unwrap()
        .expect("stored under session#<hash>");
    record.login = Some(rotated.login());
    sessions.update(&id, &record, 1).await.unwrap();
    let updated = store.get_record(&key, NOW).await.unwrap().unwrap();
    for (when, raw) in [("created", &created), ("updated", &updated)] {
        for (what, needle) in [
            ("access token", &first.access),
            ("refresh token", &first.refresh),
            ("email", &first.email),
            ("rotated access token", &rotated.access),
            ("rotated refresh token", &rotated.refresh),
            ("rotated email", &rotated.email),
            ("owner", &"identity-hash-0123456789abcdef".to_owned()),
            ("session id", &id.expose().to_owned()),
            ("agency", &"Agency A".to_owned()),
        ] {
            assert!(
                !contains(&raw.data, needle.as_bytes()),
                "{when}: the backend holds the {what} in the clear"
            );
        }
    }
    // Only this id opens it; a copy under another session's key does not.
    let other = new_id();
    assert!(
        stored::open(&other, &updated).is_err(),
        "another id's key does not open it"
    );
    assert!(
        sessions.get(&id, NOW).await.unwrap().live().is_some(),
        "its own id opens it"
    );
    // The tombstone holds nothing of the session.
    sessions
        .end(&id.storage_key(), NOW + HOUR, NOW)
        .await
        .unwrap();
    let tombstone = store.get_record(&key, NOW).await.unwrap().unwrap();
    assert_eq!(tombstone.data, b"ended", "a tombstone is the plain marker");
}
