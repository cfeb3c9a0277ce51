//! The MalGomo MCP server as a library: every host (Lambda functions, the
//! local server, tests) builds the same [`App`] and serves it through the
//! same [`router::handle`], given the handle [`App::router`] lends.
//!
//! One request, top to bottom:
//!
//! ```text
//! host        Lambda adapter (functions/) | hyper server (host::local, `local` feature)
//!   │           http::Request<Bytes> in, http::Response out; the client address as an extension
//! router      origin/host guard, CORS, body limit; picks the route
//!   ├─ /mcp     mcp: JSON-RPC parse, version and media negotiation, session resolve → methods
//!   │             └─ tools/call → tools (registry, one file per tool) → upstream (Supabase
//!   │                auth, MalGomo REST; tokens renewed under a lease)
//!   ├─ OAuth    oauth: discovery, register, authorize/sign-in, token, revoke (mode A)
//!   └─ /, /docs docs page; /healthz
//! store       sessions and OAuth records, sealed above it: memory or DynamoDB, behind `RecordStore`
//! ```
//!
//! Typed values (`domain`), the caller (`auth`), configuration (`config`), secrets and sealing
//! (`crypto`), limits (`limits`) and response building (`web`) serve every
//! layer.
//!
//! # Layers
//!
//! A module uses only modules of the rows below its own; modules of one row
//! do not use each other (`tests/layers.rs` reads this table and the
//! imports, and fails on an edge that runs back up). Top first:
//!
//! ```text
//! host                     the local server (hyper); the Lambda adapters live in functions/
//! app                      assembles every layer below from a Config; hands out their handles
//! router                   origin/host guard, CORS, body limit; path → oauth | mcp | docs
//! mcp, docs                the MCP transport of both eras; the documentation page
//! tools                    the registry and one file per tool
//! auth, renewal            the caller (a bearer, or our token's grant); token renewal
//! oauth                    the authorization server (mode A)
//! config                   the settings, typed (it holds the limits' settings)
//! limits                   throttles and budgets counted in the store; open streams
//! session                  session ids, records, expiry; sealed above the store
//! store, resources, upstream, web   one record contract; the view; the upstream clients; HTTP pieces
//! protocol, domain, clock, crypto, telemetry, tls   leaves
//! ```

pub mod app;
pub mod auth;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod docs;
pub mod domain;
#[cfg(feature = "local")]
pub mod host;
pub mod limits;
pub mod mcp;
pub mod oauth;
pub mod protocol;
pub mod renewal;
pub mod resources;
pub mod router;
pub mod session;
pub mod store;
pub mod telemetry;
pub mod tls;
pub mod tools;
pub mod upstream;
pub mod web;

pub use app::{App, Host, Parts, StartError};
pub use config::Config;
