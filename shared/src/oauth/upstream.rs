//! Server-side renewal of a grant's upstream Supabase tokens, lease-guarded
//! like a session's (see `session::renew`): one refresh across instances.

use std::time::Duration;

use super::bearer::GrantAccess;
use super::grants;
use super::records::{encode, grant_key};
use crate::app::App;
use crate::upstream::{TokenSet, UpstreamError};

const LEASE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);

pub async fn renew(
    app: &App,
    access: &GrantAccess,
    stale: &TokenSet,
) -> Result<TokenSet, UpstreamError> {
    let give_up = tokio::time::Instant::now() + LEASE + Duration::from_secs(1);
    let key_name = grant_key(&access.grant_id);
    loop {
        let now = app.clock.now_ms();
        let grant = grants::load_grant(app, &access.grant_id)
            .await
            .map_err(|err| UpstreamError::Unavailable(err.description))?
            .ok_or_else(|| UpstreamError::Unauthorized("the grant was revoked".into()))?;
        let login = grants::open_login(&access.grant_id, &access.key, &grant.value.upstream)
            .ok_or_else(|| UpstreamError::Unauthorized("the grant cannot be opened".into()))?;
        if login.tokens.access_token != stale.access_token {
            return Ok(login.tokens);
        }
        if grant.value.lease_until_ms.is_some_and(|until| until > now) {
            if tokio::time::Instant::now() >= give_up {
                return Err(UpstreamError::Unavailable(
                    "a token refresh in progress did not finish".into(),
                ));
            }
            tokio::time::sleep(POLL).await;
            continue;
        }
        let mut leased = grant.value.clone();
        leased.lease_until_ms = Some(now + LEASE.as_millis() as i64);
        let version = match app
            .records
            .update_record(
                &key_name,
                &encode(&leased),
                grant.expires_at_ms,
                grant.version,
            )
            .await
        {
            Ok(version) => version,
            Err(crate::store::StoreError::Conflict) => continue,
            Err(err) => return Err(UpstreamError::Unavailable(err.to_string())),
        };
        let refreshed = app.upstream.auth.refresh(&login.tokens).await;
        let mut record = leased;
        record.lease_until_ms = None;
        if let Ok(grant_tokens) = &refreshed {
            let mut renewed = login.clone();
            renewed.tokens = grant_tokens.tokens.clone();
            record.upstream = grants::seal_login(&access.grant_id, &access.key, &renewed);
        }
        if let Err(err) = app
            .records
            .update_record(&key_name, &encode(&record), grant.expires_at_ms, version)
            .await
        {
            tracing::warn!(error = %err, "renewed upstream token could not be saved");
        }
        return refreshed.map(|grant| grant.tokens);
    }
}
