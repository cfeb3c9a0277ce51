//! MCP over Streamable HTTP (2025 era): JSON-RPC messages, version and
//! media negotiation, sessions, and the three verbs of `/mcp`.

pub mod answer;
mod call;
pub mod end;
mod identity;
pub mod jsonrpc;
pub mod methods;
pub mod negotiate;
pub mod post;
mod resolve;
pub mod stream;
mod version;

pub use call::{Call, OpenSession};
pub use identity::{Auth, Bearer};
pub use version::ProtocolVersion;
