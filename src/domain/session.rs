//! A checkout session as kassa keeps it, and the wire shape it is read back in.
//!
//! The immutable offer (items, amounts, destinations, customer, owner) is kept as one
//! `SessionBody` in the wire's own camelCase shape with canonical amount strings, so a read is
//! one row and one JSON decode: no money is re-parsed or re-derived on the read path.

use serde::{Deserialize, Serialize};

use crate::domain::currency::Currency;
use crate::domain::customer_field::CustomerField;
use crate::domain::environment::Tenant;
use crate::domain::money::Money;
use crate::domain::payment_config::CurrencyConfig;
use crate::domain::payment_method::{NodeType, PaymentMethod};
use crate::domain::status::SessionStatus;
use crate::domain::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxView {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemView {
    pub pre_tax_amount: String,
    pub total_amount: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tax: Option<TaxView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub image: String,
    pub description: String,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    #[serde(rename = "type")]
    pub kind: String,
    pub currency: String,
    pub account_number: String,
    pub account_holder: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationView {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub external_id: Option<String>,
    pub amount: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub metadata: Option<Metadata>,
    pub account: AccountView,
}

/// `address` of a customer: every field optional, as upstream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub administrative_area_level1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub administrative_area_level2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub administrative_area_level3: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub street: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub street_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub optional_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub zipcode: Option<String>,
}

/// The payer, as far as the merchant knows them; pre-fills the hosted page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub phone_number_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub document_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub document_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub address: Option<Address>,
}

/// `node-identity`: who created the session. Upstream forbids unknown properties here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Owner {
    pub identity_id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lastname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub nickname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub document_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub entity_type: Option<String>,
}

/// The offer, fixed at creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionBody {
    pub items: Vec<ItemView>,
    pub currency: String,
    pub pre_tax_amount: String,
    pub total_amount: String,
    pub payment_methods_allowed: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub customer: Option<Customer>,
    pub destinations: Vec<DestinationView>,
    pub customer_requirements: Vec<String>,
    pub owner: Owner,
}

/// What payment configs are computed from: the total and what the payer may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub total: Money,
    pub methods: Vec<PaymentMethod>,
    pub requirements: Vec<CustomerField>,
}

impl SessionBody {
    /// Reads the offer back from its stored canonical form; fails only on corrupt data.
    pub fn offer(&self) -> Result<Offer, String> {
        let currency = Currency::parse(&self.currency).map_err(|e| format!("currency {e}"))?;
        let total = Money::parse(&self.total_amount, currency).map_err(|e| format!("total {e}"))?;
        let methods = self
            .payment_methods_allowed
            .iter()
            .map(|m| {
                NodeType::parse(m)
                    .ok()
                    .and_then(|n| PaymentMethod::from_node_type(n).ok())
                    .ok_or_else(|| format!("payment method {m}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let requirements = self
            .customer_requirements
            .iter()
            .map(|f| CustomerField::parse(f).map_err(|e| format!("customer field {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Offer {
            total,
            methods,
            requirements,
        })
    }
}

/// Everything stored about one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: String,
    pub tenant: Tenant,
    pub checkout_token: String,
    /// Opens the hosted page; random, at least 128 bits, derived from nothing else.
    pub public_token: String,
    pub payment_link_id: Option<String>,
    /// The status as last stored; readers use `effective_status`.
    pub status: SessionStatus,
    pub deactivated: bool,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub duration_secs: i64,
    pub success_url: Option<String>,
    pub failed_url: Option<String>,
    /// `Money::sort_key` of `totalAmount`, so the database can sort amounts exactly.
    pub total_sort_key: String,
    pub body: SessionBody,
    pub payment_configs: Vec<CurrencyConfig>,
}

impl SessionRecord {
    pub fn effective_status(&self, now: Timestamp) -> SessionStatus {
        self.status.effective(self.expires_at, now)
    }

    /// The destination account numbers, indexed for the `accountNumber` list filter.
    pub fn account_numbers(&self) -> impl Iterator<Item = &str> {
        self.body
            .destinations
            .iter()
            .map(|d| d.account.account_number.as_str())
    }
}

/// The `checkout-session` schema as answered by every read.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView<'a> {
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_link_id: Option<&'a str>,
    pub checkout_token: &'a str,
    pub payment_configs: &'a [CurrencyConfig],
    pub created_at: String,
    pub status: &'static str,
    #[serde(flatten)]
    pub body: &'a SessionBody,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<&'a str>,
    pub expires_at: String,
}

impl SessionRecord {
    /// `public_base` has no trailing slash (the config strips it once at start).
    pub fn view<'a>(&'a self, public_base: &str, now: Timestamp) -> SessionView<'a> {
        SessionView {
            id: &self.id,
            payment_link_id: self.payment_link_id.as_deref(),
            checkout_token: &self.checkout_token,
            payment_configs: &self.payment_configs,
            created_at: self.created_at.to_rfc3339(),
            status: self.effective_status(now).as_str(),
            body: &self.body,
            url: format!("{public_base}/c/{}", self.public_token),
            redirect_url: self.success_url.as_deref(),
            expires_at: self.expires_at.to_rfc3339(),
        }
    }
}
