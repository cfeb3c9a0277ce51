//! A token home: a versioned record that holds a token set and its
//! refresh lease, read and written with conditional updates. What differs
//! between a session and a grant is a [`Keeper`]; the lease, the record
//! last seen and lost races are handled here, once.

use std::sync::Mutex;

use async_trait::async_trait;

use crate::store::StoreError;
use crate::upstream::{TokenSet, UpstreamError};

/// The tokens as stored, with their lease and version.
pub struct Held {
    pub tokens: TokenSet,
    pub leased_until_ms: Option<i64>,
    pub version: u64,
}

/// What to write into the record.
#[derive(Clone, Copy)]
pub enum Write<'a> {
    /// Take the lease until this instant (Unix ms).
    Lease(i64),
    /// The refresh worked: store these tokens, drop the lease.
    Renewed(&'a TokenSet),
    /// The upstream refused the refresh token itself: the login is over.
    /// Nothing else (a storage fault, an unavailable upstream, a refused
    /// access token) ends a login.
    Dead,
    /// The refresh failed for now: just drop the lease.
    Release,
}

/// How one kind of record keeps a token set.
#[async_trait]
pub trait Keeper: Send + Sync {
    type Record: Clone + Send + Sync;

    /// The record and its version; `Unauthorized` when it is gone.
    async fn read(&self) -> Result<(Self::Record, u64), UpstreamError>;

    /// The tokens the record holds; `Unauthorized` when the login is gone.
    fn tokens(&self, record: &Self::Record) -> Result<TokenSet, UpstreamError>;

    /// Replaces the record's tokens with renewed ones.
    fn renewed(&self, record: &mut Self::Record, tokens: &TokenSet) -> Result<(), UpstreamError>;

    fn lease(record: &Self::Record) -> Option<i64>;

    fn set_lease(record: &mut Self::Record, until_ms: Option<i64>);

    /// The upstream refused the refresh token: the record to store without
    /// the login, or `None` when the record ended itself (a grant revokes).
    async fn dead(&self, record: Self::Record) -> Result<Option<Self::Record>, UpstreamError>;

    /// Stores `record` if the stored version is still `expected`; the new
    /// version, or `Conflict`.
    async fn save(&self, record: &Self::Record, expected: u64) -> Result<u64, StoreError>;
}

/// A [`Keeper`]'s record as the renewal rule reads and writes it,
/// remembering the record it last read or wrote: a write names a version,
/// and applies to that record.
pub struct Home<K: Keeper> {
    keeper: K,
    latest: Mutex<Option<(K::Record, u64)>>,
}

impl<K: Keeper> Home<K> {
    pub fn over(keeper: K) -> Self {
        Self {
            keeper,
            latest: Mutex::new(None),
        }
    }

    /// The record as it now stands, with its version, if this home read or
    /// wrote it: for the caller to continue with.
    pub fn into_latest(self) -> Option<(K::Record, u64)> {
        self.latest.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    fn remember(&self, latest: Option<(K::Record, u64)>) {
        *self.latest.lock().unwrap_or_else(|p| p.into_inner()) = latest;
    }
}

impl<K: Keeper> Home<K> {
    /// The stored tokens; `Unauthorized` when the login is gone.
    pub async fn load(&self) -> Result<Held, UpstreamError> {
        let (record, version) = self.keeper.read().await?;
        let held = self.keeper.tokens(&record).map(|tokens| Held {
            tokens,
            leased_until_ms: K::lease(&record),
            version,
        });
        self.remember(Some((record, version)));
        held
    }

