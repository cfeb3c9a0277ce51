//! The server's configuration: every environment variable parsed once into
//! typed values. A bad value stops start-up with a message naming the
//! variable; nothing falls back to a default silently.

use std::time::Duration;

use url::Url;

use crate::domain::{OriginSecrets, Secret, is_loopback_host};
use crate::limits::budget::Budget;
use crate::limits::connections::ConnectionLimits;

pub mod vars;

pub const DEFAULT_API_BASE: &str = "https://api.malgomo.com";
pub const DEFAULT_SUPABASE_URL: &str = "https://xgifdbzqplddpeobtwtw.supabase.co";
pub const DEFAULT_MAX_SESSIONS: usize = 500;
pub const DEFAULT_SESSION_TTL: Duration = Duration::from_millis(1_800_000);
pub const DEFAULT_PORT: u16 = 8080;
pub const DEFAULT_SSE_KEEP_ALIVE: Duration = Duration::from_secs(15);
pub const DEFAULT_SSE_MAX_AGE: Duration = Duration::from_secs(10 * 60);
/// Access tokens we issue live a day: hosted clients often never refresh,
/// and the tokens stay revocable at once.
pub const DEFAULT_ACCESS_TOKEN_TTL: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Clone, Debug)]
pub struct Config {
    /// `MALGOMO_API_BASE`, always ending in `/` so paths join under it.
    pub api_base: Url,
    /// `SUPABASE_URL`, always ending in `/`.
    pub supabase_url: Url,
    pub supabase_anon_key: Option<Secret>,
    /// `PUBLIC_URL` without a trailing slash; `Some` turns OAuth (mode A) on.
    pub public_url: Option<Url>,
    /// `PUBLIC_URL=function-url`: mode A at the Lambda Function URL that
    /// invokes the function, whose address only AWS knows (a template
    /// cannot name a function's own URL in its environment). The Lambda
    /// host learns it from the first event ([`Config::at_function_url`]);
    /// elsewhere it is refused ([`Config::check_local`]).
    pub public_url_from_function_url: bool,
    pub api_token: Option<Secret>,
    pub single_tenant: bool,
    pub allowed_origins: Vec<String>,
    pub allowed_hosts: Vec<String>,
    pub max_sessions: usize,
    /// `SUPABASE_SIGN_INS_PER_MINUTE`: password grants the deployment sends
    /// to Supabase per minute (30; see [`crate::limits::budget`]).
    pub sign_in_budget: Budget,
    /// The local server's timeouts and connection caps
    /// (`HEADER_READ_TIMEOUT_MS`, `BODY_READ_TIMEOUT_MS`,
    /// `MAX_CONNECTIONS_PER_ADDRESS`, `MAX_CONNECTIONS`).
    pub connections: ConnectionLimits,
    /// `SSE_KEEP_ALIVE_MS`: how often an SSE stream sends a keep-alive
    /// comment (and checks that its session still lives).
    pub sse_keep_alive: Duration,
    /// `SSE_MAX_AGE_MS`: an SSE stream ends after this (clients reconnect).
    pub sse_max_age: Duration,
    pub session_ttl: Duration,
    pub port: u16,
    pub dynamodb_table: Option<String>,
    /// `OAUTH_ACCESS_TOKEN_TTL_SECS`: lifetime of the access tokens of mode A.
    pub access_token_ttl: Duration,
    /// `SESSION_KEY`: the deployment's key for session ids, the same on
    /// every instance. Required with `DYNAMODB_TABLE`; unset, a process
    /// with the in-memory store draws a random one at start-up.
    pub session_key: Option<Secret>,
    /// `ORIGIN_SECRET`: when set, every request must carry it in
    /// `x-origin-secret` (the front door adds it), else 403. With
    /// `ORIGIN_SECRET_PREVIOUS` (a rotation under way) that value passes too.
    pub origin_secret: Option<OriginSecrets>,
    /// `UPSTREAM_TIMEOUT_MS`: the most one upstream call may take, connect
    /// included; the template sets it inside the Lambda timeout. Unset =
    /// [`crate::upstream::HttpSettings::default`].
    pub upstream_timeout: Option<Duration>,
}

