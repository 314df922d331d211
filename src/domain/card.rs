//! Card numbers: checked with Luhn, kept only as long as the request, never stored or shown
//! beyond their last four digits.

use std::fmt;

/// A Luhn-valid primary account number. No `Display`, and `Debug` shows only the last four,
/// so it cannot end up in a log line or a response by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardNumberError {
    #[error("must be 12 to 19 digits (spaces and dashes are allowed between them)")]
    NotDigits,
    #[error("is not a valid card number (its check digit is wrong)")]
    BadCheckDigit,
}

impl CardNumber {
    pub fn parse(raw: &str) -> Result<CardNumber, CardNumberError> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CardNumberError::NotDigits);
        }
        if !luhn_valid(&digits) {
            return Err(CardNumberError::BadCheckDigit);
        }
        Ok(CardNumber(digits))
    }

    pub fn last4(&self) -> &str {
        &self.0[self.0.len().saturating_sub(4)..]
    }

    /// The scheme by its issuer prefix, for display only.
    pub fn scheme(&self) -> &'static str {
        let two: u32 = self.0.get(..2).and_then(|p| p.parse().ok()).unwrap_or(0);
        let four: u32 = self.0.get(..4).and_then(|p| p.parse().ok()).unwrap_or(0);
        match (self.0.as_bytes().first(), two, four) {
            (Some(b'4'), _, _) => "VISA",
            (_, 51..=55, _) | (_, _, 2221..=2720) => "MASTERCARD",
            (_, 34 | 37, _) => "AMEX",
            _ => "UNKNOWN",
        }
    }

    /// The full number, for the processor only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber(****{})", self.last4())
    }
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sandbox_test_cards_are_valid() {
        for n in [
            "4242424242424242",
            "4000000000000002",
            "4000000000009995",
            "4000000000000259",
        ] {
            let c = CardNumber::parse(n).expect(n);
            assert_eq!(c.scheme(), "VISA");
        }
        assert_eq!(
            CardNumber::parse("4242 4242 4242 4242").map(|c| c.last4().to_string()),
            Ok("4242".into())
        );
        assert_eq!(
            CardNumber::parse("5555555555554444").map(|c| c.scheme()),
            Ok("MASTERCARD")
        );
        assert_eq!(
            CardNumber::parse("378282246310005").map(|c| c.scheme()),
            Ok("AMEX")
        );
    }

    #[test]
    fn bad_numbers_are_rejected() {
        assert_eq!(
            CardNumber::parse("4242424242424241"),
            Err(CardNumberError::BadCheckDigit)
        );
        assert_eq!(
            CardNumber::parse("42424242"),
            Err(CardNumberError::NotDigits)
        );
        assert_eq!(
            CardNumber::parse("4242x24242424242"),
            Err(CardNumberError::NotDigits)
        );
        assert_eq!(CardNumber::parse(""), Err(CardNumberError::NotDigits));
    }

    #[test]
    fn debug_never_shows_the_number() {
        let c = CardNumber::parse("4242424242424242").expect("valid");
        assert_eq!(format!("{c:?}"), "CardNumber(****4242)");
    }

    proptest! {
        /// Changing any one digit of a valid number breaks its check digit.
        #[test]
        fn a_single_digit_change_is_caught(pos in 0usize..16, delta in 1u8..10) {
            let valid = b"4242424242424242";
            let mut n = valid.to_vec();
            n[pos] = b'0' + (n[pos] - b'0' + delta) % 10;
            let s = String::from_utf8(n).unwrap_or_default();
            prop_assert_eq!(CardNumber::parse(&s), Err(CardNumberError::BadCheckDigit));
        }
    }
}
