//! The MalGomo MCP server as a library: every host (Lambda functions, the
//! local server, tests) builds the same [`App`] and serves it through the
//! same [`router::handle`].

pub mod app;
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
pub mod resources;
pub mod router;
pub mod session;
pub mod store;
pub mod telemetry;
pub mod tools;
pub mod upstream;
pub mod web;

pub use app::{App, Host, Parts};
pub use config::Config;