/// A variable that could not be parsed; the message names it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {var} {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup`; an empty value counts as unset (SAM
    /// and shells pass empty parameters for "not given").
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let public = get(vars::PUBLIC_URL.name);
        let from_function_url = public.as_deref().map(str::trim) == Some(FUNCTION_URL);
        Ok(Self {
            api_base: base_url(
                vars::MALGOMO_API_BASE.name,
                get(vars::MALGOMO_API_BASE.name),
                DEFAULT_API_BASE,
            )?,
            supabase_url: base_url(
                vars::SUPABASE_URL.name,
                get(vars::SUPABASE_URL.name),
                DEFAULT_SUPABASE_URL,
            )?,
            supabase_anon_key: get(vars::SUPABASE_ANON_KEY.name).map(Secret::new),
            public_url: public
                .filter(|_| !from_function_url)
                .map(|v| public_url(&v))
                .transpose()?,
            public_url_from_function_url: from_function_url,
            api_token: get(vars::MALGOMO_API_TOKEN.name).map(Secret::new),
            single_tenant: get(vars::MALGOMO_SINGLE_TENANT.name)
                .map(|v| boolean(vars::MALGOMO_SINGLE_TENANT.name, &v))
                .transpose()?
                .unwrap_or(false),
            allowed_origins: list(get(vars::ALLOWED_ORIGINS.name)),
            allowed_hosts: list(get(vars::ALLOWED_HOSTS.name)),
            max_sessions: get(vars::MAX_SESSIONS.name)
                .map(|v| max_sessions(&v))
                .transpose()?
                .unwrap_or(DEFAULT_MAX_SESSIONS),
            sign_in_budget: get(vars::SUPABASE_SIGN_INS_PER_MINUTE.name)
                .map(|v| {
                    Budget::parse(&v).map_err(|err| {
                        error(vars::SUPABASE_SIGN_INS_PER_MINUTE.name, err.to_string())
                    })
                })
                .transpose()?
                .unwrap_or_default(),
            connections: connection_limits(&get)?,
            sse_keep_alive: get(vars::SSE_KEEP_ALIVE_MS.name)
                .map(|v| positive(vars::SSE_KEEP_ALIVE_MS.name, &v))
                .transpose()?
                .map_or(DEFAULT_SSE_KEEP_ALIVE, Duration::from_millis),
            sse_max_age: get(vars::SSE_MAX_AGE_MS.name)
                .map(|v| positive(vars::SSE_MAX_AGE_MS.name, &v))
                .transpose()?
                .map_or(DEFAULT_SSE_MAX_AGE, Duration::from_millis),
            session_ttl: get(vars::SESSION_TTL_MS.name)
                .map(|v| positive(vars::SESSION_TTL_MS.name, &v))
                .transpose()?
                .map_or(DEFAULT_SESSION_TTL, Duration::from_millis),
            port: get(vars::PORT.name)
                .map(|v| port(&v))
                .transpose()?
                .unwrap_or(DEFAULT_PORT),
            dynamodb_table: get(vars::DYNAMODB_TABLE.name).map(|v| v.trim().to_owned()),
            access_token_ttl: get(vars::OAUTH_ACCESS_TOKEN_TTL_SECS.name)
                .map(|v| positive(vars::OAUTH_ACCESS_TOKEN_TTL_SECS.name, &v))
                .transpose()?
                .map_or(DEFAULT_ACCESS_TOKEN_TTL, Duration::from_secs),
            session_key: get(vars::SESSION_KEY.name)
                .map(|v| long_secret(vars::SESSION_KEY.name, v))
                .transpose()?,
            origin_secret: origin_secrets(
                get(vars::ORIGIN_SECRET.name),
                get(vars::ORIGIN_SECRET_PREVIOUS.name),
            )?,
            upstream_timeout: get(vars::UPSTREAM_TIMEOUT_MS.name)
                .map(|v| upstream_timeout(&v))
                .transpose()?,
        })
    }

    /// Refuses a combination that would publish the operator's token:
    /// single-tenant mode answers anonymous callers with `MALGOMO_API_TOKEN`,
    /// and off loopback without `ALLOWED_ORIGINS` every `Origin` passes the
    /// guard and is granted CORS — any web page could read the dashboard.
    pub fn check_bind(&self, loopback_bind: bool) -> Result<(), ConfigError> {
        if self.single_tenant && !loopback_bind && self.allowed_origins.is_empty() {
            return Err(error(
                vars::ALLOWED_ORIGINS.name,
                "must be set when MALGOMO_SINGLE_TENANT=true and the server is not bound to loopback only (otherwise any web page could read the dashboard through CORS)",
            ));
        }
        Ok(())
    }

    /// Refuses what only the Lambda host can serve: `PUBLIC_URL=function-url`
    /// names the Function URL that invokes a Lambda function.
    pub fn check_local(&self) -> Result<(), ConfigError> {
        if self.public_url_from_function_url {
            return Err(error(
                vars::PUBLIC_URL.name,
                "=function-url is for the mcp Lambda function behind its Function URL; a local server needs its public origin, e.g. PUBLIC_URL=http://127.0.0.1:8080",
            ));
        }
        Ok(())
    }

    /// This configuration served at the Function URL `domain` (the
    /// `requestContext.domainName` Lambda sets on every Function URL event,
    /// which a caller cannot choose): `PUBLIC_URL` becomes `https://domain`.
    pub fn at_function_url(mut self, domain: &str) -> Result<Self, ConfigError> {
        let url = public_url(&format!("https://{}", domain.trim()))?;
        self.public_url = Some(url);
        self.public_url_from_function_url = false;
        Ok(self)
    }

    /// Mode A: the server is an OAuth authorization server and `/mcp` needs a bearer.
    pub fn oauth_enabled(&self) -> bool {
        self.public_url.is_some() || self.public_url_from_function_url
    }
}

