//! How a caller can sign in, decided from the server's mode and the
//! credential on the request. It picks the era an anonymous mode-B caller
//! is steered into (a 2025 session, the only place the login tool can keep
//! a login) and what `initialize` and `server/discover` tell the agent.

use crate::auth::Auth;
use crate::protocol::ProtocolVersion;

/// The way this caller signs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// Mode B without a credential: `malgomo_login` in a 2025 session, or
    /// an `Authorization: Bearer` on every request.
    LoginTool,
    /// Mode B with `Authorization: Bearer`: the token already signs in.
    Bearer,
    /// Mode A: OAuth, done when the connector was added.
    OAuth,
}

/// The 2025 revisions, newest first: what an anonymous mode-B caller is
/// offered instead of 2026-07-28 (clients that pick from the list take the
/// first they speak).
const SESSIONS_NEWEST_FIRST: [ProtocolVersion; 3] = [
    ProtocolVersion::V2025_11_25,
    ProtocolVersion::V2025_06_18,
    ProtocolVersion::V2025_03_26,
];

impl SignIn {
    /// Mode A (`oauth`) or B, and the request's credential.
    pub fn of(oauth: bool, auth: &Auth) -> Self {
        match (oauth, auth) {
            (true, _) | (_, Auth::Granted(_)) => Self::OAuth,
            (false, Auth::Anonymous) => Self::LoginTool,
            (false, Auth::Bearer(_)) => Self::Bearer,
        }
    }

    /// The revisions this caller is served without a session: none for a
    /// caller who still has to log in (2026-07-28 has no session to keep
    /// the login in).
    pub fn stateless_versions(self) -> &'static [ProtocolVersion] {
        match self {
            Self::LoginTool => &[],
            Self::Bearer | Self::OAuth => &ProtocolVersion::STATELESS,
        }
    }

    /// What `server/discover` and the unsupported-version error list as
    /// supported to this caller: the 2025 revisions when it must log in
    /// (every measured client then falls back to `initialize`).
    pub fn offered_versions(self) -> &'static [ProtocolVersion] {
        match self {
            Self::LoginTool => &SESSIONS_NEWEST_FIRST,
            Self::Bearer | Self::OAuth => self.stateless_versions(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Bearer;
    use crate::protocol::Era;

    fn bearer() -> Auth {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::AUTHORIZATION, "Bearer t".parse().unwrap());
        Auth::Bearer(Bearer::from_headers(&headers).unwrap())
    }

    #[test]
    fn the_mode_and_the_credential_decide() {
        assert_eq!(SignIn::of(false, &Auth::Anonymous), SignIn::LoginTool);
        assert_eq!(SignIn::of(false, &bearer()), SignIn::Bearer);
        assert_eq!(SignIn::of(true, &Auth::Anonymous), SignIn::OAuth);
        assert_eq!(SignIn::of(true, &bearer()), SignIn::OAuth);
    }

    #[test]
    fn only_a_caller_that_must_log_in_is_offered_sessions_instead_of_2026() {
        let login = SignIn::LoginTool;
        assert!(login.stateless_versions().is_empty());
        assert_eq!(
            login.offered_versions()[0],
            ProtocolVersion::NEWEST_SESSIONFUL
        );
        assert!(
            login
                .offered_versions()
                .iter()
                .all(|version| version.era() == Era::Sessionful)
        );
        let mut sorted = login.offered_versions().to_vec();
        sorted.sort();
        assert_eq!(sorted, ProtocolVersion::SESSIONFUL);
        for signed in [SignIn::Bearer, SignIn::OAuth] {
            assert_eq!(signed.stateless_versions(), ProtocolVersion::STATELESS);
            assert_eq!(signed.offered_versions(), ProtocolVersion::STATELESS);
        }
    }
}
