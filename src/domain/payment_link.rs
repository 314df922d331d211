//! A payment link: a reusable offer that makes checkout sessions, its statuses and the rules
//! that read them, and the `payment-link9` shape it is read back in.
//!
//! A link holds the same offer as a session (`SessionBody`, validated by `NewSession::parse`)
//! but never a payment: payments belong to the sessions it makes. So only ATTEMPT, ACTIVE and
//! EXPIRED are ever reached here; upstream's PROCESSING_PAYMENT and FINISHED are kept so the
//! list filter accepts every value of `payment-link-status`.

use std::fmt;

use serde::Serialize;

use crate::domain::checkout_token::{CheckoutToken, CheckoutTokenError};
use crate::domain::environment::Tenant;
use crate::domain::session::SessionBody;
use crate::domain::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkStatus {
    Attempt,
    Active,
    ProcessingPayment,
    Finished,
    Expired,
}

/// In upstream's `payment-link-status` order.
pub const ALL: [LinkStatus; 5] = [
    LinkStatus::Attempt,
    LinkStatus::Active,
    LinkStatus::Expired,
    LinkStatus::Finished,
    LinkStatus::ProcessingPayment,
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of ATTEMPT, ACTIVE, EXPIRED, FINISHED, PROCESSING_PAYMENT")]
pub struct UnknownLinkStatus;

impl LinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Attempt => "ATTEMPT",
            LinkStatus::Active => "ACTIVE",
            LinkStatus::ProcessingPayment => "PROCESSING_PAYMENT",
            LinkStatus::Finished => "FINISHED",
            LinkStatus::Expired => "EXPIRED",
        }
    }

    /// Exact and case-sensitive, as upstream's enum is.
    pub fn parse(s: &str) -> Result<LinkStatus, UnknownLinkStatus> {
        ALL.into_iter()
            .find(|st| st.as_str() == s)
            .ok_or(UnknownLinkStatus)
    }

    /// The statuses that `duration` runs out on: a link waiting to be activated, or taking
    /// payers.
    pub fn can_expire(self) -> bool {
        matches!(self, LinkStatus::Attempt | LinkStatus::Active)
    }

    /// What a reader sees: a link past its expiry reads EXPIRED even though nothing stored it.
    pub fn effective(self, expires_at: Timestamp, now: Timestamp) -> LinkStatus {
        if self.can_expire() && expires_at <= now {
            LinkStatus::Expired
        } else {
            self
        }
    }
}

impl fmt::Display for LinkStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `DELETE` (upstream: "Only ATTEMPT and EXPIRED links can be deleted"). An ACTIVE link is
/// taking payers, so it stays until it expires.
pub fn can_delete(effective: LinkStatus) -> bool {
    matches!(effective, LinkStatus::Attempt | LinkStatus::Expired)
}

/// `activate` moves ATTEMPT to ACTIVE and nothing else: an expired link cannot come back.
pub fn can_activate(effective: LinkStatus) -> bool {
    effective == LinkStatus::Attempt
}

/// Only an ACTIVE link makes checkout sessions.
pub fn can_make_session(effective: LinkStatus) -> bool {
    effective == LinkStatus::Active
}

/// How much of the link's checkout token starts a session's token: enough to recognise the
/// link at a glance, short enough that `-` and the suffix still fit in 128 characters.
pub const SESSION_TOKEN_PREFIX_LEN: usize = 100;
/// Random bytes behind the suffix: 12 bytes are 16 base64url characters, 96 bits, so two
/// sessions of one link never collide in practice.
pub const SESSION_TOKEN_SUFFIX_BYTES: usize = 12;

/// The checkout token of a session made from a link: the link's token cut to
/// `SESSION_TOKEN_PREFIX_LEN` characters, `-`, then `suffix` (random, chosen by the caller so
/// this stays pure). Fails only if `suffix` is not of the token alphabet or is too long.
pub fn session_token(link_token: &str, suffix: &str) -> Result<CheckoutToken, CheckoutTokenError> {
    let prefix: String = link_token.chars().take(SESSION_TOKEN_PREFIX_LEN).collect();
    CheckoutToken::parse(&format!("{prefix}-{suffix}"))
}

/// A session made at `now` lives its link's `duration`, but never past the link itself: the
/// merchant's deadline for the offer binds every session made from it.
pub fn session_expiry(link_expires_at: Timestamp, now: Timestamp, duration_secs: i64) -> Timestamp {
    now.plus_seconds(duration_secs).min(link_expires_at)
}

/// Everything stored about one payment link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRecord {
    pub id: String,
    pub tenant: Tenant,
    pub checkout_token: String,
    /// Opens the link's hosted page; random, 256 bits, derived from nothing else.
    pub public_token: String,
    /// The status as last stored; readers use `effective_status`.
    pub status: LinkStatus,
    pub created_at: Timestamp,
    /// `created_at + duration`.
    pub expires_at: Timestamp,
    pub duration_secs: i64,
    pub success_url: Option<String>,
    pub failed_url: Option<String>,
    pub body: SessionBody,
}

impl LinkRecord {
    pub fn effective_status(&self, now: Timestamp) -> LinkStatus {
        self.status.effective(self.expires_at, now)
    }

