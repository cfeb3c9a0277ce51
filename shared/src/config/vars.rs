//! The server's environment variables, spelt once: each with the part that
//! reads it and, for those the docs page shows, its row there (meaning and
//! default, HTML written here). [`super::Config`] reads its variables by
//! these names, the docs page renders its configuration table from
//! [`ALL`], and tests check that `Config` reads exactly the variables the
//! table gives it and that README documents every one.

/// One environment variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Var {
    pub name: &'static str,
    /// The part that reads it.
    pub read_by: ReadBy,
    /// Its row on the docs page; `None` for an operator's variable that
    /// only README documents.
    pub page: Option<PageRow>,
}

/// Who reads a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadBy {
    /// [`super::Config::from_lookup`].
    Config,
    /// The DynamoDB store's connection (the AWS SDK's standard names).
    DynamoDb,
}

/// A variable's row on the docs page: HTML, written here, never from input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRow {
    pub meaning: &'static str,
    pub default: &'static str,
}

/// Each variable a `pub const` of its own name, and [`ALL`] in the docs
/// page's order.
macro_rules! vars {
    ($($(#[$doc:meta])* $name:ident: $read_by:ident, $page:expr;)+) => {
        $(
            $(#[$doc])*
            pub const $name: Var = Var {
                name: stringify!($name),
                read_by: ReadBy::$read_by,
                page: $page,
            };
        )+

        /// Every variable, the docs page's rows first, in its order.
        pub const ALL: &[Var] = &[$($name),+];
    };
}

/// A docs page row.
const fn row(meaning: &'static str, default: &'static str) -> Option<PageRow> {
    Some(PageRow { meaning, default })
}

vars! {
    /// The MalGomo REST API origin.
    MALGOMO_API_BASE: Config, row(
        "Backend origin.",
        "<code>https://api.malgomo.com</code>",
    );
    /// The Supabase project that signs users in.
    SUPABASE_URL: Config, row(
        "Supabase project used for login.",
        "The MalGomo prod project:<br><code>https://<wbr>xgifdbzqplddpeobtwtw.<wbr>supabase.co</code>",
    );
    /// The dashboard's Supabase anon key; login needs it.
    SUPABASE_ANON_KEY: Config, row(
        "Required for login: the dashboard anon key.",
        "None; login answers a clear error when unset",
    );
    /// This server's public origin; set, it turns OAuth (mode A) on.
    PUBLIC_URL: Config, row(
        "This server's public URL (e.g. <code>https://mcp.malgomo.com</code>). When set, enables OAuth at connect and requires a bearer on <code>/mcp</code>.",
        "Unset (mode B)",
    );
    /// The single-tenant fallback token.
    MALGOMO_API_TOKEN: Config, row(
        "Optional single-tenant fallback token (only honoured with the flag below).",
        "Unset",
    );
    /// Honour the fallback token for anonymous sessions.
    MALGOMO_SINGLE_TENANT: Config, row(
        "Set <code>true</code> to honour the fallback token for anonymous sessions.",
        "<code>false</code>",
    );
    /// The allowed `Origin` values (DNS-rebinding protection).
    ALLOWED_ORIGINS: Config, row(
        "Comma-separated list of allowed <code>Origin</code> values; when set, enables DNS-rebinding protection.",
        "Unset",
    );
    /// The allowed `Host` values (DNS-rebinding protection).
    ALLOWED_HOSTS: Config, row(
        "Comma-separated list of allowed <code>Host</code> values; when set, enables DNS-rebinding protection.",
        "Unset",
    );
    /// Logged-in sessions per user (and per process, in memory).
    MAX_SESSIONS: Config, row(
        "Logged-in sessions per user (a login beyond it ends the user's oldest session); with the in-memory store also the most logged-in sessions the process holds. At most 2000.",
        "<code>500</code>",
    );
    /// Idle time-to-live of a session.
    SESSION_TTL_MS: Config, row(
        "Idle time-to-live of a session, in milliseconds.",
        "<code>1800000</code> (30 min)",
    );
    /// The local server's listen port.
    PORT: Config, row(
        "Listen port of the local server (hosts inject it).",
        "<code>8080</code>",
    );
    /// The DynamoDB table of every record; unset, the in-memory store.
    DYNAMODB_TABLE: Config, row(
        "DynamoDB table for sessions, authorization codes and grants.",
        "Unset: the embedded in-memory store",
    );
    /// The AWS SDK's DynamoDB endpoint override, read by the store's connection, not by `Config`.
    AWS_ENDPOINT_URL_DYNAMODB: DynamoDb, row(
        "The AWS SDK's standard endpoint override, e.g. for a local DynamoDB server.",
        "Unset",
    );
    /// The deployment's key for session ids.
    SESSION_KEY: Config, row(
        "Key of the session ids' MAC (≥ 32 characters), the same on every instance. Required with <code>DYNAMODB_TABLE</code>.",
        "Unset: a random key per process",
    );
    /// The secret the front door adds in `x-origin-secret`.
    ORIGIN_SECRET: Config, row(
        "When set, every request must carry it in <code>x-origin-secret</code> (the front door adds it), else 403 (≥ 32 characters).",
        "Unset: no check",
    );
    /// Lifetime of the access tokens of mode A.
    OAUTH_ACCESS_TOKEN_TTL_SECS: Config, row(
        "Lifetime of the access tokens issued in mode A (they stay revocable at once; the upstream tokens behind them renew server-side).",
        "86400 (24 h)",
    );
    /// Password grants the deployment sends to Supabase per minute.
    SUPABASE_SIGN_INS_PER_MINUTE: Config, None;
    /// Local server: the most a request head may take.
    HEADER_READ_TIMEOUT_MS: Config, None;
    /// Local server: the most a request body may take.
    BODY_READ_TIMEOUT_MS: Config, None;
    /// Local server: open connections per client address.
    MAX_CONNECTIONS_PER_ADDRESS: Config, None;
    /// Local server: open connections in all.
    MAX_CONNECTIONS: Config, None;
    /// How often an SSE stream sends a keep-alive comment.
    SSE_KEEP_ALIVE_MS: Config, None;
    /// How long an SSE stream lasts.
    SSE_MAX_AGE_MS: Config, None;
    /// During an origin-secret rotation, a second accepted value.
    ORIGIN_SECRET_PREVIOUS: Config, None;
    /// The most one upstream call may take.
    UPSTREAM_TIMEOUT_MS: Config, None;
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Mutex;

    use super::*;
    use crate::config::Config;
    use crate::store::Connection;

    /// The names `read` asks its lookup for, every variable unset but the
    /// ones in `set`.
    fn asked(
        set: &[(&str, &str)],
        read: impl FnOnce(&dyn Fn(&str) -> Option<String>),
    ) -> BTreeSet<String> {
        let asked = Mutex::new(BTreeSet::new());
        read(&|name: &str| {
            asked.lock().unwrap().insert(name.to_owned());
            set.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        });
        asked.into_inner().unwrap()
    }

    fn names(read_by: ReadBy) -> BTreeSet<String> {
        ALL.iter()
            .filter(|var| var.read_by == read_by)
            .map(|var| var.name.to_owned())
            .collect()
    }

    #[test]
    fn config_reads_exactly_the_variables_of_the_table() {
        let read = asked(&[], |lookup| {
            Config::from_lookup(lookup).unwrap();
        });
        assert_eq!(read, names(ReadBy::Config));
    }

    #[test]
    fn the_dynamodb_connection_reads_its_variables_of_the_table() {
        let set = [
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "key"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
        ];
        let read = asked(&set, |lookup| {
            Connection::from_lookup(lookup).unwrap();
        });
        for name in names(ReadBy::DynamoDb) {
            assert!(read.contains(&name), "{name} is not read: {read:?}");
        }
    }

    #[test]
    fn names_are_unique() {
        let unique: BTreeSet<&str> = ALL.iter().map(|var| var.name).collect();
        assert_eq!(unique.len(), ALL.len());
    }

    #[test]
    fn readme_documents_every_variable() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
        let readme = std::fs::read_to_string(path).unwrap();
        let start = readme
            .find("\n## Configuration\n")
            .expect("README has a Configuration section");
        let section = &readme[start..];
        let section = &section[..section[1..]
            .find("\n## ")
            .map_or(section.len(), |end| end + 1)];
        for var in ALL {
            assert!(
                section.contains(&format!("`{}`", var.name)),
                "README's configuration table misses {}",
                var.name
            );
        }
    }

    #[test]
    fn page_defaults_agree_with_the_typed_ones() {
        let shown = |var: Var| var.page.map(|row| row.default).unwrap_or_default();
        let config = crate::config::Config::from_lookup(|_| None).unwrap();
        assert!(shown(MALGOMO_API_BASE).contains(config.api_base.as_str().trim_end_matches('/')));
        assert!(shown(MAX_SESSIONS).contains(&format!("<code>{}</code>", config.max_sessions)));
        assert!(
            shown(SESSION_TTL_MS)
                .contains(&format!("<code>{}</code>", config.session_ttl.as_millis()))
        );
        assert!(shown(PORT).contains(&format!("<code>{}</code>", config.port)));
        assert!(
            shown(OAUTH_ACCESS_TOKEN_TTL_SECS)
                .starts_with(&config.access_token_ttl.as_secs().to_string())
        );
    }
}
