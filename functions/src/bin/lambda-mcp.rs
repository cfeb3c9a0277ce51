//! The `mcp` Lambda function: `/mcp`, `/` and `/docs` through the shared router.

use malgomo_functions::lambda::{self, Start};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::run(Start::Serve).await
}
