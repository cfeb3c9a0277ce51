//! Everything a JSON-RPC method sees about the request it serves: the app,
//! the bearer, and the session (if one is open).

use crate::app::App;
use crate::limits::AddressKey;
use crate::protocol::Era;
use crate::session::{Login, SessionId, SessionRecord};
use crate::store::{StoreError, Versioned};

use super::Bearer;

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
}

/// The context of one JSON-RPC request.
#[derive(Debug)]
pub struct Call<'a> {
    pub app: &'a App,
    /// Sessionful (2025) or stateless (2026-07-28): a stateless request never
    /// has a session, so it cannot log in with the login tool.
    pub era: Era,
    pub bearer: Option<Bearer>,
    /// Mode A: the grant behind the access token.
    pub grant: Option<crate::oauth::GrantAccess>,
    pub session: Option<OpenSession>,
    /// Where the request came from, as per-address limits key it.
    pub client: AddressKey,
}

impl Call<'_> {
    pub fn now_ms(&self) -> i64 {
        self.app.clock.now_ms()
    }

    pub fn login(&self) -> Option<&Login> {
        self.session.as_ref()?.stored.record.login.as_ref()
    }

    /// Writes `change` into the session (conditional on the version read),
    /// re-reading and re-applying once when another request got there first.
    /// Every write also pushes the idle expiry forward.
    pub async fn update_session(
        &mut self,
        change: impl Fn(&mut SessionRecord),
    ) -> Result<(), StoreError> {
        self.update_session_when(|_| true, change).await
    }

    /// Like [`Self::update_session`], but only while `needed` holds of the
    /// record — checked again on the fresh record after a lost race, so a
    /// burst of requests writes once.
    pub async fn update_session_when(
        &mut self,
        needed: impl Fn(&SessionRecord) -> bool,
        change: impl Fn(&mut SessionRecord),
    ) -> Result<(), StoreError> {
        let now = self.app.clock.now_ms();
        let expiry = self.app.expiry;
        let change = |record: &mut SessionRecord| {
            change(record);
            record.expires_at_ms = expiry.deadline(now);
            record.touched_at_ms = now;
        };
        let Some(open) = self.session.as_mut() else {
            return Ok(());
        };
        let store = &self.app.store;
        if !needed(&open.stored.record) {
            return Ok(());
        }
        let mut record = open.stored.record.clone();
        change(&mut record);
        if !open.is_stored() {
            // The session's first write: create-if-absent, which a
            // tombstone (DELETE raced us) refuses.
            open.stored = store
                .create(&open.id, &record, now)
                .await
                .map_err(|err| match err {
                    StoreError::AlreadyExists => StoreError::Conflict,
                    other => other,
                })?;
            return Ok(());
        }
        match store.update(&open.id, &record, open.stored.version).await {
            Ok(stored) => {
                open.stored = stored;
                Ok(())
            }
            Err(StoreError::Conflict) => {
                let Some(fresh) = store.get(&open.id, now).await?.live() else {
                    return Err(StoreError::Conflict);
                };
                if !needed(&fresh.record) {
                    open.stored = fresh;
                    return Ok(());
                }
                let mut record = fresh.record.clone();
                change(&mut record);
                open.stored = store.update(&open.id, &record, fresh.version).await?;
                Ok(())
            }
            Err(other) => Err(other),
        }
    }
}
