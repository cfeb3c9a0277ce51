//! Typed clients of the two upstreams, over one shared HTTP client.

pub mod dashboard;
mod error;
mod failure_path;
mod http;
pub mod jwt;
mod malgomo;
mod supabase;
mod tokens;

pub use error::UpstreamError;
pub use http::{HttpSettings, build_client, parse_answer};
pub use malgomo::{ApiClient, Me};
pub use supabase::{AuthClient, Grant};
pub use tokens::TokenSet;

use url::Url;

use crate::domain::Secret;
use crate::tls::NoTls;

/// Both upstream clients, sharing one connection pool. Built once per process.
#[derive(Clone, Debug)]
pub struct Upstream {
    pub auth: AuthClient,
    pub api: ApiClient,
}

impl Upstream {
    pub fn new(
        api_base: Url,
        supabase_url: Url,
        anon_key: Option<Secret>,
        settings: HttpSettings,
    ) -> Result<Self, NoTls> {
        let http = build_client(settings)?;
        Ok(Self {
            auth: AuthClient::new(http.clone(), supabase_url, anon_key),
            api: ApiClient::new(http, api_base),
        })
    }
}
