//! The currencies kassa accepts, with their minor-unit digits (CONTRACT §3): one table, one type.

use std::fmt;
use std::str::FromStr;

/// A supported currency. Anything outside this list is rejected at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Currency {
    Clp,
    Pyg,
    Usdc,
    Usdt,
    Mxn,
    Cop,
    Pen,
    Bob,
    Aud,
    Ars,
    Brl,
    Usd,
    Cad,
    Eur,
    Gbp,
}

/// `(currency, ISO-style code, minor-unit digits)`: the single source of truth for digits.
const TABLE: [(Currency, &str, u32); 15] = [
    (Currency::Clp, "CLP", 0),
    (Currency::Pyg, "PYG", 0),
    (Currency::Usdc, "USDC", 6),
    (Currency::Usdt, "USDT", 6),
    (Currency::Mxn, "MXN", 2),
    (Currency::Cop, "COP", 2),
    (Currency::Pen, "PEN", 2),
    (Currency::Bob, "BOB", 2),
    (Currency::Aud, "AUD", 2),
    (Currency::Ars, "ARS", 2),
    (Currency::Brl, "BRL", 2),
    (Currency::Usd, "USD", 2),
    (Currency::Cad, "CAD", 2),
    (Currency::Eur, "EUR", 2),
    (Currency::Gbp, "GBP", 2),
];

/// The code was not one of the 15 supported currencies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of the supported currencies ({})", Currency::codes_list())]
pub struct UnsupportedCurrency;

impl Currency {
    /// Every supported currency, in the table's order.
    pub fn all() -> impl Iterator<Item = Currency> {
        TABLE.iter().map(|(c, _, _)| *c)
    }

    fn row(self) -> &'static (Currency, &'static str, u32) {
        // The table holds every variant exactly once (checked by a unit test).
        TABLE
            .iter()
            .find(|(c, _, _)| *c == self)
            .unwrap_or(&TABLE[0])
    }

    /// The upper-case code used on the wire, e.g. `"CLP"`.
    pub fn code(self) -> &'static str {
        self.row().1
    }

    /// How many fraction digits an amount in this currency may have.
    pub fn digits(self) -> u32 {
        self.row().2
    }

    /// Stablecoins are not fiat: CARD pays them in USD (CONTRACT §4).
    pub fn is_crypto(self) -> bool {
        matches!(self, Currency::Usdc | Currency::Usdt)
    }

    /// Parses a wire code. Codes are case-sensitive, as in ISO 4217.
    pub fn parse(code: &str) -> Result<Currency, UnsupportedCurrency> {
        TABLE
            .iter()
            .find(|(_, c, _)| *c == code)
            .map(|(cur, _, _)| *cur)
            .ok_or(UnsupportedCurrency)
    }

    fn codes_list() -> String {
        TABLE
            .iter()
            .map(|(_, c, _)| *c)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl FromStr for Currency {
    type Err = UnsupportedCurrency;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_currency_round_trips_through_its_code() {
        assert_eq!(Currency::all().count(), 15);
        for c in Currency::all() {
            assert_eq!(Currency::parse(c.code()), Ok(c));
            assert_eq!(c.row().0, c, "{c} must map to its own row");
        }
    }

    #[test]
    fn digits_follow_the_contract() {
        assert_eq!(Currency::Clp.digits(), 0);
        assert_eq!(Currency::Pyg.digits(), 0);
        assert_eq!(Currency::Usdc.digits(), 6);
        assert_eq!(Currency::Usdt.digits(), 6);
        for c in [
            "MXN", "COP", "PEN", "BOB", "AUD", "ARS", "BRL", "USD", "CAD", "EUR", "GBP",
        ] {
            assert_eq!(Currency::parse(c).map(Currency::digits), Ok(2), "{c}");
        }
    }

    #[test]
    fn unknown_and_lower_case_codes_are_rejected() {
        assert!(Currency::parse("XXX").is_err());
        assert!(Currency::parse("clp").is_err());
        assert!(Currency::parse("").is_err());
        let msg = UnsupportedCurrency.to_string();
        assert!(msg.contains("CLP") && msg.contains("GBP"), "{msg}");
    }
}
