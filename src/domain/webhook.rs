//! Webhooks (CONTRACT §8): event names, the signed body and headers, the retry schedule, and
//! which addresses a delivery may go to. Pure rules; the worker in `workers::webhooks` sends.

use std::net::IpAddr;

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::domain::environment::Tenant;
use crate::domain::time::Timestamp;

pub const TRANSACTION_CAPTURED: &str = "Transaction.Captured";
pub const TRANSACTION_RECEIVED: &str = "Transaction.Received";
pub const TRANSACTION_FAILED: &str = "Transaction.Failed";
pub const SESSION_FINISHED: &str = "CheckoutSession.Finished";
pub const SESSION_FAILED: &str = "CheckoutSession.Failed";
pub const SESSION_EXPIRED: &str = "CheckoutSession.Expired";

/// First retry after 30 s, doubling, never more than an hour apart, for a day.
pub const FIRST_RETRY_SECS: i64 = 30;
pub const MAX_RETRY_SECS: i64 = 3600;
pub const GIVE_UP_AFTER_SECS: i64 = 24 * 3600;
/// A rolled secret keeps signing beside the new one this long.
pub const ROLL_OVERLAP_SECS: i64 = 24 * 3600;

/// An event to write to the outbox in the same transaction as the change that causes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub id: String,
    pub tenant: Tenant,
    pub event: &'static str,
    pub data: Value,
    pub created_at: Timestamp,
}

impl NewEvent {
    pub fn new(tenant: &Tenant, event: &'static str, data: Value, now: Timestamp) -> NewEvent {
        NewEvent {
            id: uuid::Uuid::now_v7().to_string(),
            tenant: tenant.clone(),
            event,
            data,
            created_at: now,
        }
    }
}

/// When the next attempt is due after `failures` failed attempts, or `None` once the event is
/// older than a day: then it is given up.
pub fn next_attempt(created_at: Timestamp, failures: u32, now: Timestamp) -> Option<Timestamp> {
    let shift = failures.saturating_sub(1).min(20);
    let delay = (FIRST_RETRY_SECS << shift).min(MAX_RETRY_SECS);
    let next = now.plus_seconds(delay);
    (next.millis() - created_at.millis() <= GIVE_UP_AFTER_SECS * 1000).then_some(next)
}

pub fn hmac_hex(secret: &[u8], message: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}

/// What is sent: the body bytes and the signature headers, for every active secret (the
/// current one first; during a roll, the previous one too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDelivery {
    pub body: String,
    /// `X-Webhook-Signature`: hex HMAC of the raw body, comma-separated per secret.
    pub signature: String,
    pub timestamp: String,
    /// `X-Webhook-Signature-V2`: `t=<unix>,v1=<hex>[,v1=<hex>]`.
    pub signature_v2: String,
}

/// Builds `{"event","data","signature"}`, where `signature` signs the compact JSON
/// `{"event":…,"data":…}` with the current secret, and the headers over the raw body.
pub fn sign(event: &str, data: &Value, secrets: &[&str], now: Timestamp) -> SignedDelivery {
    let current = secrets.first().copied().unwrap_or_default();
    // Written by hand so the key order is exactly `event`, `data` (a JSON map would sort them)
    // and `data` is the same bytes in the signed text and in the body.
    let event_json = Value::from(event).to_string();
    let data_json = data.to_string();
    let unsigned = format!(r#"{{"event":{event_json},"data":{data_json}}}"#);
    let body_signature = hmac_hex(current.as_bytes(), unsigned.as_bytes());
    let body =
        format!(r#"{{"event":{event_json},"data":{data_json},"signature":"{body_signature}"}}"#);
    let t = now.unix_seconds().to_string();
    let signature = secrets
        .iter()
        .map(|s| hmac_hex(s.as_bytes(), body.as_bytes()))
        .collect::<Vec<_>>()
        .join(",");
    let signed_v2 = format!("{t}.{body}");
    let v1 = secrets
        .iter()
        .map(|s| format!("v1={}", hmac_hex(s.as_bytes(), signed_v2.as_bytes())))
        .collect::<Vec<_>>()
        .join(",");
    SignedDelivery {
        body,
        signature,
        signature_v2: format!("t={t},{v1}"),
        timestamp: t,
    }
}

/// Addresses a production delivery must not reach: this machine, private networks, link-local
/// and other special ranges (so a webhook URL cannot be used to probe the operator's network).
pub fn is_forbidden_target(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..=127).contains(&o[1])) // carrier-grade NAT
                || (o[0] == 198 && (o[1] == 18 || o[1] == 19)) // benchmarking
                || o[0] >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_forbidden_target(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link local
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const T0: Timestamp = Timestamp::from_millis(1_750_000_000_000);

    /// Computed independently with:
    /// `printf '%s' '{"event":"Transaction.Captured","data":{"id":"p1"}}' | openssl dgst -sha256 -hmac whsec_test`
    #[test]
    fn the_body_signature_matches_openssl() {
        let data = json!({"id": "p1"});
        let d = sign(TRANSACTION_CAPTURED, &data, &["whsec_test"], T0);
        let body: Value = serde_json::from_str(&d.body).unwrap_or_default();
        assert_eq!(
            body["signature"], "0dcefc624ac09202389154024fee942efdfab7a48c852ca2f6d94681aec3d67a",
            "body signature over the compact event+data JSON"
        );
    }

    #[test]
    fn headers_sign_the_raw_body_with_every_active_secret() {
        let data = json!({"id": "p1", "amount": "10.50"});
        let d = sign(SESSION_FINISHED, &data, &["new", "old"], T0);
        let expected = format!(
            "{},{}",
            hmac_hex(b"new", d.body.as_bytes()),
            hmac_hex(b"old", d.body.as_bytes())
        );
        assert_eq!(d.signature, expected);
        assert_eq!(d.timestamp, "1750000000");
        let signed = format!("1750000000.{}", d.body);
        assert_eq!(
            d.signature_v2,
            format!(
                "t=1750000000,v1={},v1={}",
                hmac_hex(b"new", signed.as_bytes()),
                hmac_hex(b"old", signed.as_bytes())
            )
        );
    }

    #[test]
    fn retries_double_from_thirty_seconds_up_to_an_hour_for_a_day() {
        let mut now = T0;
        let mut delays = Vec::new();
        for failures in 1..=9 {
            let next = next_attempt(T0, failures, now).expect("within a day");
            delays.push((next.millis() - now.millis()) / 1000);
            now = next;
        }
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        let late = T0.plus_seconds(GIVE_UP_AFTER_SECS - 100);
        assert_eq!(next_attempt(T0, 30, late), None, "past a day it gives up");
    }

    #[test]
    fn private_and_loopback_targets_are_forbidden() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            let ip: IpAddr = bad.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
            assert!(is_forbidden_target(ip), "{bad}");
        }
        for ok in ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"] {
            let ip: IpAddr = ok.parse().unwrap_or(IpAddr::from([127, 0, 0, 1]));
            assert!(!is_forbidden_target(ip), "{ok}");
        }
    }
}
