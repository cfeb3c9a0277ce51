//! The MCP model, below every other layer: JSON-RPC messages and error
//! codes, protocol revisions of both eras, the `_meta` keys, and the serde
//! types of what the server answers. No transport, no I/O, no other module
//! of this crate.

pub mod jsonrpc;
pub mod lifecycle;
pub mod meta;
pub mod resource;
pub mod result;
pub mod tool;
mod version;

pub use version::{Era, ProtocolVersion};
