//! Where a tool call's upstream token comes from, and the shared path of
//! every data tool: pick the token, refresh when needed, persist the new
//! pair, and turn upstream failures into messages an agent can act on.

use crate::domain::Secret;
use crate::mcp::Call;
use crate::session::Login;
use crate::upstream::{ApiClient, TokenSet, UpstreamError, with_fresh_token};

use super::ToolOutput;

/// The token a call will use, by precedence.
enum Credential {
    /// `Authorization: Bearer` on this request: the client owns its renewal.
    Bearer(TokenSet),
    /// The session's `malgomo_login`; refreshed and persisted here.
    Session(TokenSet),
    /// `MALGOMO_API_TOKEN` for anonymous sessions (`MALGOMO_SINGLE_TENANT=true`).
    SingleTenant(TokenSet),
}

pub const NOT_LOGGED_IN: &str = "not logged in — call malgomo_login with your MalGomo email and password first (or connect with Authorization: Bearer <token>)";

fn credential(call: &Call<'_>) -> Option<Credential> {
    if let Some(bearer) = &call.bearer {
        return Some(Credential::Bearer(TokenSet::bearer(bearer.token.clone())));
    }
    if let Some(login) = call.login() {
        return Some(Credential::Session(login.tokens.clone()));
    }
    let config = &call.app.config;
    match (&config.api_token, config.single_tenant) {
        (Some(token), true) => Some(Credential::SingleTenant(TokenSet::bearer(token.clone()))),
        _ => None,
    }
}

/// Runs one backend read for the caller. `Err` is the tool result to return.
pub async fn read<T, F>(
    call: &mut Call<'_>,
    fetch: impl Fn(ApiClient, Secret) -> F,
) -> Result<T, ToolOutput>
where
    F: Future<Output = Result<T, UpstreamError>>,
{
    let Some(credential) = credential(call) else {
        return Err(ToolOutput::error(NOT_LOGGED_IN));
    };
    let (tokens, from_session) = match credential {
        Credential::Session(tokens) => (tokens, true),
        Credential::Bearer(tokens) | Credential::SingleTenant(tokens) => (tokens, false),
    };
    let upstream = call.app.upstream.clone();
    let now = call.app.clock.now_secs();
    let outcome = with_fresh_token(
        &tokens,
        now,
        |tokens| {
            let auth = upstream.auth.clone();
            async move { auth.refresh(&tokens).await.map(|grant| grant.tokens) }
        },
        |token| fetch(upstream.api.clone(), token),
    )
    .await;
    if from_session {
        persist(call, outcome.renewed, outcome.result.as_ref().err()).await;
    }
    outcome
        .result
        .map_err(|err| ToolOutput::error(explain(call, &err)))
}

/// Keeps the session's login in step with upstream: a renewed pair is saved
/// (the old refresh token is spent), and a login the upstream no longer
/// accepts is dropped so `malgomo_status` tells the truth.
async fn persist(call: &mut Call<'_>, renewed: Option<TokenSet>, error: Option<&UpstreamError>) {
    let dead = matches!(error, Some(UpstreamError::Unauthorized(_)));
    if renewed.is_none() && !dead {
        return;
    }
    let saved = call
        .update_session(|record| {
            if dead {
                record.login = None;
            } else if let (Some(login), Some(tokens)) = (record.login.as_mut(), renewed.clone()) {
                login.tokens = tokens;
            }
        })
        .await;
    if let Err(err) = saved {
        tracing::warn!(error = %err, "could not persist the session's renewed login");
    }
}

/// The agent-facing message for an upstream failure.
pub fn explain(call: &Call<'_>, err: &UpstreamError) -> String {
    match err {
        UpstreamError::Unauthorized(_) if call.bearer.is_some() => {
            "unauthorized — the bearer token on this connection was refused (expired or invalid); reconnect with a fresh token".into()
        }
        UpstreamError::Unauthorized(_) => {
            "not logged in — your MalGomo login expired or was revoked; call malgomo_login with your MalGomo email and password".into()
        }
        UpstreamError::Forbidden(_) => match call.login().map(|login: &Login| login.me.role) {
            Some(role) => format!(
                "forbidden — dashboard data is owner/admin only; you are a {role}"
            ),
            None => "forbidden — dashboard data is owner/admin only; this account's role may not read it".into(),
        },
        UpstreamError::Unavailable(detail) => {
            format!("MalGomo is unavailable ({detail}), try again in a moment")
        }
        UpstreamError::RateLimited { .. } => format!("{err} — wait, then try again"),
        UpstreamError::InvalidPeriod(invalid) => invalid.to_string(),
        UpstreamError::Malformed(detail) => format!(
            "MalGomo sent an answer this server could not read ({detail}); try again later"
        ),
        UpstreamError::InvalidCredentials => {
            "login failed — invalid email or password; check them and call malgomo_login again".into()
        }
        UpstreamError::EmailNotConfirmed => {
            "login failed — this account's email address is not confirmed yet; confirm it from MalGomo's email, then log in again".into()
        }
        UpstreamError::NotConfigured => {
            "login is not configured on this server (SUPABASE_ANON_KEY is not set) — ask its operator, or connect with Authorization: Bearer <token>".into()
        }
    }
}
