//! The store's claims under contention, on whichever backend the suite runs: several pools (as
//! several processes have) sweep the same due sessions at once, and each session is expired by
//! exactly one of them.
mod common;

use std::collections::HashSet;

use common::{TestApp, session_body};
use kassa::clock::Clock;
use kassa::store::DynStore;

#[tokio::test]
async fn sweepers_on_separate_pools_expire_each_due_session_exactly_once() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut created = HashSet::new();
    for n in 0..120 {
        let mut body = session_body(&format!("sweep-{n}"));
        body["duration"] = 60.into();
        created.insert(api.create_id(&body).await);
    }
    let later = app.clock.now().plus_seconds(61);
    let mut sweepers = Vec::new();
    for _ in 0..4 {
        let store: DynStore = kassa::store::open(&app.db.url, 3)
            .await
            .expect("a second pool");
        sweepers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                // Small batches, so the sweepers overlap many times.
                let batch = store
                    .expire_due(later, 7, &|_| Vec::new())
                    .await
                    .expect("sweep");
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch);
                tokio::task::yield_now().await;
            }
        }));
    }
    let mut expired = Vec::new();
    for s in sweepers {
        expired.extend(s.await.expect("sweeper"));
    }
    let unique: HashSet<String> = expired.iter().cloned().collect();
    assert_eq!(unique.len(), expired.len(), "a session was expired twice");
    assert_eq!(unique, created, "every due session was expired");
    for id in &created {
        let changes = app.store.status_changes(id).await.expect("changes");
        let expiries = changes
            .iter()
            .filter(|(from, to, _)| from == "ATTEMPT" && to == "EXPIRED")
            .count();
        assert_eq!((changes.len(), expiries), (1, 1), "{id}: {changes:?}");
    }
}
