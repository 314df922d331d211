//! Persistence behind one trait. `sqlite` is the embedded default and `postgres` serves several
//! processes on one database; `open` picks one from the database URL's scheme. The traits are
//! implemented once (`pooled`), over statements written once (`*_sql`, rendered per dialect by
//! `stmt`) and multi-statement units of work written once (`work`); a backend module holds only
//! what really differs: connecting, how transactions begin, and how the expiry sweep claims rows.
//!
//! Each method is one unit of work: it either happens whole or not at all (a transaction where
//! it writes more than one row), so a failed request never leaves half a session behind.

mod client_sql;
mod connect;
pub mod db_url;
mod link_sql;
mod list_sql;
mod migrations;
mod payment_sql;
mod pooled;
pub mod postgres;
mod rows;
mod session_sql;
pub mod sqlite;
mod stmt;
mod webhook_sql;
mod work;

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
use crate::domain::webhook::NewEvent;

pub use connect::{StoreOptions, open, open_with};

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
    /// The migrations table names a version this binary does not have.
    #[error(
        "the database schema (version {database}) is newer than this kassa binary \
         (version {binary}); upgrade kassa"
    )]
    SchemaTooNew { database: i64, binary: i64 },
    /// The database could not be reached or refused the connection at start; the message
    /// names the server (never the password).
    #[error("{0}")]
    Unreachable(String),
    /// The URL names no backend kassa has; the message shows it without its password.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
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
    + WebhookStore
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
    async fn expire_due(
        &self,
        now: Timestamp,
        batch: u32,
        events: &ExpiryEvents,
    ) -> StoreResult<Vec<String>>;
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
        events: &[NewEvent],
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
    /// The link whose `/l/{public_token}` page a payer opened.
    async fn link_by_public_token(&self, public_token: &str) -> StoreResult<Option<LinkRecord>>;
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

/// A client's webhook endpoint. The signing secrets are kept as they are: kassa must compute
/// HMACs with them, so unlike client secrets they cannot be hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRecord {
    pub tenant: Tenant,
    pub url: String,
    pub secret: String,
    /// The secret before the last roll, still signing until `previous_expires_at`.
    pub previous_secret: Option<String>,
    pub previous_expires_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An outbox row: one event for one tenant, and where its delivery stands.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub id: String,
    pub tenant: Tenant,
    pub event: String,
    pub data: serde_json::Value,
    pub created_at: Timestamp,
    /// `pending`, `delivered` or `failed` (given up after a day).
    pub status: String,
    pub attempts: u32,
    pub next_attempt_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
    pub last_error: Option<String>,
}

/// One delivery attempt, for the delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    pub at: Timestamp,
    pub url: String,
    pub status_code: Option<u16>,
    pub latency_ms: i64,
    pub error: Option<String>,
}

/// What an attempt leaves the event as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    Delivered,
    RetryAt(Timestamp),
    GiveUp,
}

#[async_trait]
pub trait WebhookStore {
    async fn upsert_endpoint(&self, endpoint: &EndpointRecord) -> StoreResult<()>;
    async fn get_endpoint(&self, tenant: &Tenant) -> StoreResult<Option<EndpointRecord>>;
    /// Claims up to `batch` due pending events for delivery until `lease_until`: a claimed
    /// event is not handed to another worker (or process) before its lease ends, so a crashed
    /// worker's events are picked up again, and at least once is kept.
    async fn claim_due_events(
        &self,
        now: Timestamp,
        batch: u32,
        lease_until: Timestamp,
    ) -> StoreResult<Vec<EventRecord>>;
    /// Logs an attempt and moves the event on, in one transaction.
    async fn record_attempt(
        &self,
        event_id: &str,
        attempt: &AttemptRecord,
        outcome: AttemptOutcome,
    ) -> StoreResult<()>;
    /// Newest first.
    async fn list_events(
        &self,
        tenant: &Tenant,
        limit: u32,
        offset: u64,
    ) -> StoreResult<(u64, Vec<EventRecord>)>;
    async fn get_event(
        &self,
        tenant: &Tenant,
        id: &str,
    ) -> StoreResult<Option<(EventRecord, Vec<AttemptRecord>)>>;
    /// Makes the event pending and due now, whatever its status; false when there is none.
    async fn redeliver_event(&self, tenant: &Tenant, id: &str, now: Timestamp)
    -> StoreResult<bool>;
}

/// One guarded status change, and the webhook events it causes: the store writes them to the
/// outbox in the same transaction, only if the change wins.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub from: SessionStatus,
    pub to: SessionStatus,
    pub deactivate: bool,
    pub now: Timestamp,
    pub events: Vec<NewEvent>,
}

/// Builds the outbox events of a session that the sweep has just expired.
pub type ExpiryEvents = dyn Fn(&SessionRecord) -> Vec<NewEvent> + Send + Sync;

pub type DynStore = Arc<dyn Store>;
