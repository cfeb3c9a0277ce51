//! Login sessions and their refresh-token families (GoTrue's rotation rules).
//!
//! A session is created by a password grant. Each refresh rotates its refresh token. The
//! token rotated out last may be replayed for a short window (a client that lost the answer
//! to a refresh retries) and gets the current token back. Replaying any other rotated-out
//! token — or that one after the window — is treated as theft: the whole session is revoked,
//! which also invalidates its access tokens.

use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;
use uuid::Uuid;

/// A refresh token that was rotated out, and when.
#[derive(Debug)]
struct Rotated {
    token: String,
    at: Instant,
}

#[derive(Debug)]
struct Session {
    email: String,
    revoked: bool,
    current: String,
    previous: Option<Rotated>,
    /// Every token ever issued to this session, so logout can forget them all.
    issued: Vec<String>,
}

/// The answer to a refresh grant.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RefreshOutcome {
    /// The current token was presented: here is its successor.
    Rotated {
        session_id: Uuid,
        email: String,
        refresh_token: String,
    },
    /// The just-rotated-out token was replayed inside the window: here is the current one.
    Reused {
        session_id: Uuid,
        email: String,
        refresh_token: String,
    },
    /// A rotated-out token outside the window, or any token of a revoked session.
    AlreadyUsed,
    /// Never issued, or its session was logged out.
    NotFound,
}

/// All sessions of one simulator.
#[derive(Debug, Default)]
pub(crate) struct Sessions {
    by_id: HashMap<Uuid, Session>,
    by_refresh: HashMap<String, Uuid>,
}

/// An opaque refresh token (GoTrue's are short random strings; ours are 32 hex chars).
fn new_refresh_token() -> String {
    Uuid::new_v4().simple().to_string()
}

impl Sessions {
    /// Opens a session for `email`; returns its id and first refresh token.
    pub fn create(&mut self, email: &str) -> (Uuid, String) {
        let id = Uuid::new_v4();
        let token = new_refresh_token();
        self.by_refresh.insert(token.clone(), id);
        self.by_id.insert(
            id,
            Session {
                email: email.to_string(),
                revoked: false,
                current: token.clone(),
                previous: None,
                issued: vec![token.clone()],
            },
        );
        (id, token)
    }

    /// Applies a refresh grant at `now` with the given reuse window.
    pub fn refresh(&mut self, token: &str, now: Instant, reuse_window: Duration) -> RefreshOutcome {
        let Some(&session_id) = self.by_refresh.get(token) else {
            return RefreshOutcome::NotFound;
        };
        let Some(session) = self.by_id.get_mut(&session_id) else {
            return RefreshOutcome::NotFound;
        };
        if session.revoked {
            return RefreshOutcome::AlreadyUsed;
        }
        if session.current == token {
            let next = new_refresh_token();
            let old = std::mem::replace(&mut session.current, next.clone());
            session.previous = Some(Rotated {
                token: old,
                at: now,
            });
            session.issued.push(next.clone());
            self.by_refresh.insert(next.clone(), session_id);
            return RefreshOutcome::Rotated {
                session_id,
                email: session.email.clone(),
                refresh_token: next,
            };
        }
        let in_window = session.previous.as_ref().is_some_and(|p| {
            p.token == token && now.saturating_duration_since(p.at) < reuse_window
        });
        if in_window {
            return RefreshOutcome::Reused {
                session_id,
                email: session.email.clone(),
                refresh_token: session.current.clone(),
            };
        }
        session.revoked = true;
        RefreshOutcome::AlreadyUsed
    }

    /// Whether access tokens of this session are still honoured.
    pub fn is_active(&self, session_id: Uuid) -> bool {
        self.by_id.get(&session_id).is_some_and(|s| !s.revoked)
    }

    /// Ends a session: its refresh tokens are forgotten (`refresh_token_not_found` from now
    /// on) and its access tokens stop working. Returns false if it was not active.
    pub fn logout(&mut self, session_id: Uuid) -> bool {
        let Some(session) = self.by_id.remove(&session_id) else {
            return false;
        };
        for token in &session.issued {
            self.by_refresh.remove(token);
        }
        !session.revoked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(10);

    fn rotated(outcome: RefreshOutcome) -> String {
        match outcome {
            RefreshOutcome::Rotated { refresh_token, .. } => refresh_token,
            other => panic!("expected rotation, got {other:?}"),
        }
    }

    #[test]
    fn rotation_issues_a_new_token() {
        let mut s = Sessions::default();
        let (_, t0) = s.create("a@x.test");
        let t1 = rotated(s.refresh(&t0, Instant::now(), WINDOW));
        assert_ne!(t0, t1);
        let t2 = rotated(s.refresh(&t1, Instant::now(), WINDOW));
        assert_ne!(t1, t2);
    }

    #[test]
    fn replay_inside_window_returns_current() {
        let mut s = Sessions::default();
        let (id, t0) = s.create("a@x.test");
        let now = Instant::now();
        let t1 = rotated(s.refresh(&t0, now, WINDOW));
        let again = s.refresh(&t0, now + Duration::from_secs(9), WINDOW);
        assert_eq!(
            again,
            RefreshOutcome::Reused {
                session_id: id,
                email: "a@x.test".into(),
                refresh_token: t1.clone()
            }
        );
        // No rotation happened: the current token still rotates normally.
        rotated(s.refresh(&t1, now, WINDOW));
    }

    #[test]
    fn replay_after_window_revokes_the_family() {
        let mut s = Sessions::default();
        let (id, t0) = s.create("a@x.test");
        let now = Instant::now();
        let t1 = rotated(s.refresh(&t0, now, WINDOW));
        assert_eq!(
            s.refresh(&t0, now + WINDOW, WINDOW),
            RefreshOutcome::AlreadyUsed
        );
        assert!(!s.is_active(id));
        assert_eq!(s.refresh(&t1, now, WINDOW), RefreshOutcome::AlreadyUsed);
    }

    #[test]
    fn older_tokens_revoke_even_inside_window() {
        let mut s = Sessions::default();
        let (_, t0) = s.create("a@x.test");
        let now = Instant::now();
        let t1 = rotated(s.refresh(&t0, now, WINDOW));
        rotated(s.refresh(&t1, now, WINDOW));
        assert_eq!(s.refresh(&t0, now, WINDOW), RefreshOutcome::AlreadyUsed);
    }

    #[test]
    fn logout_forgets_tokens() {
        let mut s = Sessions::default();
        let (id, t0) = s.create("a@x.test");
        assert!(s.logout(id));
        assert!(!s.is_active(id));
        assert_eq!(
            s.refresh(&t0, Instant::now(), WINDOW),
            RefreshOutcome::NotFound
        );
        assert!(!s.logout(id));
        assert_eq!(
            s.refresh("nope", Instant::now(), WINDOW),
            RefreshOutcome::NotFound
        );
    }
}
