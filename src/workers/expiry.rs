//! The expiry sweep: stores EXPIRED for sessions whose `expiresAt` has passed. Reads already
//! show EXPIRED at once (CONTRACT §5); the sweep makes the stored status — and everything
//! that follows from it, like webhooks — catch up, in batches through a partial index.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::session::SessionRecord;
use crate::domain::webhook::{NewEvent, SESSION_EXPIRED};
use crate::service::Context;
use crate::service::events::session_data;
use crate::store::StoreResult;

pub const BATCH: u32 = 500;

/// Expires every due session, batch by batch; returns how many this call expired.
pub async fn run_once(ctx: &Context) -> StoreResult<usize> {
    let mut total = 0;
    loop {
        let now = ctx.clock.now();
        let public_url = ctx.public_url.clone();
        let events = move |s: &SessionRecord| {
            let data = session_data(&public_url, s, now);
            vec![NewEvent::new(&s.tenant, SESSION_EXPIRED, data, now)]
        };
        let expired = ctx.store.expire_due(now, BATCH, &events).await?;
        total += expired.len();
        if expired.len() < BATCH as usize {
            return Ok(total);
        }
    }
}

/// Sweeps every `every` until the process ends. Errors are logged and retried next tick: a
/// late sweep only delays the stored status, never what readers see.
pub fn spawn(ctx: Arc<Context>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_once(&ctx).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "expiry sweep"),
                Err(e) => tracing::warn!(error = %e, "expiry sweep failed; retrying next tick"),
            }
        }
    })
}
