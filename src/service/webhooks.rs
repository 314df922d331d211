//! Webhook endpoints and the event log, for the API and the CLI.

use crate::auth::credentials::random_token;
use crate::domain::environment::Tenant;
use crate::domain::list_query::Pagination;
use crate::domain::redirect_url::RedirectUrl;
use crate::domain::time::Timestamp;
use crate::domain::webhook::ROLL_OVERLAP_SECS;
use crate::service::Context;
use crate::service::error::{Error, Result};
use crate::store::{AttemptRecord, EndpointRecord, EventRecord, Store};

fn new_secret() -> String {
    format!("whsec_{}", random_token(32))
}

/// Sets the endpoint's URL; creates its secret on first use and rolls it when asked. Returns
/// the endpoint and, when one was made, the new secret (shown this once).
pub async fn set_endpoint(
    store: &dyn Store,
    tenant: &Tenant,
    url: &str,
    roll: bool,
    now: Timestamp,
) -> Result<(EndpointRecord, Option<String>)> {
    // The same rule as redirect URLs: absolute http(s), a host, no spaces.
    let url = RedirectUrl::parse(url)
        .map_err(|e| Error::invalid(format!("url {e}")))?
        .as_str()
        .to_string();
    let existing = store.get_endpoint(tenant).await?;
    let (endpoint, shown) = match existing {
        None => {
            let secret = new_secret();
            let e = EndpointRecord {
                tenant: tenant.clone(),
                url,
                secret: secret.clone(),
                previous_secret: None,
                previous_expires_at: None,
                created_at: now,
                updated_at: now,
            };
            (e, Some(secret))
        }
        Some(mut e) => {
            e.url = url;
            e.updated_at = now;
            if roll {
                let secret = new_secret();
                // The old secret keeps signing beside the new one while receivers switch over.
                e.previous_secret = Some(std::mem::replace(&mut e.secret, secret.clone()));
                e.previous_expires_at = Some(now.plus_seconds(ROLL_OVERLAP_SECS));
                (e, Some(secret))
            } else {
                (e, None)
            }
        }
    };
    store.upsert_endpoint(&endpoint).await?;
    Ok((endpoint, shown))
}

impl Context {
    pub async fn get_endpoint(&self, tenant: &Tenant) -> Result<EndpointRecord> {
        self.store.get_endpoint(tenant).await?.ok_or_else(|| {
            Error::not_found("no webhook endpoint is set; PUT /webhook-endpoint with {\"url\": …}")
        })
    }

    pub async fn list_events(
        &self,
        tenant: &Tenant,
        limit: u32,
        offset: u64,
    ) -> Result<(Pagination, Vec<EventRecord>)> {
        let (total, page) = self.store.list_events(tenant, limit, offset).await?;
        Ok((Pagination::new(offset, limit, total, page.len()), page))
    }

    pub async fn get_event(
        &self,
        tenant: &Tenant,
        id: &str,
    ) -> Result<(EventRecord, Vec<AttemptRecord>)> {
        self.store
            .get_event(tenant, id)
            .await?
            .ok_or_else(|| Error::not_found(format!("no webhook event with id {id:?}")))
    }

    /// Sends the event again as soon as the worker next runs, whatever happened before.
    pub async fn redeliver_event(
        &self,
        tenant: &Tenant,
        id: &str,
    ) -> Result<(EventRecord, Vec<AttemptRecord>)> {
        if !self
            .store
            .redeliver_event(tenant, id, self.clock.now())
            .await?
        {
            return Err(Error::not_found(format!("no webhook event with id {id:?}")));
        }
        self.get_event(tenant, id).await
    }
}
