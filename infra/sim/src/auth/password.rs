//! Password grant: email + password → session + token pair.
//!
//! Checks run in GoTrue's order: gateway apikey, JSON body, required fields, rate limit,
//! credentials, confirmation. Only a correct password reveals that an email is unconfirmed.

use super::error::{AuthError, missing_apikey};
use super::grant::token_answer;
use super::has_apikey;
use crate::accounts;
use crate::state::{SimState, lock};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::IpAddr;

/// Why a password grant was refused: by the gateway, or by GoTrue.
enum Refusal {
    NoApiKey,
    Auth(AuthError),
}

impl From<AuthError> for Refusal {
    fn from(e: AuthError) -> Self {
        Refusal::Auth(e)
    }
}

#[derive(Debug, Deserialize)]
struct PasswordBody {
    email: Option<String>,
    password: Option<String>,
}

/// Runs the grant and counts it as a login or a failed login.
pub(super) fn handle(
    state: &SimState,
    headers: &HeaderMap,
    client: IpAddr,
    body: &[u8],
) -> Response {
    match grant(state, headers, client, body) {
        Ok(answer) => {
            state.count(|c| c.logins += 1);
            answer
        }
        Err(refusal) => {
            state.count(|c| c.failed_logins += 1);
            match refusal {
                Refusal::NoApiKey => missing_apikey(),
                Refusal::Auth(e) => e.into_response(),
            }
        }
    }
}

fn grant(
    state: &SimState,
    headers: &HeaderMap,
    client: IpAddr,
    body: &[u8],
) -> Result<Response, Refusal> {
    if !has_apikey(headers) {
        return Err(Refusal::NoApiKey);
    }
    let body: PasswordBody = serde_json::from_slice(body).map_err(|_| AuthError::BAD_JSON)?;
    let email = body.email.unwrap_or_default().trim().to_ascii_lowercase();
    let password = body.password.unwrap_or_default();
    if email.is_empty() || password.is_empty() {
        return Err(AuthError::MISSING_EMAIL.into());
    }
    let limit = state.knobs().rate_limit_per_minute;
    let buckets = [format!("email:{email}"), format!("ip:{client}")];
    lock(&state.limiter)
        .admit(&buckets, limit, tokio::time::Instant::now())
        .map_err(AuthError::rate_limited)?;
    let account = accounts::find(&email)
        .filter(|a| a.password == password)
        .ok_or(AuthError::INVALID_CREDENTIALS)?;
    if !account.confirmed {
        return Err(AuthError::EMAIL_NOT_CONFIRMED.into());
    }
    let (session_id, refresh_token) = lock(&state.sessions).create(account.email);
    Ok(token_answer(state, account, session_id, &refresh_token))
}
