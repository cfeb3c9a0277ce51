//! The success answer shared by the password and refresh grants.

use super::user::user_object;
use crate::accounts::Account;
use crate::jwt::{Claims, now_unix};
use crate::state::SimState;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use uuid::Uuid;

/// `200 {"access_token", "token_type":"bearer", "expires_in", "expires_at", "refresh_token",
/// "user"}` with a freshly minted access token for `session_id`.
pub(super) fn token_answer(
    state: &SimState,
    account: &Account,
    session_id: Uuid,
    refresh_token: &str,
) -> Response {
    let lifetime = state.knobs().token_lifetime.as_secs();
    let iat = now_unix();
    let exp = iat.saturating_add(lifetime);
    let claims = Claims {
        iss: format!("{}/auth/v1", state.base_url),
        sub: account.user_id().to_string(),
        aud: "authenticated".to_string(),
        exp,
        iat,
        email: account.email.to_string(),
        role: "authenticated".to_string(),
        aal: "aal1".to_string(),
        session_id: session_id.to_string(),
        is_anonymous: false,
    };
    axum::Json(json!({
        "access_token": state.signer.sign(&claims),
        "token_type": "bearer",
        "expires_in": lifetime,
        "expires_at": exp,
        "refresh_token": refresh_token,
        "user": user_object(account),
    }))
    .into_response()
}
