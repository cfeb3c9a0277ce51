//! Hosts that serve the router: the local server (Lambda's adapter lives
//! with the Lambda functions).

pub mod local;
