//! Exchange rates: what operators set, what the sandbox ships, and what a create reads.

use std::collections::HashMap;

use crate::domain::currency::Currency;
use crate::domain::demo_rates::demo_rates;
use crate::domain::environment::Environment;
use crate::domain::rate::Rate;
use crate::service::Context;
use crate::service::error::{Error, Result};
use crate::store::{RateRecord, Store};

pub type RateTable = HashMap<(Currency, Currency), Rate>;

impl Context {
    /// The rates out of `from` in `env`. A row that no longer parses (hand-edited database) is
    /// skipped with a warning: the method shows as disabled rather than failing the create.
    pub async fn rates_from(&self, env: Environment, from: Currency) -> Result<RateTable> {
        let rows = self.store.rates_from(env, from.code()).await?;
        let mut table = RateTable::with_capacity(rows.len());
        for row in rows {
            match (Currency::parse(&row.to), Rate::parse(&row.rate)) {
                (Ok(to), Ok(rate)) => {
                    table.insert((from, to), rate);
                }
                _ => tracing::warn!(from = %row.from, to = %row.to, "skipping unreadable rate"),
            }
        }
        Ok(table)
    }
}

/// Validates and stores one rate: `1 from = rate × to`.
pub async fn set_rate(
    store: &dyn Store,
    env: Environment,
    from: &str,
    to: &str,
    rate: &str,
    now: crate::domain::time::Timestamp,
) -> Result<RateRecord> {
    let from_c = Currency::parse(from).map_err(|e| Error::invalid(format!("from {e}")))?;
    let to_c = Currency::parse(to).map_err(|e| Error::invalid(format!("to {e}")))?;
    if from_c == to_c {
        return Err(Error::invalid(
            "from and to must differ: a currency's rate to itself is always 1",
        ));
    }
    let rate = Rate::parse(rate).map_err(|e| Error::invalid(format!("rate {e}")))?;
    let record = RateRecord {
        environment: env,
        from: from_c.code().to_owned(),
        to: to_c.code().to_owned(),
        rate: rate.to_string(),
        updated_at: now,
    };
    store.upsert_rate(&record).await?;
    Ok(record)
}

/// Seeds the sandbox with fictional demo rates, once, on a fresh database. Production gets no
/// rates: an operator must set real ones.
pub async fn seed_demo_rates(
    store: &dyn Store,
    now: crate::domain::time::Timestamp,
) -> Result<usize> {
    let rates = demo_rates();
    for (from, to, rate) in &rates {
        let record = RateRecord {
            environment: Environment::Sandbox,
            from: from.code().to_owned(),
            to: to.code().to_owned(),
            rate: rate.to_string(),
            updated_at: now,
        };
        store.upsert_rate(&record).await?;
    }
    Ok(rates.len())
}
