//! The `oauth` Lambda function: discovery, `/register`, `/authorize`,
//! `/oauth/login`, `/token`, `/revoke` through the shared router. Its own
//! function so sign-in stays fast (hosted clients give up after ~10 s)
//! whatever the tool calls are doing.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    malgomo_functions::lambda::run().await
}
