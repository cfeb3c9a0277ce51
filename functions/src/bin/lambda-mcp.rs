//! The `mcp` Lambda function: `/mcp`, `/` and `/docs` through the shared router.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    malgomo_functions::lambda::run().await
}
