//! The merchant's reference for a session or payment link (CONTRACT §5).

use std::fmt;

/// 1–128 characters of `A-Za-z0-9._-`. Private field: only `parse` makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CheckoutToken(String);

pub const MAX_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckoutTokenError {
    #[error("must not be empty")]
    Empty,
    #[error("is longer than {MAX_LEN} characters")]
    TooLong,
    #[error("may contain only letters A-Z and a-z, digits, '.', '_' and '-'")]
    BadCharacter,
}

impl CheckoutToken {
    pub fn parse(s: &str) -> Result<CheckoutToken, CheckoutTokenError> {
        if s.is_empty() {
            return Err(CheckoutTokenError::Empty);
        }
        if s.len() > MAX_LEN {
            return Err(CheckoutTokenError::TooLong);
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            return Err(CheckoutTokenError::BadCharacter);
        }
        Ok(CheckoutToken(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for CheckoutToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_allowed_alphabet_up_to_128_characters() {
        assert!(CheckoutToken::parse("order-2025.04_01").is_ok());
        assert!(CheckoutToken::parse(&"a".repeat(128)).is_ok());
    }

    #[test]
    fn rejects_empty_long_and_foreign_characters() {
        assert_eq!(CheckoutToken::parse(""), Err(CheckoutTokenError::Empty));
        assert_eq!(
            CheckoutToken::parse(&"a".repeat(129)),
            Err(CheckoutTokenError::TooLong)
        );
        for bad in ["a b", "a/b", "ñandú", "a+b", "tok\n"] {
            assert_eq!(
                CheckoutToken::parse(bad),
                Err(CheckoutTokenError::BadCharacter),
                "{bad:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_keeps_what_it_accepts(s in ".{0,200}") {
            if let Ok(t) = CheckoutToken::parse(&s) {
                prop_assert_eq!(t.as_str(), s.as_str());
            }
        }
    }
}
