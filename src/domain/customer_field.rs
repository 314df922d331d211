//! The customer fields a checkout session may require of its payer (`customerRequirements`).

use std::fmt;
use std::str::FromStr;

/// One value of upstream's `customerRequirements` item enum (`create-checkout-session`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CustomerField {
    FirstName,
    Email,
    LastName,
    PhoneNumber,
    PhoneNumberPrefix,
    Address,
    DocumentNumber,
    DocumentType,
}

/// `(field, wire value, requiredFields path)`, in upstream's enum order. The path is spelled
/// out rather than built, so it can be handed out as `&'static str` without allocating.
const TABLE: [(CustomerField, &str, &str); 8] = [
    (CustomerField::FirstName, "firstName", "customer.firstName"),
    (CustomerField::Email, "email", "customer.email"),
    (CustomerField::LastName, "lastName", "customer.lastName"),
    (
        CustomerField::PhoneNumber,
        "phoneNumber",
        "customer.phoneNumber",
    ),
    (
        CustomerField::PhoneNumberPrefix,
        "phoneNumberPrefix",
        "customer.phoneNumberPrefix",
    ),
    (CustomerField::Address, "address", "customer.address"),
    (
        CustomerField::DocumentNumber,
        "documentNumber",
        "customer.documentNumber",
    ),
    (
        CustomerField::DocumentType,
        "documentType",
        "customer.documentType",
    ),
];

/// The value was not one of the eight customer fields. Reads after a JSON path:
/// "customerRequirements[2] must be one of the customer fields (firstName, ...)".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of the customer fields ({})", CustomerField::names_list())]
pub struct UnknownCustomerField;

impl CustomerField {
    /// Every field, in upstream's enum order.
    pub fn all() -> impl Iterator<Item = CustomerField> {
        TABLE.iter().map(|(f, _, _)| *f)
    }

    fn row(self) -> &'static (CustomerField, &'static str, &'static str) {
        // The table holds every variant exactly once (checked by a unit test).
        TABLE
            .iter()
            .find(|(f, _, _)| *f == self)
            .unwrap_or(&TABLE[0])
    }

    /// The camel-case wire value, e.g. `"phoneNumberPrefix"`.
    pub fn as_str(self) -> &'static str {
        self.row().1
    }

    /// The dot path kassa adds to a payment method's `requiredFields` when the session asks
    /// for this field, e.g. `"customer.email"`.
    pub fn required_field_path(self) -> &'static str {
        self.row().2
    }

    /// The same path rooted at a method's node key, e.g. `"pct.customer.email"` for `"pct"`.
    /// Upstream's own `requiredFields` examples use this form, and so do the node-derived
    /// entries of `PaymentMethod::required_fields`; offered so callers can match that style.
    pub fn required_field_path_in(self, node_key: &str) -> String {
        format!("{node_key}.{}", self.required_field_path())
    }

    /// Parses a wire value. Exact and case-sensitive, as upstream's enum is.
    pub fn parse(value: &str) -> Result<CustomerField, UnknownCustomerField> {
        TABLE
            .iter()
            .find(|(_, name, _)| *name == value)
            .map(|(f, _, _)| *f)
            .ok_or(UnknownCustomerField)
    }

    fn names_list() -> String {
        Self::all()
            .map(CustomerField::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl FromStr for CustomerField {
    type Err = UnknownCustomerField;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CustomerField::parse(s)
    }
}

impl fmt::Display for CustomerField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_round_trips_and_maps_to_its_own_row() {
        assert_eq!(CustomerField::all().count(), 8);
        for f in CustomerField::all() {
            assert_eq!(f.row().0, f, "{f:?} must map to its own row");
            assert_eq!(CustomerField::parse(f.as_str()), Ok(f));
            assert_eq!(f.as_str().parse::<CustomerField>(), Ok(f));
        }
    }

    #[test]
    fn wire_values_and_paths_follow_upstream() {
        let expected = [
            ("firstName", "customer.firstName"),
            ("email", "customer.email"),
            ("lastName", "customer.lastName"),
            ("phoneNumber", "customer.phoneNumber"),
            ("phoneNumberPrefix", "customer.phoneNumberPrefix"),
            ("address", "customer.address"),
            ("documentNumber", "customer.documentNumber"),
            ("documentType", "customer.documentType"),
        ];
        let actual: Vec<_> = CustomerField::all()
            .map(|f| (f.as_str(), f.required_field_path()))
            .collect();
        assert_eq!(actual, expected);
        assert_eq!(
            CustomerField::Email.required_field_path_in("pct"),
            "pct.customer.email"
        );
    }

    #[test]
    fn unknown_and_wrongly_cased_fields_are_rejected() {
        for bad in [
            "FirstName",
            "firstname",
            "EMAIL",
            "phone",
            "customer.email",
            "",
            " email",
        ] {
            assert_eq!(
                CustomerField::parse(bad),
                Err(UnknownCustomerField),
                "{bad:?}"
            );
        }
        let msg = UnknownCustomerField.to_string();
        assert_eq!(
            msg,
            "must be one of the customer fields (firstName, email, lastName, phoneNumber, \
             phoneNumberPrefix, address, documentNumber, documentType)"
        );
    }
}
