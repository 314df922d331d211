//! Row decoding shared by every backend: the columns are the same, only the driver differs.

use sqlx::{ColumnIndex, Decode, Row, Type};

use crate::domain::environment::{Environment, Tenant};
use crate::domain::payment::PaymentStatus;
use crate::domain::payment_link::{LinkRecord, LinkStatus};
use crate::domain::payment_record::PaymentRecord;
use crate::domain::session::SessionRecord;
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;
use crate::store::{
    AttemptRecord, ClientRecord, EndpointRecord, EventRecord, RateRecord, StoreError,
};

/// The columns `Decoders::session` reads, in `SELECT` order.
pub const SESSION_COLUMNS: &str = "id, client_id, environment, checkout_token, public_token, \
    payment_link_id, status, deactivated, created_at, expires_at, duration_secs, success_url, \
    failed_url, total_sort_key, body, payment_configs";

pub const PAYMENT_COLUMNS: &str = "id, client_id, environment, checkout_session_id, status, \
    method, created_at, updated_at, failure_reason, history, body";

/// The columns `Decoders::link` reads, in `SELECT` order.
pub const LINK_COLUMNS: &str = "id, client_id, environment, checkout_token, public_token, \
    status, created_at, expires_at, duration_secs, success_url, failed_url, body";

pub const EVENT_COLUMNS: &str = "id, client_id, environment, event, data, created_at, status, \
    attempts, next_attempt_at, delivered_at, last_error";

pub const CLIENT_COLUMNS: &str =
    "id, name, environment, secret_hash, api_key_hash, created_at, revoked_at";

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn env(s: &str) -> Result<Environment, StoreError> {
    Environment::parse(s).ok_or_else(|| corrupt("unknown environment"))
}

/// Row decoding, as methods of any driver's row. Drivers require it of their row type
/// (`stmt::Driver`), so code generic over the backend needs no decoding bounds of its own.
pub trait Decoders {
    /// The owning `(client_id, environment)` columns.
    fn tenant(&self) -> Result<Tenant, StoreError>;
    fn session(&self) -> Result<SessionRecord, StoreError>;
    fn client(&self) -> Result<ClientRecord, StoreError>;
    fn rate(&self) -> Result<RateRecord, StoreError>;
    fn payment(&self) -> Result<PaymentRecord, StoreError>;
    fn link(&self) -> Result<LinkRecord, StoreError>;
    fn event(&self) -> Result<EventRecord, StoreError>;
    fn attempt(&self) -> Result<AttemptRecord, StoreError>;
    fn endpoint(&self, tenant: &Tenant) -> Result<EndpointRecord, StoreError>;
    /// A session's audit row: `(from, to, at)`.
    fn status_change(&self) -> Result<(String, String, Timestamp), StoreError>;
    /// Column 0, as text.
    fn text0(&self) -> Result<String, StoreError>;
    /// Column 0 of a `COUNT(*)`.
    fn count0(&self) -> Result<u64, StoreError>;
}

