//! Settings: command line over environment (`KASSA_*`) over an optional TOML file over
//! defaults. Parsed and checked once at start; nothing here is read per request.

use std::path::Path;

use serde::Deserialize;

use crate::domain::currency::Currency;
use crate::domain::money::Money;
use crate::domain::payment_config::MethodLimit;
use crate::domain::payment_method::{NodeType, PaymentMethod};

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://kassa.db";
pub const DEFAULT_POOL_SIZE: u32 = 8;
pub const DEFAULT_STATEMENT_TIMEOUT_MS: u64 = 5000;

/// The TOML file's shape. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub signing_key: Option<String>,
    pub admin_token: Option<String>,
    pub pool_size: Option<u32>,
    pub statement_timeout_ms: Option<u64>,
    pub webhook_allow_private_targets: Option<bool>,
    #[serde(default)]
    pub limits: Vec<LimitConfig>,
}

/// `[[limits]] method = "CARD", currency = "CLP", min = "500", max = "5000000"`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitConfig {
    pub method: String,
    pub currency: String,
    pub min: Option<String>,
    pub max: Option<String>,
}

/// The values given on the command line or in the environment (clap fills both).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub signing_key: Option<String>,
    pub admin_token: Option<String>,
    pub pool_size: Option<u32>,
    pub statement_timeout_ms: Option<u64>,
    pub webhook_allow_private_targets: Option<bool>,
}

#[derive(Clone)]
pub struct Settings {
    pub listen: String,
    pub database_url: String,
    /// Without a trailing slash.
    pub public_url: String,
    pub signing_key: Option<String>,
    pub admin_token: Option<String>,
    pub pool_size: u32,
    /// PostgreSQL cancels a statement running longer than this (0: never).
    pub statement_timeout_ms: u64,
    /// Lets production webhooks reach private and loopback addresses (off by default; the
    /// sandbox always may, so integrators can use a local receiver).
    pub webhook_allow_private_targets: bool,
    pub limits: Vec<MethodLimit>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field(
                "database_url",
                &crate::store::db_url::redact(&self.database_url),
            )
            .field("public_url", &self.public_url)
            .field(
                "signing_key",
                &self.signing_key.as_ref().map(|_| "[redacted]"),
            )
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "[redacted]"),
            )
            .field("pool_size", &self.pool_size)
            .field("statement_timeout_ms", &self.statement_timeout_ms)
            .finish()
    }
}

impl Settings {
    pub fn load(file: Option<&Path>, o: Overrides) -> Result<Settings, String> {
        let f = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .map_err(|e| format!("config file {}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let listen = o
            .listen
            .or(f.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.to_string());
        let public_url = o
            .public_url
            .or(f.public_url)
            .unwrap_or_else(|| format!("http://{listen}"));
        let public_url = public_url.trim_end_matches('/').to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(format!(
                "public URL {public_url:?} must start with http:// or https://"
            ));
        }
        let limits = f
            .limits
            .iter()
            .map(parse_limit)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Settings {
            listen,
            database_url: o
                .database_url
                .or(f.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            public_url,
            signing_key: o.signing_key.or(f.signing_key).filter(|k| !k.is_empty()),
            admin_token: o.admin_token.or(f.admin_token).filter(|k| !k.is_empty()),
            pool_size: o.pool_size.or(f.pool_size).unwrap_or(DEFAULT_POOL_SIZE),
            statement_timeout_ms: o
                .statement_timeout_ms
                .or(f.statement_timeout_ms)
                .unwrap_or(DEFAULT_STATEMENT_TIMEOUT_MS),
            webhook_allow_private_targets: o
                .webhook_allow_private_targets
                .or(f.webhook_allow_private_targets)
                .unwrap_or(false),
            limits,
        })
    }
}

impl Settings {
    /// How the store is opened: pool size and timeouts.
    pub fn store_options(&self) -> crate::store::StoreOptions {
        crate::store::StoreOptions {
            pool_size: self.pool_size,
            statement_timeout: std::time::Duration::from_millis(self.statement_timeout_ms),
            ..crate::store::StoreOptions::default()
        }
    }
}

fn parse_limit(l: &LimitConfig) -> Result<MethodLimit, String> {
    let method = NodeType::parse(&l.method)
        .map_err(|e| format!("limits: method {e}"))
        .and_then(|n| {
            PaymentMethod::from_node_type(n).map_err(|e| format!("limits: method {e}"))
        })?;
    let currency = Currency::parse(&l.currency).map_err(|e| format!("limits: currency {e}"))?;
    let amount = |s: &Option<String>, name: &str| {
        s.as_deref()
            .map(|v| Money::parse(v, currency).map_err(|e| format!("limits: {name} {e}")))
            .transpose()
    };
    let (min, max) = (amount(&l.min, "min")?, amount(&l.max, "max")?);
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo.sort_key() > hi.sort_key() {
            return Err(format!(
                "limits: {} in {currency} has min {lo} above max {hi}",
                l.method
            ));
        }
    }
    Ok(MethodLimit {
        method,
        currency,
        min,
        max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_when_nothing_is_given() {
        let s = Settings::load(None, Overrides::default()).expect("defaults are valid");
        assert_eq!(s.listen, DEFAULT_LISTEN);
        assert_eq!(s.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(s.public_url, "http://127.0.0.1:8080");
        assert_eq!(s.statement_timeout_ms, DEFAULT_STATEMENT_TIMEOUT_MS);
    }

    #[test]
    fn debug_output_never_shows_the_database_password() {
        let o = Overrides {
            database_url: Some("postgres://kassa:hunter2@db:5432/kassa".into()),
            statement_timeout_ms: Some(250),
            ..Overrides::default()
        };
        let s = Settings::load(None, o).expect("valid");
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("postgres://kassa:***@db:5432/kassa"),
            "{shown}"
        );
        let o = s.store_options();
        assert_eq!(o.statement_timeout, std::time::Duration::from_millis(250));
        assert_eq!(o.pool_size, DEFAULT_POOL_SIZE);
    }

    #[test]
    fn overrides_beat_the_file_and_limits_are_parsed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kassa.toml");
        std::fs::write(
            &path,
            "listen = \"0.0.0.0:9000\"\npublic_url = \"https://pay.example/\"\n\
             [[limits]]\nmethod = \"CARD\"\ncurrency = \"CLP\"\nmin = \"500\"\n",
        )
        .expect("write");
        let o = Overrides {
            listen: Some("127.0.0.1:1".into()),
            ..Overrides::default()
        };
        let s = Settings::load(Some(&path), o).expect("valid file");
        assert_eq!(s.listen, "127.0.0.1:1");
        assert_eq!(s.public_url, "https://pay.example");
        assert_eq!(s.limits.len(), 1);
        std::fs::write(&path, "[[limits]]\nmethod = \"WIRE\"\ncurrency = \"USD\"\n")
            .expect("write");
        let err = Settings::load(Some(&path), Overrides::default()).expect_err("pay-out rail");
        assert!(err.contains("WIRE"), "{err}");
    }
}
