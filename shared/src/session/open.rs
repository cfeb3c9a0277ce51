//! A session as one request holds it: read at the start, written back with
//! a conditional update when the request changes it (a login, a logout, a
//! renewed token, the sliding expiry).

use crate::store::StoreError;

use super::{Login, SessionId, SessionRecord, Sessions, Versioned};

/// An open session as read at the start of the request.
#[derive(Debug)]
pub struct OpenSession {
    pub id: SessionId,
    /// When the id was issued (it carries this itself).
    pub issued_at_ms: i64,
    /// The stored record; version 0 while nothing is stored (a session
    /// without a login lives in its id alone, see [`SessionId`]).
    pub stored: Versioned,
}

impl OpenSession {
    /// True once the session has an item in the store.
    pub fn is_stored(&self) -> bool {
        self.stored.version > 0
    }

    pub fn login(&self) -> Option<&Login> {
        self.stored.record.login.as_ref()
    }

    /// Writes `change` into the session (conditional on the version read),
    /// re-reading and re-applying once when another request got there first.
    /// Every write also pushes the idle expiry forward.
    pub async fn update(
        &mut self,
        sessions: Sessions<'_>,
        change: impl Fn(&mut SessionRecord),
    ) -> Result<(), StoreError> {
        self.update_when(sessions, |_| true, change).await
    }

    /// Like [`Self::update`], but only while `needed` holds of the record —
    /// checked again on the fresh record after a lost race, so a burst of
    /// requests writes once.
    pub async fn update_when(
        &mut self,
        sessions: Sessions<'_>,
        needed: impl Fn(&SessionRecord) -> bool,
        change: impl Fn(&mut SessionRecord),
    ) -> Result<(), StoreError> {
        let now = sessions.stores.now_ms();
        let expiry = sessions.expiry;
        let change = |record: &mut SessionRecord| {
            change(record);
            record.expires_at_ms = expiry.deadline(now);
            record.touched_at_ms = now;
        };
        let store = sessions.stored;
        if !needed(&self.stored.record) {
            return Ok(());
        }
        let mut record = self.stored.record.clone();
        change(&mut record);
        if !self.is_stored() {
            // The session's first write: create-if-absent, which a
            // tombstone (DELETE raced us) refuses.
            self.stored = store
                .create(&self.id, &record, now)
                .await
                .map_err(|err| match err {
                    StoreError::AlreadyExists => StoreError::Conflict,
                    other => other,
                })?;
            return Ok(());
        }
        match store.update(&self.id, &record, self.stored.version).await {
            Ok(stored) => {
                self.stored = stored;
                Ok(())
            }
            Err(StoreError::Conflict) => {
                let Some(fresh) = store.get(&self.id, now).await?.live() else {
                    return Err(StoreError::Conflict);
                };
                if !needed(&fresh.record) {
                    self.stored = fresh;
                    return Ok(());
                }
                let mut record = fresh.record.clone();
                change(&mut record);
                self.stored = store.update(&self.id, &record, fresh.version).await?;
                Ok(())
            }
            Err(other) => Err(other),
        }
    }
}
