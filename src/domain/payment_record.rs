//! A payment as kassa keeps it, and the upstream `payment` shape it is read back in.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::environment::Tenant;
use crate::domain::payment::PaymentStatus;
use crate::domain::payment_request::PaymentIntent;
use crate::domain::session::SessionRecord;
use crate::domain::time::Timestamp;

/// The fixed part of a payment, in the wire's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentBody {
    /// The session's checkout token: the merchant's own reference.
    pub external_id: String,
    pub identity_id: String,
    pub account_number: String,
    pub total_amount: String,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    pub product: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub purchase_amount: String,
    pub purchase_currency: String,
    pub fees: Vec<Value>,
    pub origins: Vec<Value>,
    pub destinations: Vec<Value>,
    pub checkout_session_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub status: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRecord {
    pub id: String,
    pub tenant: Tenant,
    pub session_id: String,
    pub status: PaymentStatus,
    pub method: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub failure_reason: Option<String>,
    /// Every status the payment has had, oldest first.
    pub history: Vec<HistoryEntry>,
    pub body: PaymentBody,
}

impl PaymentRecord {
    /// A new PENDING payment for `session`.
    pub fn new(
        id: String,
        session: &SessionRecord,
        intent: &PaymentIntent,
        now: Timestamp,
    ) -> PaymentRecord {
        let destinations = session
            .body
            .destinations
            .iter()
            .map(|d| {
                let mut node = Map::new();
                node.insert("type".into(), Value::from(d.kind.clone()));
                node.insert("currency".into(), Value::from(d.account.currency.clone()));
                node.insert("amount".into(), Value::from(d.amount.clone()));
                node.insert(
                    "account".into(),
                    serde_json::to_value(&d.account).unwrap_or(Value::Null),
                );
                Value::Object(node)
            })
            .collect();
        PaymentRecord {
            id,
            tenant: session.tenant.clone(),
            session_id: session.id.clone(),
            status: PaymentStatus::Pending,
            method: intent.method.as_str().to_string(),
            created_at: now,
            updated_at: now,
            failure_reason: None,
            history: vec![HistoryEntry {
                status: PaymentStatus::Pending.as_str().into(),
                at: now.to_rfc3339(),
            }],
            body: PaymentBody {
                external_id: session.checkout_token.clone(),
                identity_id: session.body.owner.identity_id.clone(),
                account_number: session
                    .body
                    .destinations
                    .first()
                    .map(|d| d.account.account_number.clone())
                    .unwrap_or_default(),
                total_amount: session.body.total_amount.clone(),
                currency: session.body.currency.clone(),
                description: intent.description.clone(),
                product: intent.product.clone(),
                kind: "PURCHASE".into(),
                purchase_amount: intent.purchase_amount.clone(),
                purchase_currency: intent.currency.code().into(),
                fees: Vec::new(),
                origins: vec![Value::Object(intent.origin.clone())],
                destinations,
                checkout_session_id: session.id.clone(),
            },
        }
    }

    /// The history with one more entry, for a move to `to` at `now`.
    pub fn history_with(&self, to: PaymentStatus, now: Timestamp) -> Vec<HistoryEntry> {
        let mut h = self.history.clone();
        h.push(HistoryEntry {
            status: to.as_str().into(),
            at: now.to_rfc3339(),
        });
        h
    }

    fn first_at(&self, status: PaymentStatus) -> Option<&str> {
        self.history
            .iter()
            .find(|e| e.status == status.as_str())
            .map(|e| e.at.as_str())
    }

    pub fn view(&self) -> PaymentView<'_> {
        PaymentView {
            id: &self.id,
            status: self.status.as_str(),
            body: &self.body,
            created_at: self.created_at.to_rfc3339(),
            updated_at: self.updated_at.to_rfc3339(),
            authorized_at: self.first_at(PaymentStatus::Authorized),
            captured_at: self.first_at(PaymentStatus::Captured),
            received_at: self.first_at(PaymentStatus::Received),
            failure_reason: self.failure_reason.as_deref(),
            status_history: &self.history,
        }
    }
}

/// The upstream `payment` schema, plus `checkoutSessionId`, `receivedAt`, `failureReason` and
/// `statusHistory`, which kassa adds so an integrator can see how the payment got where it is.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentView<'a> {
    pub id: &'a str,
    pub status: &'static str,
    #[serde(flatten)]
    pub body: &'a PaymentBody,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorized_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<&'a str>,
    pub status_history: &'a [HistoryEntry],
}
