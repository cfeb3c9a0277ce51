//! Hosts that serve the router: the local server, behind the `local`
//! feature (Lambda's adapter lives with the Lambda functions).

mod backoff;
pub mod local;
