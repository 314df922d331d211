//! The webhook delivery worker: claims due outbox events, signs and sends them, and records
//! every attempt. A 2xx within 10 s is delivered; anything else is retried on the CONTRACT §8
//! schedule. Claims are leases, so an event held by a crashed worker is sent again later:
//! receivers get every event at least once (and dedupe on `X-Webhook-Id`).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::domain::environment::Environment;
use crate::domain::webhook::{self, is_forbidden_target, next_attempt};
use crate::service::Context;
use crate::store::{AttemptOutcome, AttemptRecord, EventRecord, StoreResult};

pub const TIMEOUT: Duration = Duration::from_secs(10);
pub const BATCH: u32 = 50;
/// Longer than a delivery can take (timeout plus bookkeeping), so a live worker keeps its claim.
pub const LEASE_SECS: i64 = 60;
/// Receivers' answers are read up to this size and dropped; a huge answer cannot stall us.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// A resolver that drops addresses a production webhook must not reach. Filtering at
/// resolution (not before it) means a name cannot pass a check and then resolve elsewhere.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = format!("{}:0", name.as_str());
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host(host)
                .await?
                .filter(|a| !is_forbidden_target(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(
                    "the webhook host resolves only to private or loopback addresses".into(),
                );
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// The HTTP clients deliveries go through, built once.
pub struct Sender {
    open: reqwest::Client,
    public_only: reqwest::Client,
    /// Refuse private and loopback targets in production (the default).
    pub block_private_in_production: bool,
}

impl Sender {
    pub fn new(block_private_in_production: bool) -> Result<Sender, reqwest::Error> {
        let base = || {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(TIMEOUT)
                .user_agent(concat!("kassa-webhooks/", env!("CARGO_PKG_VERSION")))
        };
        Ok(Sender {
            open: base().build()?,
            public_only: base().dns_resolver(Arc::new(PublicOnly)).build()?,
            block_private_in_production,
        })
    }

    fn client_for(&self, env: Environment, url: &str) -> Result<&reqwest::Client, String> {
        if env == Environment::Sandbox || !self.block_private_in_production {
            return Ok(&self.open);
        }
        // IP literals never reach the resolver, so they are checked here.
        if let Some(ip) = literal_ip(url) {
            if is_forbidden_target(ip) {
                return Err(format!(
                    "the webhook URL points at a private or loopback address ({ip})"
                ));
            }
        }
        Ok(&self.public_only)
    }
}

fn literal_ip(url: &str) -> Option<IpAddr> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    if let Some(v6) = host.strip_prefix('[') {
        return v6.split(']').next()?.parse().ok();
    }
    host.split(':').next()?.parse().ok()
}

/// Delivers every due event once, concurrently; returns how many attempts were made.
pub async fn run_once(ctx: &Arc<Context>, sender: &Arc<Sender>) -> StoreResult<usize> {
    let now = ctx.clock.now();
    let events = ctx
        .store
        .claim_due_events(now, BATCH, now.plus_seconds(LEASE_SECS))
        .await?;
    let count = events.len();
    let mut tasks = tokio::task::JoinSet::new();
    for event in events {
        let (ctx, sender) = (ctx.clone(), sender.clone());
        tasks.spawn(async move {
            let (attempt, delivered) = attempt(&ctx, &sender, &event).await;
            let outcome = if delivered {
                AttemptOutcome::Delivered
            } else {
                match next_attempt(event.created_at, event.attempts + 1, attempt.at) {
                    Some(at) => AttemptOutcome::RetryAt(at),
                    None => AttemptOutcome::GiveUp,
                }
            };
            ctx.store.record_attempt(&event.id, &attempt, outcome).await
        });
    }
    while let Some(done) = tasks.join_next().await {
        if let Ok(Err(e)) = done {
            // The lease runs out and the event is sent again: at least once still holds.
            tracing::warn!(error = %e, "could not record a webhook attempt");
        }
    }
    Ok(count)
}

/// One attempt: the record of it and whether it delivered.
async fn attempt(ctx: &Context, sender: &Sender, event: &EventRecord) -> (AttemptRecord, bool) {
    let now = ctx.clock.now();
    let started = Instant::now();
    let record = |url: &str, status_code: Option<u16>, error: Option<String>| AttemptRecord {
        at: now,
        url: url.to_string(),
        status_code,
        latency_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        error,
    };
    let endpoint = match ctx.store.get_endpoint(&event.tenant).await {
        Ok(Some(e)) => e,
        Ok(None) => {
            return (
                record("", None, Some("no webhook endpoint is configured".into())),
                false,
            );
        }
        Err(e) => return (record("", None, Some(format!("store: {e}"))), false),
    };
    let mut secrets = vec![endpoint.secret.as_str()];
    if let (Some(prev), Some(until)) = (&endpoint.previous_secret, endpoint.previous_expires_at) {
        if until > now {
            secrets.push(prev);
        }
    }
    let signed = webhook::sign(&event.event, &event.data, &secrets, now);
    let client = match sender.client_for(event.tenant.environment, &endpoint.url) {
        Ok(c) => c,
        Err(e) => return (record(&endpoint.url, None, Some(e)), false),
    };
    let result = client
        .post(&endpoint.url)
        .header("content-type", "application/json")
        .header("x-webhook-id", &event.id)
        .header("x-webhook-event", &event.event)
        .header("x-webhook-signature", &signed.signature)
        .header("x-webhook-timestamp", &signed.timestamp)
        .header("x-webhook-signature-v2", &signed.signature_v2)
        .body(signed.body)
        .send()
        .await;
    match result {
        Ok(mut resp) => {
            let status = resp.status();
            drain(&mut resp).await;
            let ok = status.is_success();
            let error = (!ok).then(|| format!("the endpoint answered {status}"));
            (record(&endpoint.url, Some(status.as_u16()), error), ok)
        }
        Err(e) => {
            let why = if e.is_timeout() {
                "no answer within 10 s".to_string()
            } else {
                // The full error chain, without the URL (already in the record).
                let e = e.without_url();
                let mut msg = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    msg = format!("{msg}: {s}");
                    src = s.source();
                }
                msg
            };
            (record(&endpoint.url, None, Some(why)), false)
        }
    }
}

