//! The `health` Lambda function: `/healthz` through the shared router.
//! Its own function so a liveness probe never waits behind tool calls; the
//! only function that checks the table before serving, so a green probe
//! means the table is usable.

use malgomo_functions::lambda::{self, Start};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::run(Start::CheckStore).await
}