    /// Writes if the stored version is still `version`; the new version, or
    /// `None` when another writer got there first.
    pub async fn write(
        &self,
        version: u64,
        write: Write<'_>,
    ) -> Result<Option<u64>, UpstreamError> {
        let last = self
            .latest
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        // Another version than the one last seen: someone else wrote.
        let Some((mut record, _)) = last.filter(|(_, seen)| *seen == version) else {
            return Ok(None);
        };
        K::set_lease(&mut record, None);
        match write {
            Write::Lease(until) => K::set_lease(&mut record, Some(until)),
            Write::Renewed(tokens) => self.keeper.renewed(&mut record, tokens)?,
            Write::Release => {}
            Write::Dead => match self.keeper.dead(record).await? {
                Some(without_login) => record = without_login,
                None => {
                    self.remember(None);
                    return Ok(Some(version + 1));
                }
            },
        }
        match self.keeper.save(&record, version).await {
            Ok(stored) => {
                self.remember(Some((record, stored)));
                Ok(Some(stored))
            }
            Err(StoreError::Conflict) => Ok(None),
            Err(err) => Err(UpstreamError::Unavailable(format!("token storage: {err}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Secret;

    /// A record kept in memory: `(tokens, lease, alive)` at a version.
    #[derive(Default)]
    struct InMemory {
        stored: Mutex<Option<(Rec, u64)>>,
        /// `dead` revokes (returns `None`) instead of keeping the record.
        revokes: bool,
    }

    #[derive(Clone, Debug, PartialEq)]
    struct Rec {
        tokens: Option<TokenSet>,
        lease: Option<i64>,
    }

    fn tokens(access: &str) -> TokenSet {
        TokenSet {
            access_token: Secret::new(access),
            refresh_token: Some(Secret::new(format!("refresh-{access}"))),
            expires_at: None,
        }
    }

    impl InMemory {
        fn holding(access: &str, revokes: bool) -> Self {
            let rec = Rec {
                tokens: Some(tokens(access)),
                lease: None,
            };
            Self {
                stored: Mutex::new(Some((rec, 1))),
                revokes,
            }
        }

        fn now(&self) -> Option<(Rec, u64)> {
            self.stored.lock().unwrap().clone()
        }
    }

    #[async_trait]
    impl Keeper for &InMemory {
        type Record = Rec;

        async fn read(&self) -> Result<(Rec, u64), UpstreamError> {
            self.now()
                .ok_or_else(|| UpstreamError::Unauthorized("gone".into()))
        }

        fn tokens(&self, record: &Rec) -> Result<TokenSet, UpstreamError> {
            (record.tokens.clone()).ok_or_else(|| UpstreamError::Unauthorized("no login".into()))
        }

        fn renewed(&self, record: &mut Rec, tokens: &TokenSet) -> Result<(), UpstreamError> {
            record.tokens = Some(tokens.clone());
            Ok(())
        }

        fn lease(record: &Rec) -> Option<i64> {
            record.lease
        }

        fn set_lease(record: &mut Rec, until_ms: Option<i64>) {
            record.lease = until_ms;
        }

        async fn dead(&self, mut record: Rec) -> Result<Option<Rec>, UpstreamError> {
            if self.revokes {
                *self.stored.lock().unwrap() = None;
                return Ok(None);
            }
            record.tokens = None;
            Ok(Some(record))
        }

        async fn save(&self, record: &Rec, expected: u64) -> Result<u64, StoreError> {
            let mut stored = self.stored.lock().unwrap();
            match stored.as_mut() {
                Some((current, version)) if *version == expected => {
                    *current = record.clone();
                    *version += 1;
                    Ok(*version)
                }
                _ => Err(StoreError::Conflict),
            }
        }
    }

    #[tokio::test]
    async fn a_lease_then_a_renewal_store_the_tokens_and_drop_the_lease() {
        let kept = InMemory::holding("old", false);
        let home = Home::over(&kept);
        let held = home.load().await.unwrap();
        assert_eq!((held.version, held.leased_until_ms), (1, None));
        assert_eq!(home.write(1, Write::Lease(500)).await.unwrap(), Some(2));
        assert_eq!(kept.now().unwrap().0.lease, Some(500));
        let new = tokens("new");
        assert_eq!(home.write(2, Write::Renewed(&new)).await.unwrap(), Some(3));
        let want = Rec {
            tokens: Some(new),
            lease: None,
        };
        assert_eq!(kept.now(), Some((want.clone(), 3)));
        assert_eq!(
            home.into_latest(),
            Some((want, 3)),
            "the caller continues with it"
        );
    }

    #[tokio::test]
    async fn another_writer_first_is_none_never_an_overwrite() {
        let kept = InMemory::holding("old", false);
        let home = Home::over(&kept);
        home.load().await.unwrap();
        // Not the version last seen: nothing is written.
        assert_eq!(home.write(7, Write::Lease(500)).await.unwrap(), None);
        // Someone else writes; the version this home saw is stale.
        let other = Home::over(&kept);
        other.load().await.unwrap();
        assert_eq!(other.write(1, Write::Release).await.unwrap(), Some(2));
        assert_eq!(home.write(1, Write::Lease(500)).await.unwrap(), None);
        assert_eq!(
            kept.now().unwrap().0.lease,
            None,
            "the lost race wrote nothing"
        );
    }

    #[tokio::test]
    async fn a_dead_login_is_dropped_or_revokes_the_record() {
        let kept = InMemory::holding("old", false);
        let home = Home::over(&kept);
        home.load().await.unwrap();
        home.write(1, Write::Lease(500)).await.unwrap();
        assert_eq!(home.write(2, Write::Dead).await.unwrap(), Some(3));
        let (record, _) = kept.now().unwrap();
        assert_eq!(
            (record.tokens, record.lease),
            (None, None),
            "kept, without the login"
        );
        assert!(matches!(
            home.load().await,
            Err(UpstreamError::Unauthorized(_))
        ));

        let revoking = InMemory::holding("old", true);
        let home = Home::over(&revoking);
        home.load().await.unwrap();
        assert_eq!(home.write(1, Write::Dead).await.unwrap(), Some(2));
        assert_eq!(revoking.now(), None, "the record ended itself");
        assert_eq!(home.into_latest(), None);
    }
}