/// Reads (and drops) at most `MAX_RESPONSE_BYTES` of the answer.
async fn drain(resp: &mut reqwest::Response) {
    let mut read = 0usize;
    while let Ok(Some(chunk)) = resp.chunk().await {
        read += chunk.len();
        if read > MAX_RESPONSE_BYTES {
            break;
        }
    }
}

/// Delivers every `every` until the process ends.
pub fn spawn(
    ctx: Arc<Context>,
    sender: Arc<Sender>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = run_once(&ctx, &sender).await {
                tracing::warn!(error = %e, "webhook delivery round failed; retrying next tick");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_literals_are_found_in_urls() {
        assert_eq!(
            literal_ip("http://127.0.0.1:8080/hook"),
            "127.0.0.1".parse().ok()
        );
        assert_eq!(literal_ip("https://[::1]/x"), "::1".parse().ok());
        assert_eq!(
            literal_ip("https://user@10.0.0.1/x"),
            "10.0.0.1".parse().ok()
        );
        assert_eq!(literal_ip("https://hooks.example.com/x"), None);
    }

    #[test]
    fn production_refuses_private_literals_unless_allowed() {
        let strict = Sender::new(true).expect("client builds");
        assert!(
            strict
                .client_for(Environment::Production, "http://10.0.0.5/h")
                .is_err()
        );
        assert!(
            strict
                .client_for(Environment::Sandbox, "http://10.0.0.5/h")
                .is_ok()
        );
        assert!(
            strict
                .client_for(Environment::Production, "https://hooks.example.com/h")
                .is_ok()
        );
        let open = Sender::new(false).expect("client builds");
        assert!(
            open.client_for(Environment::Production, "http://127.0.0.1/h")
                .is_ok()
        );
    }
}
