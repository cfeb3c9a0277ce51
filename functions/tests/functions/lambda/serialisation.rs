//! lambda_http's response serialisation: `Set-Cookie` to `cookies`, text
//! bodies text, repeated headers kept.

use std::convert::Infallible;

use serde_json::{Value, json};

use super::*;

/// Runs one v2 event through `lambda_http`'s adapter (what `lambda_http::run`
/// does per invocation) around a handler that answers `answer`, and returns
/// the JSON the runtime would post.
async fn serialised(answer: http::Response<lambda_http::Body>) -> Value {
    use lambda_http::{Adapter, Context, LambdaEvent, Service, service_fn};
    let event: lambda_http::request::LambdaRequest =
        serde_json::from_str(FUNCTION_URL_INITIALIZE).expect("the sample parses");
    let answer = std::sync::Mutex::new(Some(answer));
    let handler = service_fn(|_request: lambda_http::Request| {
        let response = answer.lock().unwrap().take().expect("one call");
        async move { Ok::<_, Infallible>(response) }
    });
    let mut adapter = Adapter::from(handler);
    let response = adapter
        .call(LambdaEvent::new(event, Context::default()))
        .await
        .expect("infallible");
    serde_json::to_value(&response).expect("serialisable")
}

#[tokio::test]
async fn lambda_http_moves_set_cookie_to_cookies_and_keeps_text_bodies_text() {
    let response = serialised(
        http::Response::builder()
            .status(401)
            .header(
                "www-authenticate",
                r#"Bearer resource_metadata="https://x/.well-known/oauth-protected-resource""#,
            )
            .header("set-cookie", "a=1")
            .header("set-cookie", "b=2")
            .header("content-type", "application/json")
            .body(lambda_http::Body::Text("{}".into()))
            .unwrap(),
    )
    .await;
    assert_eq!(
        response,
        json!({
            "statusCode": 401,
            "headers": {
                "www-authenticate": r#"Bearer resource_metadata="https://x/.well-known/oauth-protected-resource""#,
                "content-type": "application/json",
            },
            "multiValueHeaders": {},
            "body": "{}",
            "isBase64Encoded": false,
            "cookies": ["a=1", "b=2"],
        })
    );
}

#[tokio::test]
async fn repeated_response_headers_survive_the_lambda_response() {
    let mut answer = http::Response::builder()
        .status(401)
        .header("www-authenticate", r#"Bearer realm="mcp""#)
        .header("www-authenticate", r#"Basic realm="legacy""#)
        .header("vary", "Origin")
        .header("vary", "Accept")
        .body(lambda_http::Body::Empty)
        .unwrap();
    // lambda_http keeps only a header's first value; the adapter joins them.
    malgomo_functions::lambda::join_repeated_headers(answer.headers_mut());
    let response = serialised(answer).await;
    assert_eq!(
        response["headers"]["www-authenticate"], r#"Bearer realm="mcp", Basic realm="legacy""#,
        "{response}"
    );
    assert_eq!(response["headers"]["vary"], "Origin, Accept", "{response}");
}
