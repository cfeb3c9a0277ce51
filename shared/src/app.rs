//! The one place that builds the application from a [`Config`]: every host
//! (Lambda functions, the local server, tests) calls this. It only
//! assembles: each layer is lent its own handle ([`App::router`],
//! [`App::mcp`], [`App::oauth`], [`App::sessions`], …), so no layer takes
//! the app and it sits on top of all of them.

use std::sync::Arc;
use std::time::Duration;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::limits::password::Throttle;
use crate::limits::streams::StreamSlots;
use crate::mcp;
use crate::oauth::AuthServer;
use crate::oauth::metadata::Discovery;
use crate::router::Router;
use crate::session::{Expiry, SessionKey, Sessions, StoredSessions};
use crate::store::{
    Connection, DynamoStore, MemoryStore, RecordStore, StoreError, Stores, per_user_share,
};
use crate::tls::NoTls;
use crate::upstream::{HttpSettings, Upstream};
use crate::web::guard::OriginPolicy;

/// What the hosting environment can do.
#[derive(Clone, Copy, Debug)]
pub struct Host {
    /// The host can hold a response open (SSE on `GET /mcp`); else 405.
    pub can_stream: bool,
    /// The server is bound to loopback only.
    pub loopback_bind: bool,
}

impl Host {
    /// A local server on the given bind address.
    pub fn local(loopback_bind: bool) -> Self {
        Self {
            can_stream: true,
            loopback_bind,
        }
    }

    /// A Lambda behind a buffering front door.
    pub fn lambda() -> Self {
        Self {
            can_stream: false,
            loopback_bind: false,
        }
    }
}

/// The application: configuration, upstream clients, session store, clock.
#[derive(Debug)]
pub struct App {
    pub config: Config,
    pub upstream: Upstream,
    /// Sessions, sealed and kept through a [`RecordStore`].
    pub store: StoredSessions,
    /// OAuth records (clients, codes, grants, tokens, counters).
    pub records: Arc<dyn RecordStore>,
    pub clock: Arc<dyn Clock>,
    pub expiry: Expiry,
    /// Issues and verifies session ids (`SESSION_KEY`).
    pub sessions: SessionKey,
    pub host: Host,
    pub origins: OriginPolicy,
    /// Interval of SSE keep-alive comments.
    pub keep_alive: Duration,
    /// Logged-in sessions one user may hold (`MAX_SESSIONS`; with the
    /// in-memory store, which also caps the process at `MAX_SESSIONS`, a
    /// tenth of it).
    pub sessions_per_user: usize,
    /// Open SSE streams, capped per session and per server.
    pub streams: Arc<StreamSlots>,
    /// The OAuth discovery documents, serialised once (mode A only).
    pub discovery: Option<Discovery>,
}

/// Why the app could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Several instances share the table, so they must share the key that
    /// makes session ids verifiable.
    #[error(
        "configuration error: SESSION_KEY must be set when DYNAMODB_TABLE is (every instance must verify the session ids of the others; use a generated random string of at least 32 characters)"
    )]
    NoSessionKey,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No CA certificate could be loaded: no upstream can be verified.
    #[error(transparent)]
    NoTls(#[from] NoTls),
}

/// Optional parts a test or host may replace.
#[derive(Debug, Default)]
pub struct Parts {
    /// The record store sessions are kept in.
    pub store: Option<Arc<dyn RecordStore>>,
    pub records: Option<Arc<dyn RecordStore>>,
    pub clock: Option<Arc<dyn Clock>>,
    pub http: Option<HttpSettings>,
}

impl App {
    /// The embedded in-memory store, whatever the configuration says.
    pub fn new(config: Config, host: Host) -> Result<Self, StartError> {
        Self::with_parts(config, host, Parts::default())
    }

    /// The app as configured: DynamoDB when `DYNAMODB_TABLE` is set, else
    /// the in-memory store. No store call is made here, so a Lambda
    /// function serves its first request without waiting for DynamoDB; a
    /// host that wants the table checked first calls [`App::check_store`].
    /// DynamoDB without `SESSION_KEY` is refused: instances sharing a table
    /// must verify each other's session ids.
    pub async fn from_config(config: Config, host: Host) -> Result<Self, StartError> {
        let parts = match &config.dynamodb_table {
            Some(_) if config.session_key.is_none() => return Err(StartError::NoSessionKey),
            Some(table) => {
                let connection = Connection::from_env()?;
                let store = Arc::new(DynamoStore::connect(connection, table.clone()));
                Parts {
                    store: Some(store.clone()),
                    records: Some(store),
                    ..Parts::default()
                }
            }
            None => Parts::default(),
        };
        Self::with_parts(config, host, parts)
    }

