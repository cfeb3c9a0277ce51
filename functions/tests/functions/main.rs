//! The Lambda functions as Lambda runs them: the real binaries against a runtime-API emulator.
//! One test binary for the crate (one link, one process per run); each
//! module is one subject.

mod deployed;
mod lambda;
