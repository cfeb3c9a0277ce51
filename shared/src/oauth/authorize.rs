//! `GET /authorize`: validate the request, then show the sign-in page.
//! Every error found here, before the user is asked, is shown on our own
//! page and never redirected: anyone can register a client with any
//! redirect URI, so redirecting a malformed request would make this origin
//! an open redirector. Only the sign-in itself sends the user back.

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use url::Url;

use super::AuthServer;
use super::form::Form;
use super::page::{self, ClientShown, SignIn};
use super::pkce::Challenge;
use super::records::{ClientRecord, PendingRecord, encode, pending_key};
use super::redirect::RedirectUri;
use super::{OAuthError, PENDING_TTL, cimd, clients, metadata};
use crate::crypto::{random_token, sha256_hex};
use crate::limits::{self, AddressKey};
use crate::web::Response;

pub const CSRF_COOKIE: &str = "malgomo_csrf";

pub async fn handle(server: &AuthServer<'_>, request: &http::Request<Bytes>) -> Response {
    let Some(public_url) = server.public_url else {
        return page::error(
            StatusCode::NOT_FOUND,
            "OAuth is not enabled on this server.",
        );
    };
    let form = match Form::parse(request.uri().query().unwrap_or_default().as_bytes()) {
        Ok(form) => form,
        Err(err) => return page::error(StatusCode::BAD_REQUEST, &err.description),
    };
    let from = AddressKey::of_request(request);
    // Each request stores a pending sign-in: limited per address.
    if let Err(err) = OAuthError::limit(server, &limits::AUTHORIZE, from, "sign-in requests").await
    {
        let mut response = page::error(err.status, &format!("{}.", capitalized(&err.description)));
        if let Some(wait) = err.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        }
        return response;
    }
    let (client, redirect, given) = match trusted_redirect(server, &form, from).await {
        Ok(trusted) => trusted,
        Err(message) => return page::error(StatusCode::BAD_REQUEST, &message),
    };
    let state = form.get("state").map(str::to_owned);
    let refuse = |err: OAuthError| {
        page::error(
            StatusCode::BAD_REQUEST,
            &format!(
                "The app's sign-in request is not valid ({}: {}).",
                err.code, err.description
            ),
        )
    };
    if form.get("response_type") != Some("code") {
        return refuse(OAuthError {
            code: "unsupported_response_type",
            ..OAuthError::invalid_request("response_type must be code")
        });
    }
    let challenge = match Challenge::parse(
        form.get("code_challenge"),
        form.get("code_challenge_method"),
    ) {
        Ok(challenge) => challenge,
        Err(err) => return refuse(err),
    };
    let resource = match resource(public_url, form.get("resource")) {
        Ok(resource) => resource,
        Err(err) => return refuse(err),
    };
    let scope = scope(form.get("scope"));
    let request_id = random_token("mar_");
    let csrf = random_token("");
    let shown = shown(&client);
    let pending = PendingRecord {
        client_id: client.client_id.clone(),
        client_name: shown.label.clone(),
        client_verified: shown.verified,
        redirect_uri: redirect.to_string(),
        redirect_uri_given: given,
        state,
        code_challenge: challenge,
        resource,
        scope,
        csrf_hash: sha256_hex(&csrf),
    };
    let now = server.stores.clock.now_ms();
    let ttl = PENDING_TTL.as_millis() as i64;
    if let Err(err) = server
        .stores
        .records
        .create_record(&pending_key(&request_id), &encode(&pending), now + ttl, now)
        .await
    {
        tracing::error!(error = %err, "pending authorization not stored");
        return page::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Sign-in is temporarily unavailable; try again shortly.",
        );
    }
    let mut response = page::sign_in(
        StatusCode::OK,
        &SignIn {
            client: &shown,
            redirect_target: &redirect_target(&redirect),
            request_id: &request_id,
            csrf: &csrf,
            email: "",
            message: None,
        },
    );
    set_csrf_cookie(&mut response, &csrf, public_url.scheme() == "https");
    response
}