    /// The record store and the clock, for the layers that take only those.
    pub fn stores(&self) -> Stores<'_> {
        Stores {
            records: self.records.as_ref(),
            clock: self.clock.as_ref(),
        }
    }

    /// The session layer's handle.
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions {
            stored: &self.store,
            stores: self.stores(),
            expiry: self.expiry,
            per_user: self.sessions_per_user,
        }
    }

    /// The authorization server's handle (mode A).
    pub fn oauth(&self) -> AuthServer<'_> {
        AuthServer {
            stores: self.stores(),
            upstream: &self.upstream,
            throttle: self.throttle(),
            public_url: self.config.public_url.as_ref(),
            access_token_ttl: self.config.access_token_ttl,
            discovery: self.discovery.as_ref(),
        }
    }

    /// The MCP transport's handle.
    pub fn mcp(&self) -> mcp::Server<'_> {
        mcp::Server {
            oauth_enabled: self.config.oauth_enabled(),
            sessions: self.sessions(),
            ids: &self.sessions,
            clock: &self.clock,
            upstream: &self.upstream,
            throttle: self.throttle(),
            single_tenant: self
                .config
                .api_token
                .as_ref()
                .filter(|_| self.config.single_tenant),
            can_stream: self.host.can_stream,
            streams: &self.streams,
            keep_alive: self.keep_alive,
            sse_max_age: self.config.sse_max_age,
        }
    }

    /// The router's handle: its guards' settings and the handles of the
    /// layers it hands a request to. Hosts serve a request with
    /// `router::handle(&app.router(), request)`.
    pub fn router(&self) -> Router<'_> {
        Router {
            origin_secret: self.config.origin_secret.as_ref(),
            origins: &self.origins,
            public_url: self.config.public_url.as_ref(),
            loopback_bind: self.host.loopback_bind,
            oauth: self.oauth(),
            mcp: self.mcp(),
        }
    }

    /// The password throttle: the shared records, the key that hashes
    /// trusted pairs, the deployment's grant budget.
    pub fn throttle(&self) -> Throttle<'_> {
        Throttle {
            records: self.records.as_ref(),
            key: &self.sessions,
            budget: self.config.sign_in_budget,
        }
    }

    /// Checks that the store is usable (for DynamoDB: the table exists with
    /// its key and TTL), so a misconfiguration stops start-up with a message
    /// naming the table instead of failing a user's request.
    pub async fn check_store(&self) -> Result<(), StoreError> {
        self.records.check().await
    }

    /// Fails only without a TLS trust store ([`StartError::NoTls`]).
    pub fn with_parts(config: Config, host: Host, parts: Parts) -> Result<Self, StartError> {
        let upstream = Upstream::new(
            config.api_base.clone(),
            config.supabase_url.clone(),
            config.supabase_anon_key.clone(),
            parts
                .http
                .or(config.upstream_timeout.map(HttpSettings::within))
                .unwrap_or_default(),
        )?;
        let memory = Arc::new(MemoryStore::new(config.max_sessions));
        let sessions_per_user = match parts.store {
            Some(_) => config.max_sessions,
            None => per_user_share(config.max_sessions),
        };
        let store = StoredSessions::new(parts.store.unwrap_or_else(|| memory.clone()));
        let records = parts.records.unwrap_or(memory);
        let sessions = config
            .session_key
            .as_ref()
            .map_or_else(SessionKey::generate, SessionKey::from_secret);
        let origins = OriginPolicy::new(
            config.allowed_origins.clone(),
            config.allowed_hosts.clone(),
            host.loopback_bind,
            config
                .public_url
                .as_ref()
                .map(|url| url.origin().ascii_serialization()),
        );
        Ok(Self {
            discovery: config.public_url.as_ref().map(Discovery::new),
            keep_alive: config.sse_keep_alive,
            expiry: Expiry::new(config.session_ttl),
            sessions,
            config,
            upstream,
            store,
            records,
            clock: parts.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            host,
            origins,
            streams: Arc::default(),
            sessions_per_user,
        })
    }
}
