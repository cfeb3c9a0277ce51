//! A grant as a [`TokenHome`](crate::upstream::renewal::TokenHome): its
//! upstream Supabase tokens (sealed under the grant key) and the refresh
//! lease live in the grant record, so they are renewed server-side, once
//! across instances. A dead upstream login revokes the grant: the client's
//! next request gets 401 and signs in again.

use async_trait::async_trait;

use super::bearer::GrantAccess;
use super::grants;
use super::records::{GrantRecord, Loaded, encode, grant_key};
use crate::app::App;
use crate::store::StoreError;
use crate::upstream::home::{Home, Keeper};
use crate::upstream::{TokenSet, UpstreamError};

/// Where a grant's upstream tokens are kept.
pub struct GrantKeeper<'a> {
    app: &'a App,
    access: &'a GrantAccess,
}

/// The grant's token home.
pub type GrantHome<'a> = Home<GrantKeeper<'a>>;

impl<'a> GrantHome<'a> {
    pub fn new(app: &'a App, access: &'a GrantAccess) -> Self {
        Home::over(GrantKeeper { app, access })
    }
}

#[async_trait]
impl Keeper for GrantKeeper<'_> {
    /// The grant with the expiry its rewrite keeps.
    type Record = Loaded<GrantRecord>;

    async fn read(&self) -> Result<(Loaded<GrantRecord>, u64), UpstreamError> {
        let grant = grants::load_grant(self.app, &self.access.grant_id)
            .await
            .map_err(|err| UpstreamError::Unavailable(err.description))?
            .ok_or_else(revoked)?;
        let version = grant.version;
        Ok((grant, version))
    }

    fn tokens(&self, grant: &Loaded<GrantRecord>) -> Result<TokenSet, UpstreamError> {
        let (id, key) = (&self.access.grant_id, &self.access.key);
        let login = grants::open_login(id, key, &grant.value.upstream).ok_or_else(revoked)?;
        Ok(login.tokens)
    }

    fn renewed(
        &self,
        grant: &mut Loaded<GrantRecord>,
        tokens: &TokenSet,
    ) -> Result<(), UpstreamError> {
        let (id, key) = (&self.access.grant_id, &self.access.key);
        let mut login = grants::open_login(id, key, &grant.value.upstream).ok_or_else(revoked)?;
        login.tokens = tokens.clone();
        grant.value.upstream = grants::seal_login(id, key, &login);
        Ok(())
    }

    fn lease(grant: &Loaded<GrantRecord>) -> Option<i64> {
        grant.value.lease_until_ms
    }

    fn set_lease(grant: &mut Loaded<GrantRecord>, until_ms: Option<i64>) {
        grant.value.lease_until_ms = until_ms;
    }

    async fn dead(
        &self,
        _grant: Loaded<GrantRecord>,
    ) -> Result<Option<Loaded<GrantRecord>>, UpstreamError> {
        grants::revoke(self.app, &self.access.grant_id)
            .await
            .map_err(|err| UpstreamError::Unavailable(err.description))?;
        Ok(None)
    }

    async fn save(&self, grant: &Loaded<GrantRecord>, expected: u64) -> Result<u64, StoreError> {
        self.app
            .records
            .update_record(
                &grant_key(&self.access.grant_id),
                &encode(&grant.value),
                grant.expires_at_ms,
                expected,
            )
            .await
    }
}

fn revoked() -> UpstreamError {
    UpstreamError::Unauthorized("the grant was revoked".into())
}