    /// The destination account numbers, indexed for the `destination.accountNumber` filter.
    pub fn account_numbers(&self) -> impl Iterator<Item = &str> {
        self.body
            .destinations
            .iter()
            .map(|d| d.account.account_number.as_str())
    }

    /// The customer's email as the `customer.email` filter matches it.
    pub fn customer_email_key(&self) -> Option<String> {
        let email = self.body.customer.as_ref()?.email.as_deref()?;
        Some(email_key(email))
    }

    /// `public_base` has no trailing slash (the config strips it once at start).
    pub fn view<'a>(&'a self, public_base: &str, now: Timestamp) -> LinkView<'a> {
        LinkView {
            id: &self.id,
            checkout_token: &self.checkout_token,
            status: self.effective_status(now).as_str(),
            body: &self.body,
            url: format!("{public_base}/l/{}", self.public_token),
            created_at: self.created_at.to_rfc3339(),
            duration: self.duration_secs,
            success_url: self.success_url.as_deref(),
            failed_url: self.failed_url.as_deref(),
        }
    }
}

/// Emails are compared without regard to ASCII case: no mail provider tells `Ana@x.cl` from
/// `ana@x.cl`, and a merchant searching for either means the same payer.
pub fn email_key(email: &str) -> String {
    email.to_ascii_lowercase()
}

/// The `payment-link9` schema as answered by every read.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkView<'a> {
    pub id: &'a str,
    pub checkout_token: &'a str,
    pub status: &'static str,
    #[serde(flatten)]
    pub body: &'a SessionBody,
    pub url: String,
    pub created_at: String,
    pub duration: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_url: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DUE: Timestamp = Timestamp::from_millis(10_000);

    #[test]
    fn statuses_round_trip_and_unknown_ones_are_rejected() {
        for s in ALL {
            assert_eq!(LinkStatus::parse(s.as_str()), Ok(s));
        }
        assert_eq!(LinkStatus::parse("active"), Err(UnknownLinkStatus));
        assert_eq!(LinkStatus::parse("FAILED"), Err(UnknownLinkStatus));
    }

    #[test]
    fn waiting_and_active_links_read_as_expired_once_due() {
        let before = Timestamp::from_millis(DUE.millis() - 1);
        for s in ALL {
            let expected = if s.can_expire() {
                LinkStatus::Expired
            } else {
                s
            };
            assert_eq!(s.effective(DUE, DUE), expected, "{s} at expiry");
            assert_eq!(s.effective(DUE, before), s, "{s} before expiry");
        }
    }

    #[test]
    fn only_attempt_and_expired_links_can_be_deleted() {
        for s in ALL {
            let allowed = matches!(s, LinkStatus::Attempt | LinkStatus::Expired);
            assert_eq!(can_delete(s), allowed, "{s}");
        }
    }

    #[test]
    fn only_an_attempt_link_can_be_activated() {
        for s in ALL {
            assert_eq!(can_activate(s), s == LinkStatus::Attempt, "{s}");
        }
        // An ATTEMPT link past its expiry is EXPIRED to every rule.
        let late = LinkStatus::Attempt.effective(DUE, DUE);
        assert!(!can_activate(late));
    }

    #[test]
    fn only_an_active_link_makes_sessions() {
        for s in ALL {
            assert_eq!(can_make_session(s), s == LinkStatus::Active, "{s}");
        }
        assert!(!can_make_session(LinkStatus::Active.effective(DUE, DUE)));
    }

    #[test]
    fn a_session_token_starts_with_the_link_token_and_fits_the_alphabet() {
        let t = session_token("spring-sale", "AbC_-0123456789x").expect("valid token");
        assert_eq!(t.as_str(), "spring-sale-AbC_-0123456789x");
        let long = "a".repeat(128);
        let t = session_token(&long, "0123456789abcdef").expect("fits in 128");
        assert_eq!(t.as_str().len(), 117);
        assert!(t.as_str().starts_with(&"a".repeat(100)));
        assert!(session_token("x", "bad/suffix").is_err());
    }

    #[test]
    fn a_session_never_outlives_its_link() {
        let now = Timestamp::from_millis(1_000);
        assert_eq!(session_expiry(DUE, now, 5), Timestamp::from_millis(6_000));
        assert_eq!(session_expiry(DUE, now, 900), DUE);
    }

    #[test]
    fn email_keys_ignore_ascii_case() {
        assert_eq!(email_key("Ana.Perez@Example.CL"), "ana.perez@example.cl");
    }

    proptest! {
        #[test]
        fn every_link_token_makes_a_valid_session_token(
            link in "[A-Za-z0-9._-]{1,128}",
            suffix in "[A-Za-z0-9_-]{16}",
        ) {
            let t = session_token(&link, &suffix);
            prop_assert!(t.is_ok(), "{:?}", t);
            let t = t.map(CheckoutToken::into_string).unwrap_or_default();
            prop_assert!(t.len() <= crate::domain::checkout_token::MAX_LEN);
            let tail = format!("-{suffix}");
            prop_assert!(t.ends_with(&tail));
        }
    }
}
