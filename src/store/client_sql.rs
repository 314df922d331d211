//! The SQL of settings, API clients and exchange rates, shared by every backend.

use crate::domain::environment::Environment;
use crate::domain::time::Timestamp;
use crate::store::rows::CLIENT_COLUMNS;
use crate::store::stmt::{Dialect, Stmt, args};
use crate::store::{ClientRecord, RateRecord};

const RATE_COLUMNS: &str = "environment, from_currency, to_currency, rate, updated_at";

/// The first half of `setting_or_init`: stores `init` unless the key already has a value. A
/// conflict is no error, so of several processes starting at once exactly one value wins and
/// the `SELECT` that follows reads it in every one of them.
pub fn init_setting(d: Dialect, key: &str, init: &str) -> Stmt {
    Stmt::new(
        d,
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
        args![key, init],
    )
}

pub fn get_setting(d: Dialect, key: &str) -> Stmt {
    Stmt::new(d, "SELECT value FROM settings WHERE key = ?", args![key])
}

pub fn insert_client(d: Dialect, c: &ClientRecord) -> Stmt {
    Stmt::new(
        d,
        "INSERT INTO clients (id, name, environment, secret_hash, api_key_hash, created_at, \
         revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        args![
            &c.id,
            &c.name,
            c.environment.as_str(),
            &c.secret_hash,
            &c.api_key_hash,
            c.created_at,
            c.revoked_at,
        ],
    )
}

pub fn list_clients(d: Dialect) -> Stmt {
    let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients ORDER BY created_at, id");
    Stmt::new(d, &sql, args![])
}

pub fn count_clients(d: Dialect) -> Stmt {
    Stmt::new(d, "SELECT COUNT(*) FROM clients", args![])
}

/// Keeps the first revocation time; `RETURNING` tells whether the client exists.
pub fn revoke_client(d: Dialect, id: &str, at: Timestamp) -> Stmt {
    Stmt::new(
        d,
        "UPDATE clients SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING id",
        args![at, id],
    )
}

pub fn client_by_api_key_hash(d: Dialect, hash: &str) -> Stmt {
    let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE api_key_hash = ?");
    Stmt::new(d, &sql, args![hash])
}

pub fn upsert_rate(d: Dialect, r: &RateRecord) -> Stmt {
    Stmt::new(
        d,
        "INSERT INTO rates (environment, from_currency, to_currency, rate, updated_at) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (environment, from_currency, to_currency) \
         DO UPDATE SET rate = excluded.rate, updated_at = excluded.updated_at",
        args![
            r.environment.as_str(),
            &r.from,
            &r.to,
            &r.rate,
            r.updated_at
        ],
    )
}

pub fn list_rates(d: Dialect, env: Option<Environment>) -> Stmt {
    let env = env.map(Environment::as_str);
    let sql = format!(
        "SELECT {RATE_COLUMNS} FROM rates WHERE (? IS NULL OR environment = ?) \
         ORDER BY environment, from_currency, to_currency"
    );
    Stmt::new(d, &sql, args![env, env])
}

/// The rates out of one currency, through the primary key.
pub fn rates_from(d: Dialect, env: Environment, from: &str) -> Stmt {
    let sql =
        format!("SELECT {RATE_COLUMNS} FROM rates WHERE environment = ? AND from_currency = ?");
    Stmt::new(d, &sql, args![env.as_str(), from])
}
