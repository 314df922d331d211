//! Persistence behind one trait. `sqlite` is the embedded default; a PostgreSQL module sits
//! beside it behind the same trait, chosen at start from the database URL's scheme.
//!
//! Each method is one unit of work: it either happens whole or not at all (a transaction where
//! it writes more than one row), so a failed request never leaves half a session behind.

mod link_sql;
mod list_sql;
mod migrations;
mod rows;
pub mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::environment::{Environment, Tenant};
use crate::domain::link_query::LinkQuery;
use crate::domain::list_query::SessionQuery;
use crate::domain::payment::PaymentStatus;
use crate::domain::payment_config::CurrencyConfig;
use crate::domain::payment_link::{LinkRecord, LinkStatus};
use crate::domain::payment_record::PaymentRecord;
use crate::domain::session::SessionRecord;
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique key is taken; carries which one, in the API's words.
    #[error("{0} is already taken")]
    Conflict(&'static str),
    /// The database could not be used (unreachable, locked, broken). Never shown to clients.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// An API client. Only hashes of its secret and key are ever stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRecord {
    pub id: String,
    pub name: String,
    pub environment: Environment,
    /// argon2id PHC string of the client secret.
    pub secret_hash: String,
    /// Hex SHA-256 of the API key: keys are random and long, so a fast hash is enough and
    /// lets every request find its client through one indexed lookup.
    pub api_key_hash: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// An exchange rate row: one `from` unit is worth `rate` units of `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateRecord {
    pub environment: Environment,
    pub from: String,
    pub to: String,
    pub rate: String,
    pub updated_at: Timestamp,
}

/// Everything kassa persists. One trait per resource keeps each backend's code in one file
/// per resource; `Store` is their sum, used as `Arc<dyn Store>`.
pub trait Store:
    SettingsStore
    + ClientStore
    + RateStore
    + SessionStore
    + PaymentStore
    + LinkStore
    + Send
    + Sync
    + 'static
{
    /// Which backend this is, for logs and test output.
    fn backend(&self) -> &'static str;
}

/// Settings shared by every process on this database.
#[async_trait]
pub trait SettingsStore {
    /// Returns the stored value, or stores `init` and returns it when there is none.
    async fn setting_or_init(&self, key: &str, init: &str) -> StoreResult<String>;
}

#[async_trait]
pub trait ClientStore {
    async fn insert_client(&self, client: &ClientRecord) -> StoreResult<()>;
    async fn list_clients(&self) -> StoreResult<Vec<ClientRecord>>;
    async fn count_clients(&self) -> StoreResult<i64>;
    /// Returns false when no such client exists.
    async fn revoke_client(&self, id: &str, at: Timestamp) -> StoreResult<bool>;
    async fn client_by_api_key_hash(&self, hash: &str) -> StoreResult<Option<ClientRecord>>;
}

#[async_trait]
pub trait RateStore {
    async fn upsert_rate(&self, rate: &RateRecord) -> StoreResult<()>;
    async fn list_rates(&self, env: Option<Environment>) -> StoreResult<Vec<RateRecord>>;
    /// The rates out of one currency: what a create needs, through the primary key.
    async fn rates_from(&self, env: Environment, from: &str) -> StoreResult<Vec<RateRecord>>;
}

#[async_trait]
pub trait SessionStore {
    /// Inserts the session and reserves its checkout token; `Conflict("checkoutToken")` when
    /// the token is taken by another session or payment link of the same tenant.
    async fn insert_session(&self, session: &SessionRecord) -> StoreResult<()>;
    async fn get_session(&self, tenant: &Tenant, id: &str) -> StoreResult<Option<SessionRecord>>;
    /// Returns the total number of matches and one page of them.
    async fn list_sessions(
        &self,
        tenant: &Tenant,
        query: &SessionQuery,
        now: Timestamp,
    ) -> StoreResult<(u64, Vec<SessionRecord>)>;
    /// Compare-and-set: moves the session to `to` only if its stored status is still `from`
    /// (and, when `from` can expire and `to` is not EXPIRED, only if it has not expired by
    /// `now`). Returns whether this call won.
    async fn transition_session(
        &self,
        tenant: &Tenant,
        id: &str,
        change: &StatusChange,
    ) -> StoreResult<bool>;
    async fn session_by_token(
        &self,
        tenant: &Tenant,
        token: &str,
    ) -> StoreResult<Option<SessionRecord>>;
    /// The hosted page's lookup: the public token alone identifies the session.
    async fn session_by_public_token(
        &self,
        public_token: &str,
    ) -> StoreResult<Option<SessionRecord>>;
    /// Refresh: the status change of `change` plus a new expiry and new payment configs, as one
    /// compare-and-set.
    async fn refresh_session(
        &self,
        tenant: &Tenant,
        id: &str,
        change: &StatusChange,
        expires_at: Timestamp,
        configs: &[CurrencyConfig],
    ) -> StoreResult<bool>;
    /// Moves up to `batch` sessions whose `expiresAt` has passed from ATTEMPT/ACTIVE to
    /// EXPIRED, each at most once however many sweepers run; returns their ids.
    async fn expire_due(&self, now: Timestamp, batch: u32) -> StoreResult<Vec<String>>;
    /// The recorded status changes of a session, oldest first: `(from, to, at)`.
    async fn status_changes(
        &self,
        session_id: &str,
    ) -> StoreResult<Vec<(String, String, Timestamp)>>;
}

