//! `POST /oauth/login`: the sign-in form. Checks the CSRF token, passes
//! the attempt through the password throttle (shared with the login tool,
//! across instances), signs in with
//! Supabase (password grant + access probe), and on success redirects to
//! the client with a single-use code.

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use url::Url;

use super::AuthServer;
use super::authorize::{CSRF_COOKIE, redirect_target, redirect_to};
use super::form::Form;
use super::page::{self, ClientShown, SignIn};
use super::records::{CodeRecord, PendingRecord, code_key, encode, load, pending_key};
use super::{CODE_TTL, grants};
use crate::crypto::{random_token, same, sha256_hex};
use crate::domain::{Email, Secret};
use crate::limits::AddressKey;
use crate::limits::password::{self, Throttled};
use crate::session::Login;
use crate::upstream::UpstreamError;
use crate::web::Response;

pub async fn handle(server: &AuthServer<'_>, request: &http::Request<Bytes>) -> Response {
    let Some(public_url) = server.public_url else {
        return page::error(
            StatusCode::NOT_FOUND,
            "OAuth is not enabled on this server.",
        );
    };
    let form = match Form::parse(request.body()) {
        Ok(form) => form,
        Err(err) => return page::error(StatusCode::BAD_REQUEST, &err.description),
    };
    let request_id = form.get("request_id").unwrap_or_default();
    let now = server.stores.clock.now_ms();
    let pending =
        match load::<PendingRecord>(server.stores.records, &pending_key(request_id), now).await {
            Ok(Some(pending)) => pending.value,
            Ok(None) => {
                return page::error(
                    StatusCode::BAD_REQUEST,
                    "This sign-in page has expired. Go back to your app and connect again.",
                );
            }
            Err(_) => return unavailable(),
        };
    let csrf = form.get("csrf_token").unwrap_or_default();
    let cookie = cookie(request.headers(), CSRF_COOKIE).unwrap_or_default();
    if csrf.is_empty() || !same(csrf, &cookie) || !same(&sha256_hex(csrf), &pending.csrf_hash) {
        return page::error(
            StatusCode::FORBIDDEN,
            "The form's security token is missing or does not match. Reload the sign-in page from your app and try again.",
        );
    }
    let Ok(redirect) = Url::parse(&pending.redirect_uri) else {
        return unavailable();
    };
    let raw_email = form.get("email").unwrap_or_default().to_owned();
    let shown = ClientShown {
        label: pending.client_name.clone(),
        verified: pending.client_verified,
    };
    let again = |status: StatusCode, message: &str| {
        page::sign_in(
            status,
            &SignIn {
                client: &shown,
                redirect_target: &redirect_target(&redirect),
                request_id,
                csrf,
                email: &raw_email,
                message: Some(message),
            },
        )
    };
    let Ok(email) = Email::parse(&raw_email) else {
        return again(
            StatusCode::BAD_REQUEST,
            "Enter the email address you use for MalGomo.",
        );
    };
    let password = Secret::new(form.get("password").unwrap_or_default());
    if password.is_empty() {
        return again(StatusCode::BAD_REQUEST, "Enter your password.");
    }
    let address = AddressKey::of_request(request);
    let throttle = server.throttle;
    match password::admit(throttle, &email, address, now).await {
        Ok(()) => {}
        Err(refused @ (Throttled::Attempts(wait) | Throttled::Busy(wait))) => {
            let why = match refused {
                Throttled::Busy(_) => "Sign-in is busy right now",
                _ => "Too many sign-in attempts",
            };
            let mut response = again(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("{why}. Try again in {wait}."),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait.secs()));
            return response;
        }
        Err(Throttled::Unavailable) => {
            return unavailable();
        }
    }
    let login = match sign_in(server, &email, &password, address).await {
        Ok(login) => login,
        Err(err) => {
            let (status, message) = explain(&err);
            return again(status, message);
        }
    };
    drop(password);
    password::succeeded(throttle, &email, address, now).await;
    match issue_code(server, &pending, &login).await {
        Ok(code) => {
            if let Err(err) = server
                .stores
                .records
                .delete_record(&pending_key(request_id))
                .await
            {
                tracing::debug!(error = %err, "pending authorization not deleted");
            }
            tracing::info!(role = %login.me.role, "OAuth sign-in succeeded");
            let mut params = vec![("code", code.as_str())];
            if let Some(state) = pending.state.as_deref() {
                params.push(("state", state));
            }
            redirect_to(public_url, &redirect, &params)
        }
        Err(()) => unavailable(),
    }
}

async fn sign_in(
    server: &AuthServer<'_>,
    email: &Email,
    password: &Secret,
    address: AddressKey,
) -> Result<Login, UpstreamError> {
    let grant = server
        .upstream
        .auth
        .password_grant_for(email, password, address.ip())
        .await?;
    let me = server.upstream.api.me(&grant.tokens.access_token).await?;
    Ok(Login {
        tokens: grant.tokens,
        me,
    })
}

async fn issue_code(
    server: &AuthServer<'_>,
    pending: &PendingRecord,
    login: &Login,
) -> Result<String, ()> {
    let (grant_id, key) = grants::create(
        server,
        &pending.client_id,
        &pending.scope,
        &pending.resource,
        login,
    )
    .await
    .map_err(|_| ())?;
    let code = random_token("mgc_");
    let key_name = code_key(&code);
    let now = server.stores.clock.now_ms();
    let record = CodeRecord {
        grant_id,
        client_id: pending.client_id.clone(),
        redirect_uri_given: pending.redirect_uri_given.clone(),
        code_challenge: pending.code_challenge.clone(),
        resource: pending.resource.clone(),
        scope: pending.scope.clone(),
        wrapped_key: grants::wrap("code", &code, &key_name, &key),
        valid_until_ms: now + CODE_TTL.as_millis() as i64,
        used: false,
    };
    // Kept well past its validity, so a replay can still be recognised.
    server
        .stores
        .records
        .create_record(
            &key_name,
            &encode(&record),
            now + 10 * CODE_TTL.as_millis() as i64,
            now,
        )
        .await
        .map_err(|_| ())?;
    Ok(code)
}

fn explain(err: &UpstreamError) -> (StatusCode, &'static str) {
    match err {
        UpstreamError::InvalidCredentials => {
            (StatusCode::UNAUTHORIZED, "Invalid email or password.")
        }
        UpstreamError::EmailNotConfirmed => (
            StatusCode::FORBIDDEN,
            "This account's email address is not confirmed yet. Confirm it from MalGomo's email, then sign in.",
        ),
        UpstreamError::RateLimited { .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            "MalGomo is limiting sign-in attempts. Wait a minute, then try again.",
        ),
        UpstreamError::NotConfigured => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Sign-in is not configured on this server (SUPABASE_ANON_KEY is not set).",
        ),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            "MalGomo is unavailable right now. Try again in a moment.",
        ),
    }
}

fn unavailable() -> Response {
    page::error(
        StatusCode::SERVICE_UNAVAILABLE,
        "Sign-in is temporarily unavailable; try again shortly.",
    )
}

fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}
