use malgomo::mcp::ProtocolVersion;
use malgomo::session::{SessionId, SessionRecord};
use malgomo::store::SessionStore;
use malgomo_tests::dynamo;

#[tokio::test]
async fn dynamo_round_trip() {
    let counter = dynamo::Counter::default();
    let store = dynamo::fresh_store(Some(counter.clone())).await;
    store.check_table().await.unwrap();
    let id = SessionId::generate();
    let record = SessionRecord {
        protocol_version: ProtocolVersion::LATEST,
        owner: None,
        login: None,
        expires_at_ms: i64::MAX / 2,
        touched_at_ms: 0,
        refresh_lease_until_ms: None,
    };
    store.create(&id, &record, 0).await.unwrap();
    let got = store.get(&id, 1).await.unwrap().unwrap();
    assert_eq!(got.record, record);
    assert_eq!(counter.count("PutItem"), 1);
    assert_eq!(counter.count("GetItem"), 1);
}
