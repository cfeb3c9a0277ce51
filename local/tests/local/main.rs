//! The local server as users run it: the malgomo-mcp binary as a child process.
//! One test binary for the crate (one link, one process per run); each
//! module is one subject.

mod crash;
mod load;
mod local_server;
