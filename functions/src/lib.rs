//! Support for the thin mains: command line, logging, and the Lambda adapter.

pub mod cli;
pub mod lambda;
pub mod telemetry;