/// The client and the redirect URI it asked for, once both check out.
async fn trusted_redirect(
    server: &AuthServer<'_>,
    form: &Form,
    from: AddressKey,
) -> Result<(ClientRecord, Url, Option<String>), String> {
    let client_id = form
        .get("client_id")
        .ok_or("The request names no client (client_id is missing).")?;
    let client = clients::find(server, client_id, from)
        .await
        .map_err(|err| match err.retry_after {
            Some(_) => format!("{}.", capitalized(&err.description)),
            None => "Sign-in is temporarily unavailable; try again shortly.".to_owned(),
        })?
        .ok_or(
            "The app asking for access is not registered with this server (unknown client_id).",
        )?;
    let registered: Vec<RedirectUri> = client
        .redirect_uris
        .iter()
        .filter_map(|uri| RedirectUri::parse(uri).ok())
        .collect();
    // The requested URI passes the same rules: loopback matching ignores
    // the port, and must not let a fragment or userinfo in with it.
    let requested = match form.get("redirect_uri") {
        Some(raw) => RedirectUri::parse(raw)
            .map_err(|err| format!("The redirect_uri is not allowed: {}.", err.description))?,
        None if registered.len() == 1 => registered[0].clone(),
        None => return Err("The request has no redirect_uri.".into()),
    };
    if !registered.iter().any(|uri| uri.matches(requested.url())) {
        return Err("The redirect_uri is not one this app registered.".into());
    }
    let given = form.get("redirect_uri").map(str::to_owned);
    Ok((client, requested.url().clone(), given))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// RFC 8707: the resource must be our `/mcp` (a trailing slash is fine);
/// clients that omit it (Codex) get ours.
fn resource(public_url: &Url, given: Option<&str>) -> Result<String, OAuthError> {
    let ours = metadata::resource(public_url);
    match given {
        None => Ok(ours),
        Some(given) if given.trim_end_matches('/') == ours => Ok(ours),
        Some(given) => Err(OAuthError::invalid_target(format!(
            "resource {given:?} is not served here; use {ours}"
        ))),
    }
}

/// The granted scope: what was asked for of what we support, else the default.
fn scope(requested: Option<&str>) -> String {
    let known: Vec<&str> = requested
        .unwrap_or_default()
        .split_whitespace()
        .filter(|s| metadata::SCOPES_SUPPORTED.contains(s))
        .collect();
    if known.contains(&metadata::SCOPE) {
        known.join(" ")
    } else if known.is_empty() {
        metadata::SCOPE.to_owned()
    } else {
        format!("{} {}", metadata::SCOPE, known.join(" "))
    }
}

/// How the page names `client`: a metadata-document client by the host
/// (and port, if not the default) of its `client_id`, which served the
/// document; a registered one by its unverified name, else its id.
pub fn shown(client: &ClientRecord) -> ClientShown {
    if cimd::is_document_url(&client.client_id)
        && let Ok(url) = Url::parse(&client.client_id)
        && let Some(host) = url.host_str()
    {
        let label = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        return ClientShown {
            label,
            verified: true,
        };
    }
    ClientShown {
        label: client
            .client_name
            .clone()
            .unwrap_or_else(|| client.client_id.clone()),
        verified: false,
    }
}

/// What the page says the code is sent to: the whole URI but its query
/// (scheme, host, port, path), so `com.evil://…` or a look-alike host is
/// plain to see.
pub fn redirect_target(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.to_string()
}

/// A redirect to the client carrying `params` plus `iss` (RFC 9207).
pub fn redirect_to(public_url: &Url, target: &Url, params: &[(&str, &str)]) -> Response {
    let mut url = target.clone();
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in params {
            query.append_pair(name, value);
        }
        query.append_pair("iss", &metadata::issuer(public_url));
    }
    let mut response = crate::web::reply::empty(StatusCode::SEE_OTHER);
    if let Ok(location) = HeaderValue::from_str(url.as_str()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn set_csrf_cookie(response: &mut Response, csrf: &str, secure: bool) {
    let cookie = format!(
        "{CSRF_COOKIE}={csrf}; Path=/oauth; HttpOnly; SameSite=Strict; Max-Age={}{}",
        PENDING_TTL.as_secs(),
        if secure { "; Secure" } else { "" }
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_shown_is_scheme_host_and_path() {
        let target = |s: &str| redirect_target(&Url::parse(s).unwrap());
        assert_eq!(
            target("https://claude.ai/api/mcp/auth_callback?x=1"),
            "https://claude.ai/api/mcp/auth_callback"
        );
        assert_eq!(
            target("http://127.0.0.1:5555/cb"),
            "http://127.0.0.1:5555/cb"
        );
        assert_eq!(target("com.example.app:/cb"), "com.example.app:/cb");
    }

    #[test]
    fn scope_defaults_and_filters() {
        assert_eq!(scope(None), "mcp");
        assert_eq!(scope(Some("")), "mcp");
        assert_eq!(scope(Some("offline_access")), "mcp offline_access");
        assert_eq!(
            scope(Some("mcp offline_access bogus")),
            "mcp offline_access"
        );
    }

    #[test]
    fn resource_accepts_ours_with_or_without_slash() {
        let url = Url::parse("https://mcp.example.com").unwrap();
        assert_eq!(resource(&url, None).unwrap(), "https://mcp.example.com/mcp");
        assert!(resource(&url, Some("https://mcp.example.com/mcp/")).is_ok());
        assert!(resource(&url, Some("https://other.example.com/mcp")).is_err());
    }
}
