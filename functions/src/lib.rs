//! Support for the Lambda mains: the adapter between `lambda_http` events
//! and the shared router. The local server lives in its own crate
//! (`local/`, package `malgomo-mcp`), so these binaries link neither the
//! simulator nor the hyper server.

pub mod lambda;