#[async_trait]
pub trait PaymentStore {
    /// Moves the session by `change` (to PROCESSING_PAYMENT) and inserts `payment`, both or
    /// neither. Returns false, writing nothing, when the session was no longer in
    /// `change.from` (another submission won, or it expired).
    async fn begin_payment(
        &self,
        change: &StatusChange,
        payment: &PaymentRecord,
    ) -> StoreResult<bool>;
    /// Moves `payment` from its current status to `to` (compare-and-set on the status it was
    /// read with), appending to its history, and applies `session_change` to its session in the
    /// same transaction. Returns whether this call won.
    async fn settle_payment(
        &self,
        payment: &PaymentRecord,
        to: PaymentStatus,
        failure_reason: Option<&str>,
        session_change: Option<&StatusChange>,
        now: Timestamp,
    ) -> StoreResult<bool>;
    async fn get_payment(&self, tenant: &Tenant, id: &str) -> StoreResult<Option<PaymentRecord>>;
    /// Newest first; optionally only one session's.
    async fn list_payments(
        &self,
        tenant: &Tenant,
        session_id: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> StoreResult<(u64, Vec<PaymentRecord>)>;
}

#[async_trait]
pub trait LinkStore {
    /// Inserts the link and reserves its checkout token; `Conflict("checkoutToken")` when the
    /// token is taken by another payment link or session of the same tenant.
    async fn insert_link(&self, link: &LinkRecord) -> StoreResult<()>;
    async fn get_link(&self, tenant: &Tenant, id: &str) -> StoreResult<Option<LinkRecord>>;
    /// The link (never a session) holding `checkout_token`.
    async fn link_by_token(
        &self,
        tenant: &Tenant,
        checkout_token: &str,
    ) -> StoreResult<Option<LinkRecord>>;
    /// Returns the total number of matches and one page of them.
    async fn list_links(
        &self,
        tenant: &Tenant,
        query: &LinkQuery,
        now: Timestamp,
    ) -> StoreResult<(u64, Vec<LinkRecord>)>;
    /// Compare-and-set: moves the link to `to` only if it is still as `seen`. Returns whether
    /// this call won.
    async fn transition_link(
        &self,
        tenant: &Tenant,
        id: &str,
        seen: &LinkSeen,
        to: LinkStatus,
    ) -> StoreResult<bool>;
    /// Compare-and-set delete: removes the link, its index rows and its checkout token (free
    /// for reuse) only if it is still as `seen`. Returns whether this call won.
    async fn delete_link(&self, tenant: &Tenant, id: &str, seen: &LinkSeen) -> StoreResult<bool>;
}

/// What a decision about a link was based on, for a compare-and-set to check it still holds:
/// the stored status, and whether the link had expired by `now` (which decides its effective
/// status, and so what it may do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSeen {
    pub status: LinkStatus,
    pub expired: bool,
    pub now: Timestamp,
}

/// One guarded status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub from: SessionStatus,
    pub to: SessionStatus,
    pub deactivate: bool,
    pub now: Timestamp,
}

pub type DynStore = Arc<dyn Store>;

/// Opens the store that `url` names, creating and migrating it.
pub async fn open(url: &str, pool_size: u32) -> StoreResult<DynStore> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::open(url, pool_size).await?))
    } else {
        Err(StoreError::Corrupt(format!(
            "unsupported database URL {url:?}: use sqlite://PATH"
        )))
    }
}
