//! A session as a [`TokenHome`]: the login's tokens and the refresh lease
//! live in the session record.

use std::sync::Mutex;

use async_trait::async_trait;

use super::{SessionId, Versioned};
use crate::app::App;
use crate::store::StoreError;
use crate::upstream::UpstreamError;
use crate::upstream::renewal::{Held, TokenHome, Write};

pub struct SessionHome<'a> {
    app: &'a App,
    id: &'a SessionId,
    /// The record as last read or written, for the caller to continue with.
    latest: Mutex<Option<Versioned>>,
}

impl<'a> SessionHome<'a> {
    pub fn new(app: &'a App, id: &'a SessionId) -> Self {
        Self {
            app,
            id,
            latest: Mutex::new(None),
        }
    }

    /// The session as it now stands, if this home read or wrote it.
    pub fn latest(self) -> Option<Versioned> {
        self.latest.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    fn remember(&self, stored: &Versioned) {
        *self.latest.lock().unwrap_or_else(|p| p.into_inner()) = Some(stored.clone());
    }

    async fn current(&self) -> Result<Versioned, UpstreamError> {
        let now = self.app.clock.now_ms();
        self.app
            .store
            .get(self.id, now)
            .await
            .map_err(storage)?
            .live()
            .ok_or_else(ended)
    }
}

#[async_trait]
impl TokenHome for SessionHome<'_> {
    async fn load(&self) -> Result<Held, UpstreamError> {
        let current = self.current().await?;
        self.remember(&current);
        let tokens = current
            .record
            .login
            .as_ref()
            .ok_or_else(ended)?
            .tokens
            .clone();
        Ok(Held {
            tokens,
            leased_until_ms: current.record.refresh_lease_until_ms,
            version: current.version,
        })
    }

    async fn write(&self, version: u64, write: Write<'_>) -> Result<Option<u64>, UpstreamError> {
        // The record this version names is the one last read or written.
        let last = self
            .latest
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let Some(current) = last.filter(|stored| stored.version == version) else {
            return Ok(None);
        };
        let mut record = current.record;
        match write {
            Write::Lease(until) => record.refresh_lease_until_ms = Some(until),
            Write::Renewed(tokens) => {
                record.refresh_lease_until_ms = None;
                if let Some(login) = record.login.as_mut() {
                    login.tokens = tokens.clone();
                }
            }
            Write::Dead => {
                record.refresh_lease_until_ms = None;
                record.login = None;
            }
            Write::Release => record.refresh_lease_until_ms = None,
        }
        match self.app.store.update(self.id, &record, version).await {
            Ok(stored) => {
                self.remember(&stored);
                Ok(Some(stored.version))
            }
            Err(StoreError::Conflict) => Ok(None),
            Err(err) => Err(storage(err)),
        }
    }
}

fn ended() -> UpstreamError {
    UpstreamError::Unauthorized("the session's login ended".into())
}

fn storage(err: StoreError) -> UpstreamError {
    UpstreamError::Unavailable(format!("session storage: {err}"))
}
