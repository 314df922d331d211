//! The priced terms of a stored offer, read back from its `SessionBody` so payment configs can
//! be computed again later (a session made from a payment link, a refresh).
//!
//! The body was written by `NewSession::parse` in canonical form, so reading it back cannot
//! fail unless the database was edited by hand; that is a corrupt row, not a client error.

use crate::domain::currency::Currency;
use crate::domain::customer_field::CustomerField;
use crate::domain::money::Money;
use crate::domain::payment_method::{NodeType, PaymentMethod};
use crate::domain::session::SessionBody;

/// What `payment_config::compute` needs of an offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub total: Money,
    pub methods: Vec<PaymentMethod>,
    pub requirements: Vec<CustomerField>,
}

/// A stored body that no longer reads as a valid offer; names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored offer has an unreadable {0}")]
pub struct UnreadableOffer(pub &'static str);

impl Terms {
    pub fn of(body: &SessionBody) -> Result<Terms, UnreadableOffer> {
        let currency = Currency::parse(&body.currency).map_err(|_| UnreadableOffer("currency"))?;
        let total = Money::parse(&body.total_amount, currency)
            .map_err(|_| UnreadableOffer("totalAmount"))?;
        let methods = body
            .payment_methods_allowed
            .iter()
            .map(|m| {
                NodeType::parse(m)
                    .ok()
                    .and_then(|n| PaymentMethod::from_node_type(n).ok())
                    .ok_or(UnreadableOffer("paymentMethodsAllowed"))
            })
            .collect::<Result<_, _>>()?;
        let requirements = body
            .customer_requirements
            .iter()
            .map(|f| CustomerField::parse(f).map_err(|_| UnreadableOffer("customerRequirements")))
            .collect::<Result<_, _>>()?;
        Ok(Terms {
            total,
            methods,
            requirements,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::new_session::NewSession;
    use crate::domain::session_input::CreateSessionRequest;
    use serde_json::json;

    fn new_session() -> Option<NewSession> {
        let req: CreateSessionRequest = serde_json::from_value(json!({
            "checkoutToken": "t-1",
            "currency": "USD",
            "items": [{"description": "Tea", "preTaxAmount": "10.5", "totalAmount": "10.50"}],
            "paymentMethodsAllowed": ["CARD", "ACH", "CARD"],
            "destinations": [{"type": "ACCOUNT", "amount": "10.5", "account": {
                "type": "CHECKING", "currency": "USD", "accountNumber": "1",
                "accountHolder": "Shop"}}],
            "duration": 900,
            "customerRequirements": ["email", "firstName"],
            "owner": {"identityId": "o-1"}
        }))
        .ok()?;
        NewSession::parse(req).ok()
    }

    #[test]
    fn terms_read_back_exactly_what_the_create_validated() {
        let new = new_session().expect("a valid request");
        let terms = Terms::of(&new.body).expect("a canonical body reads back");
        assert_eq!(terms.total, new.total);
        assert_eq!(terms.methods, new.methods);
        assert_eq!(terms.requirements, new.requirements);
    }

    #[test]
    fn a_hand_edited_body_names_what_is_unreadable() {
        let mut body = new_session().expect("a valid request").body;
        body.payment_methods_allowed.push("WIRE".into());
        assert_eq!(Terms::of(&body), Err(UnreadableOffer("paymentMethodsAllowed")));
        body.total_amount = "10.505".into();
        assert_eq!(Terms::of(&body), Err(UnreadableOffer("totalAmount")));
    }
}
