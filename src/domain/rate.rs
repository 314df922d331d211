//! Exchange rates: payer-currency units per ONE session-currency unit, kept as an exact decimal.

use std::fmt;
use std::str::FromStr;

use crate::domain::decimal;

/// Most significant integer digits a rate may have.
pub const MAX_RATE_INT_DIGITS: usize = 12;
/// Most fraction digits a rate may have.
pub const MAX_RATE_FRAC_DIGITS: u32 = 12;

/// A positive exact decimal `mantissa / 10^scale`.
///
/// Always stored normalised (no trailing fraction zeros), so the derived equality and hash
/// compare values: "1.0" and "1" are the same rate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rate {
    mantissa: u128,
    scale: u32,
}

/// Why a rate string was rejected. Messages follow a JSON path, e.g. `exchangeRate ...`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error(
        "must be a positive decimal string such as \"950.5\" (digits with an optional fraction; no sign, exponent or separators)"
    )]
    NotDecimal,
    #[error("has more than {MAX_RATE_FRAC_DIGITS} decimal places, the most a rate allows")]
    TooManyDecimals,
    #[error("is too large (at most {MAX_RATE_INT_DIGITS} integer digits)")]
    TooLarge,
    #[error("must be greater than zero")]
    NotPositive,
}

impl Rate {
    /// Parses a rate string under the shared lexical rules for amounts.
    pub fn parse(s: &str) -> Result<Rate, RateError> {
        let lexed = decimal::lex(s).ok_or(RateError::NotDecimal)?;
        if lexed.int_digits() > MAX_RATE_INT_DIGITS {
            return Err(RateError::TooLarge);
        }
        // Fraction digits count as written, trailing zeros included, exactly as for
        // amounts: one rule for every decimal on the wire.
        if lexed.frac_digits() > MAX_RATE_FRAC_DIGITS as usize {
            return Err(RateError::TooManyDecimals);
        }
        // Normalise so equal values compare equal ("1.0" == "1").
        let frac = lexed.frac.trim_end_matches('0');
        let scale = u32::try_from(frac.len()).map_err(|_| RateError::TooManyDecimals)?;
        // At most 24 digits in total: always fits u128, but stay checked regardless.
        let mantissa = decimal::push_digits(0, lexed.int)
            .and_then(|int| decimal::push_digits(int, frac))
            .ok_or(RateError::TooLarge)?;
        if mantissa == 0 {
            return Err(RateError::NotPositive);
        }
        Ok(Rate { mantissa, scale })
    }

    /// The identity rate, used when the payer pays in the session currency.
    pub fn one() -> Rate {
        Rate {
            mantissa: 1,
            scale: 0,
        }
    }

    pub fn is_one(&self) -> bool {
        *self == Rate::one()
    }

    /// Significant digits of the rate: the value is `mantissa() / 10^scale()`.
    pub fn mantissa(&self) -> u128 {
        self.mantissa
    }

    /// Number of fraction digits after normalisation (0..=12).
    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// Canonical string: no trailing fraction zeros, no trailing dot.
    pub fn to_canonical(&self) -> String {
        decimal::format_trimmed(self.mantissa, self.scale)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_canonical())
    }
}

impl FromStr for Rate {
    type Err = RateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rate::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canon(s: &str) -> Result<String, RateError> {
        Rate::parse(s).map(|r| r.to_string())
    }

    #[test]
    fn parses_and_writes_canonically() {
        assert_eq!(canon("950.5"), Ok("950.5".into()));
        assert_eq!(canon("0.0011"), Ok("0.0011".into()));
        assert_eq!(canon("1"), Ok("1".into()));
        assert_eq!(canon("1.000"), Ok("1".into()));
        assert_eq!(canon("0950.50"), Ok("950.5".into()));
        assert_eq!(
            canon("999999999999.999999999999"),
            Ok("999999999999.999999999999".into())
        );
        assert_eq!(canon("0.000000000001"), Ok("0.000000000001".into()));
    }

    #[test]
    fn equality_compares_values() {
        assert_eq!(Rate::parse("1.0"), Ok(Rate::one()));
        assert!(Rate::parse("1.00").is_ok_and(|r| r.is_one()));
        assert!(Rate::parse("1.0001").is_ok_and(|r| !r.is_one()));
        assert_ne!(Rate::parse("10"), Rate::parse("1"));
    }

    #[test]
    fn rejects_with_specific_errors() {
        for s in [
            "", "1e5", "-1", "+1", " 1", "1,000", "1.", ".5", "١٢", "1/3",
        ] {
            assert_eq!(Rate::parse(s), Err(RateError::NotDecimal), "{s:?}");
        }
        assert_eq!(Rate::parse("0"), Err(RateError::NotPositive));
        assert_eq!(Rate::parse("0.000"), Err(RateError::NotPositive));
        assert_eq!(Rate::parse("1000000000000"), Err(RateError::TooLarge));
        assert_eq!(
            Rate::parse("0.0000000000001"),
            Err(RateError::TooManyDecimals)
        );
        // Trailing zeros count as written, as they do for amounts.
        assert_eq!(
            Rate::parse("1.0000000000000"),
            Err(RateError::TooManyDecimals)
        );
        // Leading zeros are not significant, so they do not count against the cap.
        assert_eq!(canon("000999999999999"), Ok("999999999999".into()));
    }

    #[test]
    fn messages_read_after_a_json_path() {
        assert_eq!(
            RateError::TooManyDecimals.to_string(),
            "has more than 12 decimal places, the most a rate allows"
        );
        assert_eq!(
            RateError::TooLarge.to_string(),
            "is too large (at most 12 integer digits)"
        );
        assert!(
            RateError::NotDecimal
                .to_string()
                .starts_with("must be a positive decimal")
        );
    }

    proptest! {
        #[test]
        fn canonical_strings_round_trip(s in "[1-9][0-9]{0,11}(\\.[0-9]{0,11}[1-9])?") {
            prop_assert_eq!(canon(&s), Ok(s.clone()));
        }

        #[test]
        fn format_after_parse_is_idempotent(s in "0{0,3}[0-9]{1,12}(\\.[0-9]{1,12})?") {
            if let Ok(once) = canon(&s) {
                prop_assert_eq!(canon(&once), Ok(once.clone()));
                prop_assert_eq!(Rate::parse(&once), Rate::parse(&s));
            }
        }

        #[test]
        fn never_panics_on_any_string(s in ".*") {
            let _ = Rate::parse(&s);
        }

        #[test]
        fn never_panics_on_digit_soup(s in "[0-9.]{0,40}") {
            let _ = Rate::parse(&s);
        }
    }
}
