//! Mode A on two instances sharing one DynamoDB table: grants, sessions,
//! refresh and revocation cross over, and the login limit is shared.

use malgomo::limits::password::PER_PAIR;
use malgomo_tests::oauth as support;
use serde_json::json;
use support::*;

#[tokio::test]
async fn two_instances_share_one_dynamodb_table() {
    let (a, b) = two_on_one_table().await;
    assert_ne!(a.base, b.base);

    let client = a.register_public(&[REDIRECT]).await;
    let code = a.code(&client.id).await;
    let tokens = Tokens::from(&b.exchange_code(&client.id, &code, REDIRECT).await);
    a.assert_works(&tokens.access).await;
    b.assert_works(&tokens.access).await;

    // A session opened on A continues on B.
    let mut on_a = a.mcp(&tokens.access);
    on_a.initialize("2025-06-18").await;
    let mut on_b = b.mcp(&tokens.access);
    on_b.session = on_a.session.clone();
    assert_eq!(on_b.call_tool(KPIS, json!({})).await["isError"], false);

    // Refresh on A, the rotated-out token replayed on B within the grace
    // window gets the same pair.
    let rotated = Tokens::from(&a.refresh(&client.id, &tokens.refresh).await);
    let again = Tokens::from(&b.refresh(&client.id, &tokens.refresh).await);
    assert_eq!(again, rotated);
    b.assert_works(&rotated.access).await;

    // Revoke on B → A answers 401 at once.
    assert_eq!(b.revoke(&client.id, &rotated.access).await.status, 200);
    a.assert_refused(&rotated.access).await;
    a.assert_refused(&tokens.access).await;
    b.assert_refused(&rotated.access).await;
}

#[tokio::test]
async fn login_limit_is_shared_across_instances() {
    let (a, b) = two_on_one_table().await;
    let client = a.register_public(&[REDIRECT]).await;
    let page = SignInPage::parse(&a.authorize_with(&client.id, REDIRECT, &[]).await);
    for attempt in 1..=PER_PAIR.max {
        let on = if attempt % 2 == 0 { &a } else { &b };
        let answer = on.login(&page, OWNER, "wrong-password").await;
        assert_eq!(answer.status, 401, "attempt {attempt}: {}", answer.body);
    }
    let limited = a.login(&page, OWNER, "wrong-password").await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    let limited = b.login(&page, OWNER, OWNER_PASSWORD).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.header("retry-after").is_some());
}
