//! A grant as a token home: its upstream Supabase tokens (sealed under the
//! grant key) and the refresh lease live in the grant record, so they are
//! renewed server-side, once across instances. A dead upstream login
//! revokes the grant: the client's next request gets 401 and signs in
//! again.

use async_trait::async_trait;

use super::home::Keeper;
use crate::oauth::{self, GrantAccess, GrantRecord, Loaded};
use crate::store::{StoreError, Stores};
use crate::upstream::{TokenSet, UpstreamError};

/// Where a grant's upstream tokens are kept: the records, under the grant
/// the caller's access names.
pub struct GrantKeeper<'a> {
    pub stores: Stores<'a>,
    pub access: &'a GrantAccess,
}

#[async_trait]
impl Keeper for GrantKeeper<'_> {
    /// The grant with the expiry its rewrite keeps.
    type Record = Loaded<GrantRecord>;

    async fn read(&self) -> Result<(Loaded<GrantRecord>, u64), UpstreamError> {
        let grant = oauth::load_grant(self.stores, &self.access.grant_id)
            .await
            .map_err(|err| UpstreamError::Unavailable(err.description))?
            .ok_or_else(revoked)?;
        let version = grant.version;
        Ok((grant, version))
    }

    fn tokens(&self, grant: &Loaded<GrantRecord>) -> Result<TokenSet, UpstreamError> {
        let (id, key) = (&self.access.grant_id, &self.access.key);
        let login = oauth::open_login(id, key, &grant.value.upstream).ok_or_else(revoked)?;
        Ok(login.tokens)
    }

    fn renewed(
        &self,
        grant: &mut Loaded<GrantRecord>,
        tokens: &TokenSet,
    ) -> Result<(), UpstreamError> {
        let (id, key) = (&self.access.grant_id, &self.access.key);
        let mut login = oauth::open_login(id, key, &grant.value.upstream).ok_or_else(revoked)?;
        login.tokens = tokens.clone();
        grant.value.upstream = oauth::seal_login(id, key, &login);
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
        oauth::revoke_grant(self.stores, &self.access.grant_id)
            .await
            .map_err(|err| UpstreamError::Unavailable(err.description))?;
        Ok(None)
    }

    async fn save(&self, grant: &Loaded<GrantRecord>, expected: u64) -> Result<u64, StoreError> {
        oauth::save_grant(self.stores, &self.access.grant_id, grant, expected).await
    }
}

fn revoked() -> UpstreamError {
    UpstreamError::Unauthorized("the grant was revoked".into())
}
