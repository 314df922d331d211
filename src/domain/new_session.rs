//! A create request proven valid: the single place that decides whether a session may exist.

use crate::domain::checkout_token::CheckoutToken;
use crate::domain::currency::Currency;
use crate::domain::customer_field::CustomerField;
use crate::domain::money::Money;
use crate::domain::payment_method::PaymentMethod;
use crate::domain::redirect_url::RedirectUrl;
use crate::domain::session::{ItemView, SessionBody, TaxView};
use crate::domain::session_input::{
    self as input, CreateSessionRequest, FieldError, FieldResult, Item,
};

#[derive(Debug, Clone)]
pub struct NewSession {
    pub checkout_token: CheckoutToken,
    pub currency: Currency,
    pub total: Money,
    pub methods: Vec<PaymentMethod>,
    pub requirements: Vec<CustomerField>,
    pub duration_secs: i64,
    pub success_url: Option<RedirectUrl>,
    pub failed_url: Option<RedirectUrl>,
    pub body: SessionBody,
}

impl NewSession {
    /// Checks every rule of the create request, in the order documented in `session_input`.
    pub fn parse(req: CreateSessionRequest) -> FieldResult<NewSession> {
        let checkout_token = input::checkout_token("checkoutToken", req.checkout_token)?;
        let cur = input::currency("currency", req.currency)?;

        let raw_items = req.items.ok_or_else(|| FieldError::missing("items"))?;
        if raw_items.is_empty() {
            return Err(FieldError::invalid("items", "must have at least one item"));
        }
        if raw_items.len() > input::MAX_ITEMS {
            return Err(FieldError::invalid(
                "items",
                format_args!("must have at most {} items", input::MAX_ITEMS),
            ));
        }
        let mut items = Vec::with_capacity(raw_items.len());
        for (i, it) in raw_items.into_iter().enumerate() {
            items.push(input::item(&format!("items[{i}]"), it, cur)?);
        }
        let pre_tax = Money::sum(cur, items.iter().map(|i| i.pre_tax))
            .map_err(|e| FieldError::invalid("items", e))?;
        let total = Money::sum(cur, items.iter().map(|i| i.total))
            .map_err(|e| FieldError::invalid("items", e))?;
        if total.is_zero() {
            return Err(FieldError::invalid(
                "items",
                "must add up to a totalAmount greater than zero",
            ));
        }

        let methods = input::methods("paymentMethodsAllowed", req.payment_methods_allowed)?;

        let raw_dest = req
            .destinations
            .ok_or_else(|| FieldError::missing("destinations"))?;
        if raw_dest.is_empty() {
            return Err(FieldError::invalid(
                "destinations",
                "must have at least one destination",
            ));
        }
        if raw_dest.len() > input::MAX_DESTINATIONS {
            return Err(FieldError::invalid(
                "destinations",
                format_args!("must have at most {} destinations", input::MAX_DESTINATIONS),
            ));
        }
        let mut destinations = Vec::with_capacity(raw_dest.len());
        let mut amounts = Vec::with_capacity(raw_dest.len());
        for (i, d) in raw_dest.into_iter().enumerate() {
            let (amount, view) = input::destination(&format!("destinations[{i}]"), d, cur)?;
            amounts.push(amount);
            destinations.push(view);
        }
        let split = Money::sum(cur, amounts).map_err(|e| FieldError::invalid("destinations", e))?;
        if split != total {
            return Err(FieldError::invalid(
                "destinations",
                format_args!("amounts add up to {split} but must add up to totalAmount {total}"),
            ));
        }

        let duration_secs = input::duration("duration", req.duration)?;
        let customer = input::customer("customer", req.customer)?;
        let requirements = input::requirements("customerRequirements", req.customer_requirements)?;
        let owner = input::owner("owner", req.owner)?;
        let success_url = input::redirect_url("successUrl", req.success_url)?;
        let failed_url = input::redirect_url("failedUrl", req.failed_url)?;

        let body = SessionBody {
            items: items.iter().map(item_view).collect(),
            currency: cur.code().to_string(),
            pre_tax_amount: pre_tax.to_string(),
            total_amount: total.to_string(),
            payment_methods_allowed: methods.iter().map(|m| m.as_str().to_string()).collect(),
            customer,
            destinations,
            customer_requirements: requirements
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
            owner,
        };
        Ok(NewSession {
            checkout_token,
            currency: cur,
            total,
            methods,
            requirements,
            duration_secs,
            success_url,
            failed_url,
            body,
        })
    }
}

/// An item as stored and answered: amounts written canonically, once, here.
fn item_view(it: &Item) -> ItemView {
    ItemView {
        pre_tax_amount: it.pre_tax.to_string(),
        total_amount: it.total.to_string(),
        description: it.description.clone(),
        tax: it.tax.as_ref().map(|(name, value, amount)| TaxView {
            name: name.clone(),
            kind: value.tax_type().as_str().to_string(),
            value: value.value_string(),
            amount: amount.to_string(),
        }),
    }
}
