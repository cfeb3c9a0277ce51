//! A session as a token home: the login's tokens and the refresh lease live
//! in the session record. A dead login leaves the session, without it.

use async_trait::async_trait;

use super::home::{Home, Keeper};
use crate::session::{SessionId, SessionRecord, Sessions, Versioned};
use crate::store::StoreError;
use crate::upstream::{TokenSet, UpstreamError};

/// Where a session's tokens are kept: the session store, under its id.
pub struct SessionKeeper<'a> {
    pub sessions: Sessions<'a>,
    pub id: &'a SessionId,
}

impl Home<SessionKeeper<'_>> {
    /// The session as it now stands, if this home read or wrote it.
    pub fn latest(self) -> Option<Versioned> {
        self.into_latest()
            .map(|(record, version)| Versioned { record, version })
    }
}

#[async_trait]
impl Keeper for SessionKeeper<'_> {
    type Record = SessionRecord;

    async fn read(&self) -> Result<(SessionRecord, u64), UpstreamError> {
        let now = self.sessions.stores.now_ms();
        let stored = self
            .sessions
            .stored
            .get(self.id, now)
            .await
            .map_err(|err| UpstreamError::Unavailable(format!("session storage: {err}")))?
            .live()
            .ok_or_else(ended)?;
        Ok((stored.record, stored.version))
    }

    fn tokens(&self, record: &SessionRecord) -> Result<TokenSet, UpstreamError> {
        Ok(record.login.as_ref().ok_or_else(ended)?.tokens.clone())
    }

    fn renewed(&self, record: &mut SessionRecord, tokens: &TokenSet) -> Result<(), UpstreamError> {
        if let Some(login) = record.login.as_mut() {
            login.tokens = tokens.clone();
        }
        Ok(())
    }

    fn lease(record: &SessionRecord) -> Option<i64> {
        record.refresh_lease_until_ms
    }

    fn set_lease(record: &mut SessionRecord, until_ms: Option<i64>) {
        record.refresh_lease_until_ms = until_ms;
    }

    async fn dead(
        &self,
        mut record: SessionRecord,
    ) -> Result<Option<SessionRecord>, UpstreamError> {
        record.login = None;
        Ok(Some(record))
    }

    async fn save(&self, record: &SessionRecord, expected: u64) -> Result<u64, StoreError> {
        let stored = self
            .sessions
            .stored
            .update(self.id, record, expected)
            .await?;
        Ok(stored.version)
    }
}

fn ended() -> UpstreamError {
    UpstreamError::Unauthorized("the session's login ended".into())
}
