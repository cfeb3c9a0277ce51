//! A grant as a [`TokenHome`]: its upstream Supabase tokens (sealed under
//! the grant key) and the refresh lease live in the grant record, so they
//! are renewed server-side, once across instances.

use std::sync::Mutex;

use async_trait::async_trait;

use super::bearer::GrantAccess;
use super::grants;
use super::records::{GrantRecord, Loaded, encode, grant_key};
use crate::app::App;
use crate::store::StoreError;
use crate::upstream::UpstreamError;
use crate::upstream::renewal::{Held, TokenHome, Write};

pub struct GrantHome<'a> {
    app: &'a App,
    access: &'a GrantAccess,
    latest: Mutex<Option<Loaded<GrantRecord>>>,
}

impl<'a> GrantHome<'a> {
    pub fn new(app: &'a App, access: &'a GrantAccess) -> Self {
        Self {
            app,
            access,
            latest: Mutex::new(None),
        }
    }
}

#[async_trait]
impl TokenHome for GrantHome<'_> {
    async fn load(&self) -> Result<Held, UpstreamError> {
        let grant = grants::load_grant(self.app, &self.access.grant_id)
            .await
            .map_err(|err| UpstreamError::Unavailable(err.description))?
            .ok_or_else(revoked)?;
        let login = grants::open_login(
            &self.access.grant_id,
            &self.access.key,
            &grant.value.upstream,
        )
        .ok_or_else(revoked)?;
        let held = Held {
            tokens: login.tokens,
            leased_until_ms: grant.value.lease_until_ms,
            version: grant.version,
        };
        *self.latest.lock().unwrap_or_else(|p| p.into_inner()) = Some(grant);
        Ok(held)
    }

    async fn write(&self, version: u64, write: Write<'_>) -> Result<Option<u64>, UpstreamError> {
        let last = self.latest.lock().unwrap_or_else(|p| p.into_inner()).take();
        let Some(grant) = last.filter(|grant| grant.version == version) else {
            return Ok(None);
        };
        let id = &self.access.grant_id;
        let mut record = grant.value.clone();
        match write {
            Write::Lease(until) => record.lease_until_ms = Some(until),
            Write::Renewed(tokens) => {
                record.lease_until_ms = None;
                let mut login = grants::open_login(id, &self.access.key, &record.upstream)
                    .ok_or_else(revoked)?;
                login.tokens = tokens.clone();
                record.upstream = grants::seal_login(id, &self.access.key, &login);
            }
            // The upstream login is over: so is the grant. The client's next
            // request gets 401 and signs in again.
            Write::Dead => {
                grants::revoke(self.app, id)
                    .await
                    .map_err(|err| UpstreamError::Unavailable(err.description))?;
                return Ok(Some(version + 1));
            }
            Write::Release => record.lease_until_ms = None,
        }
        let stored = self
            .app
            .records
            .update_record(
                &grant_key(id),
                &encode(&record),
                grant.expires_at_ms,
                version,
            )
            .await;
        match stored {
            Ok(new_version) => {
                *self.latest.lock().unwrap_or_else(|p| p.into_inner()) = Some(Loaded {
                    value: record,
                    version: new_version,
                    expires_at_ms: grant.expires_at_ms,
                });
                Ok(Some(new_version))
            }
            Err(StoreError::Conflict) => Ok(None),
            Err(err) => Err(UpstreamError::Unavailable(err.to_string())),
        }
    }
}

fn revoked() -> UpstreamError {
    UpstreamError::Unauthorized("the grant was revoked".into())
}