/// The `PUBLIC_URL` value that means "the Function URL that invokes me".
pub const FUNCTION_URL: &str = "function-url";

fn error(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}

fn base_url(var: &'static str, value: Option<String>, default: &str) -> Result<Url, ConfigError> {
    let raw = value.as_deref().unwrap_or(default).trim();
    let mut url = Url::parse(raw).map_err(|e| error(var, format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(error(var, "must be an http(s) URL with a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(error(var, "must not carry a query or fragment"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn public_url(raw: &str) -> Result<Url, ConfigError> {
    const VAR: &str = vars::PUBLIC_URL.name;
    let url = Url::parse(raw.trim()).map_err(|e| error(VAR, format!("is not a URL ({e})")))?;
    let loopback = is_loopback_host(&url);
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(error(
                VAR,
                "must use https (plain http only on a loopback host)",
            ));
        }
        _ => return Err(error(VAR, "must be an https URL")),
    }
    if url.host().is_none() {
        return Err(error(VAR, "must have a host"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(error(
            VAR,
            "must be an origin without path, query or fragment, e.g. https://mcp.example.com",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(error(VAR, "must not carry credentials"));
    }
    Ok(url)
}

fn boolean(var: &'static str, raw: &str) -> Result<bool, ConfigError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(error(var, format!("must be true or false, not {raw:?}"))),
    }
}

fn positive(var: &'static str, raw: &str) -> Result<u64, ConfigError> {
    match raw.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(error(
            var,
            format!("must be a positive whole number, not {raw:?}"),
        )),
    }
}

/// The local server's limits; each variable unset keeps its default.
fn connection_limits(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<ConnectionLimits, ConfigError> {
    let defaults = ConnectionLimits::default();
    let millis = |var: &'static str, default: Duration| {
        get(var)
            .map(|v| positive(var, &v).map(Duration::from_millis))
            .transpose()
            .map(|value| value.unwrap_or(default))
    };
    let count = |var: &'static str, default: usize| {
        get(var)
            .map(|v| positive(var, &v).map(|n| usize::try_from(n).unwrap_or(usize::MAX)))
            .transpose()
            .map(|value| value.unwrap_or(default))
    };
    Ok(ConnectionLimits {
        header_timeout: millis(vars::HEADER_READ_TIMEOUT_MS.name, defaults.header_timeout)?,
        body_timeout: millis(vars::BODY_READ_TIMEOUT_MS.name, defaults.body_timeout)?,
        per_address: count(vars::MAX_CONNECTIONS_PER_ADDRESS.name, defaults.per_address)?,
        total: count(vars::MAX_CONNECTIONS.name, defaults.total)?,
    })
}

/// `MAX_SESSIONS` bounds a per-user index item (one entry per logged-in
/// session, ~90 bytes each), which must stay far below DynamoDB's 400 KB.
pub const MAX_SESSIONS_LIMIT: usize = 2_000;

fn max_sessions(raw: &str) -> Result<usize, ConfigError> {
    let n = positive(vars::MAX_SESSIONS.name, raw)?;
    if n as usize > MAX_SESSIONS_LIMIT {
        return Err(error(
            vars::MAX_SESSIONS.name,
            format!("must be at most {MAX_SESSIONS_LIMIT}, not {n}"),
        ));
    }
    Ok(n as usize)
}

/// Keys and shared secrets: at least 32 characters, so that a typo or a
/// placeholder cannot become a guessable key.
fn long_secret(var: &'static str, raw: String) -> Result<Secret, ConfigError> {
    let raw = raw.trim().to_owned();
    if raw.chars().count() < 32 {
        return Err(error(
            var,
            "must be at least 32 characters (use a generated random string)",
        ));
    }
    Ok(Secret::new(raw))
}

/// The current origin secret and, during a rotation, the previous one; a
/// previous one alone would mean "accept this" with nothing enforced.
fn origin_secrets(
    current: Option<String>,
    previous: Option<String>,
) -> Result<Option<OriginSecrets>, ConfigError> {
    let previous = previous
        .map(|v| long_secret(vars::ORIGIN_SECRET_PREVIOUS.name, v))
        .transpose()?;
    match current {
        Some(current) => Ok(Some(OriginSecrets::new(
            long_secret(vars::ORIGIN_SECRET.name, current)?,
            previous,
        ))),
        None if previous.is_some() => Err(error(
            vars::ORIGIN_SECRET_PREVIOUS.name,
            "is set without ORIGIN_SECRET (the previous secret is accepted only beside a current one)",
        )),
        None => Ok(None),
    }
}

/// Milliseconds, 100 ms to 15 minutes (the longest a Lambda function runs).
fn upstream_timeout(raw: &str) -> Result<Duration, ConfigError> {
    match raw.trim().parse::<u64>() {
        Ok(ms @ 100..=900_000) => Ok(Duration::from_millis(ms)),
        _ => Err(error(
            vars::UPSTREAM_TIMEOUT_MS.name,
            "must be a number of milliseconds from 100 to 900000",
        )),
    }
}

fn port(raw: &str) -> Result<u16, ConfigError> {
    raw.trim().parse::<u16>().map_err(|_| {
        error(
            vars::PORT.name,
            format!("must be a port number 0-65535, not {raw:?}"),
        )
    })
}

fn list(value: Option<String>) -> Vec<String> {
    value
        .map(|v| {
            v.split(',')
                .map(|item| item.trim().trim_end_matches('/').to_owned())
                .filter(|item| !item.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_when_nothing_is_set() {
        let c = config(&[]).unwrap();
        assert_eq!(c.api_base.as_str(), "https://api.malgomo.com/");
        assert_eq!(
            c.supabase_url.as_str(),
            "https://xgifdbzqplddpeobtwtw.supabase.co/"
        );
        assert_eq!(c.max_sessions, 500);
        assert_eq!(c.session_ttl, Duration::from_secs(1800));
        assert_eq!(c.port, 8080);
        assert!(!c.single_tenant && !c.oauth_enabled());
        assert!(c.supabase_anon_key.is_none() && c.dynamodb_table.is_none());
    }

    #[test]
    fn every_variable_is_read() {
        let c = config(&[
            ("MALGOMO_API_BASE", "http://127.0.0.1:9000/base"),
            ("SUPABASE_URL", "http://127.0.0.1:9001"),
            ("SUPABASE_ANON_KEY", "anon"),
            ("PUBLIC_URL", "https://mcp.example.com"),
            ("MALGOMO_API_TOKEN", "tok"),
            ("MALGOMO_SINGLE_TENANT", "TRUE"),
            ("ALLOWED_ORIGINS", "https://a.example, https://b.example/"),
            ("ALLOWED_HOSTS", "mcp.example.com"),
            ("MAX_SESSIONS", "3"),
            ("SESSION_TTL_MS", "1500"),
            ("PORT", "9999"),
            ("DYNAMODB_TABLE", "sessions"),
            ("SESSION_KEY", "k".repeat(40).as_str()),
            ("ORIGIN_SECRET", "o".repeat(32).as_str()),
            ("ORIGIN_SECRET_PREVIOUS", "p".repeat(32).as_str()),
            ("UPSTREAM_TIMEOUT_MS", "26000"),
        ])
        .unwrap();
        assert_eq!(c.api_base.as_str(), "http://127.0.0.1:9000/base/");
        assert_eq!(c.supabase_anon_key.unwrap().expose(), "anon");
        assert_eq!(c.public_url.unwrap().as_str(), "https://mcp.example.com/");
        assert_eq!(c.api_token.unwrap().expose(), "tok");
        assert!(c.single_tenant);
        assert_eq!(
            c.allowed_origins,
            ["https://a.example", "https://b.example"]
        );
        assert_eq!(c.allowed_hosts, ["mcp.example.com"]);
        assert_eq!(c.max_sessions, 3);
        assert_eq!(c.session_ttl, Duration::from_millis(1500));
        assert_eq!(c.port, 9999);
        assert_eq!(c.dynamodb_table.as_deref(), Some("sessions"));
        assert_eq!(c.session_key.unwrap().expose(), "k".repeat(40));
        let origin: Vec<String> = c
            .origin_secret
            .unwrap()
            .accepted()
            .map(|s| s.expose().to_owned())
            .collect();
        assert_eq!(origin, ["o".repeat(32), "p".repeat(32)]);
        assert_eq!(c.upstream_timeout, Some(Duration::from_secs(26)));
    }

    #[test]
    fn empty_values_count_as_unset() {
        let c = config(&[("PUBLIC_URL", ""), ("MAX_SESSIONS", " ")]).unwrap();
        assert!(c.public_url.is_none());
        assert_eq!(c.max_sessions, 500);
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (var, value) in [
            ("MAX_SESSIONS", "many"),
            ("MAX_SESSIONS", "0"),
            ("SESSION_TTL_MS", "-5"),
            ("PORT", "70000"),
            ("MALGOMO_SINGLE_TENANT", "maybe"),
            ("PUBLIC_URL", "not a url"),
            ("PUBLIC_URL", "http://mcp.example.com"),
            ("PUBLIC_URL", "https://mcp.example.com/path"),
            ("PUBLIC_URL", "ftp://mcp.example.com"),
            ("MALGOMO_API_BASE", "nope"),
            ("SUPABASE_URL", "file:///etc/passwd"),
            ("MAX_SESSIONS", "2001"),
            ("SESSION_KEY", "short"),
            ("ORIGIN_SECRET", "short"),
            ("ORIGIN_SECRET_PREVIOUS", "p".repeat(32).as_str()),
            ("UPSTREAM_TIMEOUT_MS", "0"),
            ("UPSTREAM_TIMEOUT_MS", "soon"),
            ("UPSTREAM_TIMEOUT_MS", "900001"),
        ] {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.var, var, "{var}={value}");
            assert!(err.to_string().contains(var), "{err}");
        }
    }

    #[test]
    fn public_url_function_url_is_mode_a_learned_on_lambda_only() {
        let c = config(&[("PUBLIC_URL", " function-url ")]).unwrap();
        assert!(c.public_url.is_none() && c.public_url_from_function_url);
        assert!(c.oauth_enabled());
        assert_eq!(c.check_local().unwrap_err().var, "PUBLIC_URL");
        let at = c
            .clone()
            .at_function_url("abc123.lambda-url.us-east-1.on.aws")
            .unwrap();
        assert_eq!(
            at.public_url.as_ref().map(Url::as_str),
            Some("https://abc123.lambda-url.us-east-1.on.aws/")
        );
        assert!(!at.public_url_from_function_url && at.oauth_enabled());
        assert!(c.clone().at_function_url("evil.example/path").is_err());
        assert!(c.at_function_url("").is_err());
        let fixed = config(&[("PUBLIC_URL", "https://mcp.example.com")]).unwrap();
        assert!(fixed.check_local().is_ok() && !fixed.public_url_from_function_url);
    }

    #[test]
    fn plain_http_public_url_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://[::1]:80",
        ] {
            assert!(config(&[("PUBLIC_URL", ok)]).is_ok(), "{ok}");
        }
    }

    #[test]
    fn single_tenant_off_loopback_needs_allowed_origins() {
        let single = config(&[("MALGOMO_SINGLE_TENANT", "true")]).unwrap();
        assert!(single.check_bind(true).is_ok());
        let refused = single.check_bind(false).unwrap_err();
        assert_eq!(refused.var, "ALLOWED_ORIGINS");
        assert!(
            refused.to_string().contains("MALGOMO_SINGLE_TENANT"),
            "{refused}"
        );
        let listed = config(&[
            ("MALGOMO_SINGLE_TENANT", "true"),
            ("ALLOWED_ORIGINS", "https://app.example"),
        ])
        .unwrap();
        assert!(listed.check_bind(false).is_ok());
        assert!(config(&[]).unwrap().check_bind(false).is_ok());
    }
}
