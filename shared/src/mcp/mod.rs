//! MCP over Streamable HTTP, both eras on one endpoint: the 2025 revisions
//! (sessions, `initialize`, the three verbs of `/mcp`) and 2026-07-28
//! (stateless `POST`), over the model in [`crate::protocol`].

pub mod answer;
mod call;
pub mod end;
pub mod methods;
mod mirrored;
pub mod negotiate;
pub mod post;
mod resolve;
mod server;
pub mod sign_in;
pub mod stateless;
pub mod stream;

pub use call::Call;
pub use server::Server;
pub use sign_in::SignIn;
