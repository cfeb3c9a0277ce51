//! The server's configuration: every environment variable parsed once into
//! typed values. A bad value stops start-up with a message naming the
//! variable; nothing falls back to a default silently.

use std::time::Duration;

use url::Url;

use crate::domain::{OriginSecrets, Secret};
use crate::limits::budget::Budget;
use crate::limits::connections::ConnectionLimits;

mod env;
mod values;
pub mod vars;

use env::{Env, error};
pub use values::FUNCTION_URL;
use values::PublicSetting;

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
        let env = Env::new(lookup);
        let public = env.parse(vars::PUBLIC_URL, values::public_setting)?;
        Ok(Self {
            api_base: env.parse_or(vars::MALGOMO_API_BASE, DEFAULT_API_BASE, values::base_url)?,
            supabase_url: env.parse_or(
                vars::SUPABASE_URL,
                DEFAULT_SUPABASE_URL,
                values::base_url,
            )?,
            supabase_anon_key: env.raw(vars::SUPABASE_ANON_KEY).map(Secret::new),
            public_url_from_function_url: matches!(public, Some(PublicSetting::FunctionUrl)),
            public_url: match public {
                Some(PublicSetting::At(url)) => Some(url),
                Some(PublicSetting::FunctionUrl) | None => None,
            },
            api_token: env.raw(vars::MALGOMO_API_TOKEN).map(Secret::new),
            single_tenant: env
                .parse(vars::MALGOMO_SINGLE_TENANT, values::boolean)?
                .unwrap_or(false),
            allowed_origins: values::list(env.raw(vars::ALLOWED_ORIGINS)),
            allowed_hosts: values::list(env.raw(vars::ALLOWED_HOSTS)),
            max_sessions: env
                .parse(vars::MAX_SESSIONS, max_sessions)?
                .unwrap_or(DEFAULT_MAX_SESSIONS),
            sign_in_budget: env
                .parse(vars::SUPABASE_SIGN_INS_PER_MINUTE, |raw| {
                    Budget::parse(raw).map_err(|err| err.to_string())
                })?
                .unwrap_or_default(),
            connections: connection_limits(&env)?,
            sse_keep_alive: env
                .parse(vars::SSE_KEEP_ALIVE_MS, values::positive)?
                .map_or(DEFAULT_SSE_KEEP_ALIVE, Duration::from_millis),
            sse_max_age: env
                .parse(vars::SSE_MAX_AGE_MS, values::positive)?
                .map_or(DEFAULT_SSE_MAX_AGE, Duration::from_millis),
            session_ttl: env
                .parse(vars::SESSION_TTL_MS, values::positive)?
                .map_or(DEFAULT_SESSION_TTL, Duration::from_millis),
            port: env.parse(vars::PORT, values::port)?.unwrap_or(DEFAULT_PORT),
            dynamodb_table: env.raw(vars::DYNAMODB_TABLE).map(|v| v.trim().to_owned()),
            access_token_ttl: env
                .parse(vars::OAUTH_ACCESS_TOKEN_TTL_SECS, values::positive)?
                .map_or(DEFAULT_ACCESS_TOKEN_TTL, Duration::from_secs),
            session_key: env.parse(vars::SESSION_KEY, values::long_secret)?,
            origin_secret: origin_secrets(&env)?,
            upstream_timeout: env.parse(vars::UPSTREAM_TIMEOUT_MS, values::upstream_timeout)?,
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
        let url = values::public_url(&format!("https://{}", domain.trim()))
            .map_err(|problem| error(vars::PUBLIC_URL.name, problem))?;
        self.public_url = Some(url);
        self.public_url_from_function_url = false;
        Ok(self)
    }

    /// Mode A: the server is an OAuth authorization server and `/mcp` needs a bearer.
    pub fn oauth_enabled(&self) -> bool {
        self.public_url.is_some() || self.public_url_from_function_url
    }
}

/// The local server's limits; each variable unset keeps its default.
fn connection_limits<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
) -> Result<ConnectionLimits, ConfigError> {
    let defaults = ConnectionLimits::default();
    let millis = |var, default| {
        env.parse(var, values::positive)
            .map(|value| value.map_or(default, Duration::from_millis))
    };
    let count = |var, default| {
        env.parse(var, values::positive)
            .map(|value| value.map_or(default, |n| usize::try_from(n).unwrap_or(usize::MAX)))
    };
    Ok(ConnectionLimits {
        header_timeout: millis(vars::HEADER_READ_TIMEOUT_MS, defaults.header_timeout)?,
        body_timeout: millis(vars::BODY_READ_TIMEOUT_MS, defaults.body_timeout)?,
        per_address: count(vars::MAX_CONNECTIONS_PER_ADDRESS, defaults.per_address)?,
        total: count(vars::MAX_CONNECTIONS, defaults.total)?,
    })
}

/// `MAX_SESSIONS` bounds a per-user index item (one entry per logged-in
/// session, ~90 bytes each), which must stay far below DynamoDB's 400 KB.
pub const MAX_SESSIONS_LIMIT: usize = 2_000;

fn max_sessions(raw: &str) -> Result<usize, String> {
    let n = values::positive(raw)?;
    match usize::try_from(n) {
        Ok(n) if n <= MAX_SESSIONS_LIMIT => Ok(n),
        _ => Err(format!("must be at most {MAX_SESSIONS_LIMIT}, not {n}")),
    }
}

/// The current origin secret and, during a rotation, the previous one; a
/// previous one alone would mean "accept this" with nothing enforced.
fn origin_secrets<F: Fn(&str) -> Option<String>>(
    env: &Env<F>,
) -> Result<Option<OriginSecrets>, ConfigError> {
    let previous = env.parse(vars::ORIGIN_SECRET_PREVIOUS, values::long_secret)?;
    match env.parse(vars::ORIGIN_SECRET, values::long_secret)? {
        Some(current) => Ok(Some(OriginSecrets::new(current, previous))),
        None if previous.is_some() => Err(error(
            vars::ORIGIN_SECRET_PREVIOUS.name,
            "is set without ORIGIN_SECRET (the previous secret is accepted only beside a current one)",
        )),
        None => Ok(None),
    }
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
