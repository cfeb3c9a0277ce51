//! The races, on the memory store only (see the suite's doc): many writers
//! on one version, many creators of one id — exactly one wins.

use std::sync::Arc;

use malgomo::session::{SessionId, SessionRecord, StoredSessions, Versioned};
use malgomo::store::{RecordStore, StoreError};

use super::*;

/// `tasks` writes of one session, each with its own record (owner
/// `task-<n>`), released together by a barrier; their outcomes by task.
async fn race(
    sessions: &StoredSessions,
    id: &SessionId,
    tasks: usize,
    create: bool,
) -> Vec<Result<Versioned, StoreError>> {
    let barrier = Arc::new(tokio::sync::Barrier::new(tasks));
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let (sessions, id, barrier) = (sessions.clone(), id.clone(), barrier.clone());
            tokio::spawn(async move {
                let mine = SessionRecord {
                    owner: Some(format!("task-{task}")),
                    ..record(NOW + HOUR)
                };
                barrier.wait().await;
                match create {
                    true => sessions.create(&id, &mine, NOW).await,
                    false => sessions.update(&id, &mine, 1).await,
                }
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for handle in handles {
        outcomes.push(handle.await.expect("task finishes"));
    }
    outcomes
}

pub(super) async fn concurrent_updates_on_one_version_exactly_one_wins(
    store: Arc<dyn RecordStore>,
) {
    let (sessions, id) = sessions_and_id(store);
    sessions
        .create(&id, &record(NOW + HOUR), NOW)
        .await
        .unwrap();
    let mut winners = Vec::new();
    for (task, outcome) in race(&sessions, &id, 12, false)
        .await
        .into_iter()
        .enumerate()
    {
        match outcome {
            Ok(stored) => {
                assert_eq!(stored.version, 2, "the winner gets version 2");
                winners.push(task);
            }
            Err(StoreError::Conflict) => {}
            Err(other) => panic!("task {task} failed with {other:?}"),
        }
    }
    assert_eq!(
        winners.len(),
        1,
        "exactly one of 12 concurrent updates wins, got {winners:?}"
    );
    let got = live(&sessions, &id, NOW).await;
    assert_eq!(
        (got.record.owner, got.version),
        (Some(format!("task-{}", winners[0])), 2),
        "the stored record is the winner's"
    );
}

pub(super) async fn concurrent_creates_of_one_id_exactly_one_wins(store: Arc<dyn RecordStore>) {
    let (sessions, id) = sessions_and_id(store);
    let mut created = 0;
    for outcome in race(&sessions, &id, 8, true).await {
        match outcome {
            Ok(_) => created += 1,
            Err(StoreError::AlreadyExists) => {}
            Err(other) => panic!("create failed with {other:?}"),
        }
    }
    assert_eq!(created, 1, "exactly one create-if-absent wins");
}
