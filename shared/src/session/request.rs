//! The session as a request holds it: its id verified and its item read,
//! the record inside left sealed until the request needs what it holds.
//! Only a tool call does (the login, the refresh lease, a write); a
//! `tools/list`, a `ping`, a `DELETE` or a touch that is not due decrypts
//! and parses nothing.

use crate::protocol::ProtocolVersion;
use crate::store::StoreError;

use super::stored::damaged;
use super::{Expiry, Issued, OpenSession, Sealed, SessionId};

/// A request's session, sealed or open.
#[derive(Debug)]
pub enum RequestSession {
    /// A stored session whose record is not opened yet.
    Sealed { issued: Issued, sealed: Sealed },
    /// The record in hand: opened, or never stored (the blank record of a
    /// session without a login, which lives in its id alone).
    Open(OpenSession),
}

impl RequestSession {
    pub fn id(&self) -> &SessionId {
        match self {
            Self::Sealed { issued, .. } => &issued.id,
            Self::Open(open) => &open.id,
        }
    }

    /// When the id was issued (it carries this itself).
    pub fn issued_at_ms(&self) -> i64 {
        match self {
            Self::Sealed { issued, .. } => issued.issued_at_ms,
            Self::Open(open) => open.issued_at_ms,
        }
    }

    /// The version negotiated at initialize, which the id carries and the
    /// record repeats.
    pub fn protocol_version(&self) -> ProtocolVersion {
        match self {
            Self::Sealed { issued, .. } => issued.version,
            Self::Open(open) => open.stored.record.protocol_version,
        }
    }

    /// True when the session is stored and its idle expiry is due to slide
    /// (a session with nothing stored has nothing to slide).
    pub fn touch_due(&self, expiry: &Expiry, now_ms: i64) -> bool {
        match self {
            Self::Sealed { sealed, .. } => expiry.touch_due(sealed.expires_at_ms(), now_ms),
            Self::Open(open) => {
                open.is_stored() && expiry.touch_due(open.stored.record.expires_at_ms, now_ms)
            }
        }
    }

    /// The session with its record in hand, opening it on first use (once
    /// per request). A record that does not open, or was not written for
    /// the id's owner, is damaged: an error, never a session.
    pub fn open(&mut self) -> Result<&mut OpenSession, StoreError> {
        if let Self::Sealed { issued, sealed } = self {
            let stored = sealed.open(&issued.id)?;
            if !issued.belongs_to(stored.record.owner.as_deref()) {
                return Err(damaged());
            }
            *self = Self::Open(OpenSession {
                id: issued.id.clone(),
                issued_at_ms: issued.issued_at_ms,
                stored,
            });
        }
        match self {
            Self::Open(open) => Ok(open),
            // Not reached: a sealed session was opened just above.
            Self::Sealed { .. } => Err(damaged()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::session::{Lookup, SessionKey, SessionRecord, StoredSessions};
    use crate::store::MemoryStore;

    const TTL: Duration = Duration::from_secs(600);

    fn record(owner: Option<&str>, now_ms: i64) -> SessionRecord {
        SessionRecord {
            protocol_version: ProtocolVersion::V2025_11_25,
            owner: owner.map(str::to_owned),
            login: None,
            expires_at_ms: Expiry::new(TTL).deadline(now_ms),
            touched_at_ms: now_ms,
            refresh_lease_until_ms: None,
        }
    }

    /// The session as a request finds it: `stored` kept under an id issued
    /// to `owner`, then read back unopened.
    async fn found(owner: Option<&str>, stored: &SessionRecord) -> RequestSession {
        let key = SessionKey::generate();
        let id = key.issue(0, ProtocolVersion::V2025_11_25, owner);
        let issued = key.verify(id.expose()).expect("its own id verifies");
        let sessions = StoredSessions::new(Arc::new(MemoryStore::new(10)));
        sessions.create(&id, stored, 0).await.unwrap();
        match sessions.find(&id, 0).await.unwrap() {
            Lookup::Live(sealed) => RequestSession::Sealed { issued, sealed },
            other => panic!("stored, so live: {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_sealed_session_opens_to_its_record_once() {
        let stored = record(Some("owner"), 0);
        let mut session = found(Some("owner"), &stored).await;
        assert_eq!(session.protocol_version(), ProtocolVersion::V2025_11_25);
        let open = session.open().unwrap();
        assert_eq!((&open.stored.record, open.stored.version), (&stored, 1));
        assert!(matches!(session, RequestSession::Open(_)), "kept open");
        assert_eq!(session.open().unwrap().stored.record, stored);
    }

    #[tokio::test]
    async fn a_record_of_another_owner_does_not_open() {
        let mut session = found(Some("owner"), &record(Some("someone else"), 0)).await;
        assert!(session.open().is_err());
        let mut anonymous = found(None, &record(Some("owner"), 0)).await;
        assert!(anonymous.open().is_err());
    }

    #[tokio::test]
    async fn a_touch_is_due_from_the_stored_expiry_alone() {
        let expiry = Expiry::new(TTL);
        let session = found(None, &record(None, 0)).await;
        let every = expiry.touch_every.as_millis() as i64;
        assert!(!session.touch_due(&expiry, every - 1));
        assert!(session.touch_due(&expiry, every));
        // Nothing stored: nothing to slide, however late.
        let blank = RequestSession::Open(OpenSession {
            id: session.id().clone(),
            issued_at_ms: 0,
            stored: crate::session::Versioned {
                record: record(None, 0),
                version: 0,
            },
        });
        assert!(!blank.touch_due(&expiry, i64::MAX));
    }
}
