//! Where a tool call's upstream token comes from, and the shared path of
//! every data tool: pick the token, refresh when needed, persist the new
//! pair, and turn upstream failures into messages an agent can act on.

use crate::domain::Secret;
use crate::protocol::Era;
use crate::renewal::{self, GrantKeeper, Home, SessionKeeper};
use crate::upstream::{ApiClient, TokenSet, UpstreamError};

use super::{Context, Credential, ToolOutput};

const NOT_LOGGED_IN: &str = concat!(
    "not logged in — call ",
    login_name!(),
    " with your MalGomo email and password first (or connect with Authorization: Bearer <token>)"
);

/// Runs one backend read for the caller. `Err` is the tool result to return.
pub async fn read<T, F>(
    cx: &mut Context<'_>,
    fetch: impl Fn(ApiClient, Secret) -> F,
) -> Result<T, ToolOutput>
where
    F: Future<Output = Result<T, UpstreamError>>,
{
    let api = cx.upstream.api.clone();
    let fetch = |token| fetch(api.clone(), token);
    let result = match cx.credential() {
        Credential::None => {
            return Err(ToolOutput::error(match cx.era {
                Era::Sessionful => NOT_LOGGED_IN,
                Era::Stateless => super::STATELESS_LOGIN,
            }));
        }
        Credential::Session(login) => {
            let tokens = login.tokens.clone();
            read_as_session(cx, &tokens, fetch).await
        }
        Credential::Grant(grant) => {
            let home = Home::over(GrantKeeper {
                stores: cx.stores(),
                access: grant,
            });
            let (auth, clock) = (&cx.upstream.auth, cx.stores().clock);
            renewal::read(&home, &grant.login.tokens, auth, clock, fetch).await
        }
        // The client (or the operator) owns these tokens' renewal.
        Credential::Bearer(bearer) => fetch(bearer.token.clone()).await,
        Credential::SingleTenant(token) => fetch(token.clone()).await,
    };
    result.map_err(|err| ToolOutput::error(explain(cx, &err)))
}

/// A read with the session's login: renew the token when it is expired or
/// refused (once, across instances), and keep the session in step with
/// what upstream says. Only the renewal itself ends a login, when upstream
/// refuses the refresh token; nothing this call meets afterwards does.
async fn read_as_session<T, F>(
    cx: &mut Context<'_>,
    tokens: &TokenSet,
    fetch: impl Fn(Secret) -> F,
) -> Result<T, UpstreamError>
where
    F: Future<Output = Result<T, UpstreamError>>,
{
    let Some(id) = cx.session.as_ref().map(|open| open.id.clone()) else {
        return Err(UpstreamError::Unauthorized("no session".into()));
    };
    let home = Home::over(SessionKeeper {
        sessions: cx.sessions,
        id: &id,
    });
    let (auth, clock) = (&cx.upstream.auth, cx.stores().clock);
    let result = renewal::read(&home, tokens, auth, clock, fetch).await;
    if let (Some(stored), Some(open)) = (home.latest(), cx.session.as_mut()) {
        open.stored = stored;
    }
    result
}

/// The agent-facing message for an upstream failure.
pub fn explain(cx: &Context<'_>, err: &UpstreamError) -> String {
    match err {
        UpstreamError::Unauthorized(_) => match cx.credential() {
            Credential::Grant(_) => {
                "unauthorized — your MalGomo sign-in has ended; reconnect the connector in your app to sign in again".into()
            }
            Credential::Bearer(_) => {
                "unauthorized — the bearer token on this connection was refused (expired or invalid); reconnect with a fresh token".into()
            }
            _ => {
                concat!("not logged in — your MalGomo login expired or was revoked; call ", login_name!(), " with your MalGomo email and password").into()
            }
        },
        UpstreamError::Forbidden(_) => match cx.credential().login().map(|login| login.me.role) {
            Some(role) => format!(
                "forbidden — dashboard data is owner/admin only; you are a {role}"
            ),
            None => "forbidden — dashboard data is owner/admin only; this account's role may not read it".into(),
        },
        UpstreamError::RenewedTokenRefused => {
            "MalGomo refused a token renewed a moment ago; you are still logged in — try again in a moment".into()
        }
        UpstreamError::Unavailable(detail) => {
            format!("MalGomo is unavailable ({detail}), try again in a moment")
        }
        UpstreamError::RateLimited { .. } => format!("{err} — wait, then try again"),
        UpstreamError::InvalidPeriod(invalid) => invalid.to_string(),
        UpstreamError::Malformed(detail) => format!(
            "MalGomo sent an answer this server could not read ({detail}); try again later"
        ),
        UpstreamError::InvalidCredentials => {
            concat!("login failed — invalid email or password; check them and call ", login_name!(), " again").into()
        }
        UpstreamError::EmailNotConfirmed => {
            "login failed — this account's email address is not confirmed yet; confirm it from MalGomo's email, then log in again".into()
        }
        UpstreamError::NotConfigured => {
            "login is not configured on this server (SUPABASE_ANON_KEY is not set) — ask its operator, or connect with Authorization: Bearer <token>".into()
        }
    }
}
