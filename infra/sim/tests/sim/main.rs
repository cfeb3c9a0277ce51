//! The simulator's tests, from outside: HTTP against a running simulator.
//! One test binary for the crate (one link, one process per run); each
//! module is one subject.

mod admin;
mod api;
mod auth_password;
mod auth_sessions;
mod binary;
mod common;
mod faults;
mod totals;
