//! API clients: created and revoked by the operator, never through the API.

use crate::auth::credentials::{Credentials, new_client};
use crate::domain::environment::Environment;
use crate::domain::time::Timestamp;
use crate::service::error::{Error, Result};
use crate::store::Store;

pub async fn create_client(
    store: &dyn Store,
    env: Environment,
    name: &str,
    now: Timestamp,
) -> Result<Credentials> {
    if name.trim().is_empty() {
        return Err(Error::invalid("the client name must not be empty"));
    }
    let (record, creds) = new_client(env, name, now).map_err(Error::internal)?;
    store.insert_client(&record).await?;
    Ok(creds)
}
