//! The `oauth` Lambda function: discovery, `/register`, `/authorize`,
//! `/oauth/login`, `/token`, `/revoke` through the shared router. Its own
//! function so sign-in stays fast (hosted clients give up after ~10 s)
//! whatever the tool calls are doing.

use malgomo_functions::lambda::{self, Start};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::run(Start::Serve).await
}
