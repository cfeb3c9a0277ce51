//! The `health` Lambda function: `/healthz` through the shared router.
//! Its own function so a liveness probe never waits behind tool calls.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    malgomo_functions::lambda::run().await
}
