//! The shapes a variable's value may take: each parser takes the raw text
//! and says what is wrong with it; [`super::env::Env`] adds the name.

use std::time::Duration;

use url::Url;

use crate::domain::{Secret, is_loopback_host};

/// The `PUBLIC_URL` value that means "the Function URL that invokes me".
pub const FUNCTION_URL: &str = "function-url";

/// What `PUBLIC_URL` says.
pub(super) enum PublicSetting {
    /// A fixed public origin.
    At(Url),
    /// [`FUNCTION_URL`]: the origin the Lambda host learns from its first event.
    FunctionUrl,
}

pub(super) fn public_setting(raw: &str) -> Result<PublicSetting, String> {
    if raw.trim() == FUNCTION_URL {
        Ok(PublicSetting::FunctionUrl)
    } else {
        public_url(raw).map(PublicSetting::At)
    }
}

/// An http(s) base URL, always ending in `/` so paths join under it.
pub(super) fn base_url(raw: &str) -> Result<Url, String> {
    let mut url = Url::parse(raw.trim()).map_err(|e| format!("is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("must be an http(s) URL with a host".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not carry a query or fragment".into());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// A public origin: https, or plain http on a loopback host only.
pub(super) fn public_url(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw.trim()).map_err(|e| format!("is not a URL ({e})"))?;
    let loopback = is_loopback_host(&url);
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err("must use https (plain http only on a loopback host)".into()),
        _ => return Err("must be an https URL".into()),
    }
    if url.host().is_none() {
        return Err("must have a host".into());
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(
            "must be an origin without path, query or fragment, e.g. https://mcp.example.com"
                .into(),
        );
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials".into());
    }
    Ok(url)
}

pub(super) fn boolean(raw: &str) -> Result<bool, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("must be true or false, not {raw:?}")),
    }
}

pub(super) fn positive(raw: &str) -> Result<u64, String> {
    match raw.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("must be a positive whole number, not {raw:?}")),
    }
}

/// Keys and shared secrets: at least 32 characters, so that a typo or a
/// placeholder cannot become a guessable key.
pub(super) fn long_secret(raw: &str) -> Result<Secret, String> {
    let raw = raw.trim();
    if raw.chars().count() < 32 {
        return Err("must be at least 32 characters (use a generated random string)".into());
    }
    Ok(Secret::new(raw.to_owned()))
}

/// Milliseconds, 100 ms to 15 minutes (the longest a Lambda function runs).
pub(super) fn upstream_timeout(raw: &str) -> Result<Duration, String> {
    match raw.trim().parse::<u64>() {
        Ok(ms @ 100..=900_000) => Ok(Duration::from_millis(ms)),
        _ => Err("must be a number of milliseconds from 100 to 900000".into()),
    }
}

pub(super) fn port(raw: &str) -> Result<u16, String> {
    raw.trim()
        .parse::<u16>()
        .map_err(|_| format!("must be a port number 0-65535, not {raw:?}"))
}

/// A comma list; blanks dropped, a trailing `/` trimmed from each item.
pub(super) fn list(value: Option<String>) -> Vec<String> {
    value
        .map(|v| {
            v.split(',')
                .map(|item| item.trim().trim_end_matches('/').to_owned())
                .filter(|item| !item.is_empty())
                .collect()
        })
        .unwrap_or_default()
}