impl<R> Decoders for R
where
    R: Row,
    &'static str: ColumnIndex<R>,
    usize: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<String>: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<i64>: Decode<'r, R::Database> + Type<R::Database>,
{
    fn tenant(&self) -> Result<Tenant, StoreError> {
        let environment: String = self.try_get("environment")?;
        Ok(Tenant {
            client_id: self.try_get("client_id")?,
            environment: env(&environment)?,
        })
    }

    fn session(&self) -> Result<SessionRecord, StoreError> {
        let body: String = self.try_get("body")?;
        let configs: String = self.try_get("payment_configs")?;
        let status: String = self.try_get("status")?;
        Ok(SessionRecord {
            id: self.try_get("id")?,
            tenant: self.tenant()?,
            checkout_token: self.try_get("checkout_token")?,
            public_token: self.try_get("public_token")?,
            payment_link_id: self.try_get("payment_link_id")?,
            status: SessionStatus::parse(&status).map_err(|_| corrupt("unknown session status"))?,
            deactivated: self.try_get::<i64, _>("deactivated")? != 0,
            created_at: Timestamp::from_millis(self.try_get("created_at")?),
            expires_at: Timestamp::from_millis(self.try_get("expires_at")?),
            duration_secs: self.try_get("duration_secs")?,
            success_url: self.try_get("success_url")?,
            failed_url: self.try_get("failed_url")?,
            total_sort_key: self.try_get("total_sort_key")?,
            body: serde_json::from_str(&body)
                .map_err(|e| corrupt(&format!("session body: {e}")))?,
            payment_configs: serde_json::from_str(&configs)
                .map_err(|e| corrupt(&format!("payment configs: {e}")))?,
        })
    }

    fn client(&self) -> Result<ClientRecord, StoreError> {
        let environment: String = self.try_get("environment")?;
        Ok(ClientRecord {
            id: self.try_get("id")?,
            name: self.try_get("name")?,
            environment: env(&environment)?,
            secret_hash: self.try_get("secret_hash")?,
            api_key_hash: self.try_get("api_key_hash")?,
            created_at: Timestamp::from_millis(self.try_get("created_at")?),
            revoked_at: self
                .try_get::<Option<i64>, _>("revoked_at")?
                .map(Timestamp::from_millis),
        })
    }

    fn rate(&self) -> Result<RateRecord, StoreError> {
        let environment: String = self.try_get("environment")?;
        Ok(RateRecord {
            environment: env(&environment)?,
            from: self.try_get("from_currency")?,
            to: self.try_get("to_currency")?,
            rate: self.try_get("rate")?,
            updated_at: Timestamp::from_millis(self.try_get("updated_at")?),
        })
    }

    fn payment(&self) -> Result<PaymentRecord, StoreError> {
        let status: String = self.try_get("status")?;
        let history: String = self.try_get("history")?;
        let body: String = self.try_get("body")?;
        Ok(PaymentRecord {
            id: self.try_get("id")?,
            tenant: self.tenant()?,
            session_id: self.try_get("checkout_session_id")?,
            status: PaymentStatus::parse(&status)
                .ok_or_else(|| corrupt("unknown payment status"))?,
            method: self.try_get("method")?,
            created_at: Timestamp::from_millis(self.try_get("created_at")?),
            updated_at: Timestamp::from_millis(self.try_get("updated_at")?),
            failure_reason: self.try_get("failure_reason")?,
            history: serde_json::from_str(&history)
                .map_err(|e| corrupt(&format!("payment history: {e}")))?,
            body: serde_json::from_str(&body)
                .map_err(|e| corrupt(&format!("payment body: {e}")))?,
        })
    }

    fn link(&self) -> Result<LinkRecord, StoreError> {
        let status: String = self.try_get("status")?;
        let body: String = self.try_get("body")?;
        Ok(LinkRecord {
            id: self.try_get("id")?,
            tenant: self.tenant()?,
            checkout_token: self.try_get("checkout_token")?,
            public_token: self.try_get("public_token")?,
            status: LinkStatus::parse(&status)
                .map_err(|_| corrupt("unknown payment link status"))?,
            created_at: Timestamp::from_millis(self.try_get("created_at")?),
            expires_at: Timestamp::from_millis(self.try_get("expires_at")?),
            duration_secs: self.try_get("duration_secs")?,
            success_url: self.try_get("success_url")?,
            failed_url: self.try_get("failed_url")?,
            body: serde_json::from_str(&body)
                .map_err(|e| corrupt(&format!("payment link body: {e}")))?,
        })
    }

    fn event(&self) -> Result<EventRecord, StoreError> {
        let data: String = self.try_get("data")?;
        let ts = |v: Option<i64>| v.map(Timestamp::from_millis);
        Ok(EventRecord {
            id: self.try_get("id")?,
            tenant: self.tenant()?,
            event: self.try_get("event")?,
            data: serde_json::from_str(&data).map_err(|e| corrupt(&format!("event data: {e}")))?,
            created_at: Timestamp::from_millis(self.try_get("created_at")?),
            status: self.try_get("status")?,
            attempts: u32::try_from(self.try_get::<i64, _>("attempts")?).unwrap_or(0),
            next_attempt_at: ts(self.try_get("next_attempt_at")?),
            delivered_at: ts(self.try_get("delivered_at")?),
            last_error: self.try_get("last_error")?,
        })
    }

    fn attempt(&self) -> Result<AttemptRecord, StoreError> {
        Ok(AttemptRecord {
            at: Timestamp::from_millis(self.try_get("at")?),
            url: self.try_get("url")?,
            status_code: self
                .try_get::<Option<i64>, _>("status_code")?
                .and_then(|c| u16::try_from(c).ok()),
            latency_ms: self.try_get("latency_ms")?,
            error: self.try_get("error")?,
        })
    }

    fn endpoint(&self, tenant: &Tenant) -> Result<EndpointRecord, StoreError> {
        Ok(EndpointRecord {
            tenant: tenant.clone(),
            url: self.try_get("url")?,
            secret: self.try_get("secret")?,
            previous_secret: self.try_get("previous_secret")?,
            previous_expires_at: self
                .try_get::<Option<i64>, _>("previous_expires_at")?
                .map(Timestamp::from_millis),
            created_at: Timestamp::from_millis(self.try_get("created_at")?),
            updated_at: Timestamp::from_millis(self.try_get("updated_at")?),
        })
    }

    fn status_change(&self) -> Result<(String, String, Timestamp), StoreError> {
        Ok((
            self.try_get("from_status")?,
            self.try_get("to_status")?,
            Timestamp::from_millis(self.try_get("at")?),
        ))
    }

    fn text0(&self) -> Result<String, StoreError> {
        Ok(self.try_get(0usize)?)
    }

    fn count0(&self) -> Result<u64, StoreError> {
        let n: i64 = self.try_get(0usize)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
