//! Amounts of money: exact minor units of one currency, their wire parsing, canonical
//! formatting, checked sums, database sort keys and ceiling currency conversion.

use std::fmt;

use ethnum::U256;

use crate::domain::currency::Currency;
use crate::domain::decimal;
use crate::domain::rate::Rate;

/// Most significant integer digits an amount may have (the contract's cap).
pub const MAX_INT_DIGITS: u32 = 24;

/// Fraction digits in [`Money::sort_key`]: the most any supported currency uses (USDC/USDT),
/// so every currency's value fits the key exactly.
const SORT_FRAC_DIGITS: u32 = 6;

/// An exact amount in one currency, held as minor units (cents for USD, pesos for CLP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: u128,
    currency: Currency,
}

/// Why an amount was rejected or could not be computed. Messages are written to follow a
/// JSON path, e.g. `items[0].preTaxAmount has more than 2 decimal places, the most USD allows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error(
        "must be a decimal string of digits such as \"10.50\" (no sign, exponent or separators)"
    )]
    NotDecimal,
    #[error("{}", too_many_decimals_message(*.allowed, *.currency))]
    TooManyDecimals { allowed: u32, currency: Currency },
    #[error("is too large (at most {MAX_INT_DIGITS} integer digits)")]
    TooLarge,
    #[error("is in {found} but must be in {expected}")]
    CurrencyMismatch { expected: Currency, found: Currency },
}

fn too_many_decimals_message(allowed: u32, currency: Currency) -> String {
    if allowed == 0 {
        // "more than 0 decimal places" reads badly; say what to send instead.
        format!("must be a whole number: {currency} has no decimal places")
    } else {
        format!("has more than {allowed} decimal places, the most {currency} allows")
    }
}

/// Exclusive upper bound on minor units for a currency: `10^(24 + digits)`.
fn minor_limit(currency: Currency) -> Option<u128> {
    decimal::pow10(MAX_INT_DIGITS.checked_add(currency.digits())?)
}

/// Minor units per major unit, `10^digits`.
fn unit(currency: Currency) -> Result<u128, AmountError> {
    decimal::pow10(currency.digits()).ok_or(AmountError::TooLarge)
}

impl Money {
    /// Parses a wire amount in `currency` under the contract's lexical rules.
    pub fn parse(s: &str, currency: Currency) -> Result<Money, AmountError> {
        let lexed = decimal::lex(s).ok_or(AmountError::NotDecimal)?;
        let digits = currency.digits();
        // Fraction digits count as written: "10.500" is an error for USD, never rounded.
        // `missing` is how many zeros pad the fraction out to the currency's digits.
        let frac_len = u32::try_from(lexed.frac_digits()).unwrap_or(u32::MAX);
        let Some(missing) = digits.checked_sub(frac_len) else {
            return Err(AmountError::TooManyDecimals {
                allowed: digits,
                currency,
            });
        };
        if lexed.int_digits() > MAX_INT_DIGITS as usize {
            return Err(AmountError::TooLarge);
        }
        // "10.5" USD is 10|5|0 = 1050 cents.
        let minor = decimal::push_digits(0, lexed.int)
            .and_then(|int| decimal::push_digits(int, lexed.frac))
            .and_then(|v| v.checked_mul(decimal::pow10(missing)?))
            .ok_or(AmountError::TooLarge)?;
        Money::from_minor(minor, currency)
    }

    pub fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    /// Builds an amount from minor units, enforcing the 24-integer-digit cap.
    pub fn from_minor(minor: u128, currency: Currency) -> Result<Money, AmountError> {
        match minor_limit(currency) {
            Some(limit) if minor < limit => Ok(Money { minor, currency }),
            _ => Err(AmountError::TooLarge),
        }
    }

    pub fn minor(&self) -> u128 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }

    /// Adds two amounts of the same currency; a mismatch, overflow or the cap is an error.
    pub fn checked_add(self, other: Money) -> Result<Money, AmountError> {
        if self.currency != other.currency {
            return Err(AmountError::CurrencyMismatch {
                expected: self.currency,
                found: other.currency,
            });
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(AmountError::TooLarge)?;
        Money::from_minor(minor, self.currency)
    }

    /// Sums amounts that must all be in `currency`; an empty sum is zero.
    pub fn sum<I: IntoIterator<Item = Money>>(
        currency: Currency,
        iter: I,
    ) -> Result<Money, AmountError> {
        iter.into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }

    /// Canonical wire string with exactly the currency's digits: "10.50", "49990", "1.000000".
    pub fn to_canonical(&self) -> String {
        decimal::format_fixed(self.minor, self.currency.digits())
    }

    /// Fixed-width key (24 integer digits, '.', 6 fraction digits) whose byte order equals the
    /// numeric order of the value across currencies, for database `ORDER BY`.
    pub fn sort_key(&self) -> String {
        let digits = self.currency.digits();
        let (int, frac) = match unit(self.currency) {
            Ok(unit) => (self.minor / unit, self.minor % unit),
            Err(_) => (self.minor, 0),
        };
        // Scale the fraction to 6 digits. No currency has more than 6 (a unit test holds
        // this); were one added, truncation would still keep the order monotone.
        let frac = match SORT_FRAC_DIGITS.checked_sub(digits) {
            Some(up) => decimal::pow10(up).and_then(|p| frac.checked_mul(p)),
            None => decimal::pow10(digits - SORT_FRAC_DIGITS).map(|p| frac / p),
        }
        .unwrap_or(0);
        let iw = MAX_INT_DIGITS as usize;
        let fw = SORT_FRAC_DIGITS as usize;
        format!("{int:0iw$}.{frac:0fw$}")
    }

    /// Converts into `to` at `rate` (units of `to` per one unit of `self`), rounding UP to
    /// `to`'s minor unit so the payer is never under-collected.
    pub fn convert(self, rate: &Rate, to: Currency) -> Result<Money, AmountError> {
        // value_to = minor_from / 10^d_from * mantissa / 10^scale, in minor_to units:
        //   minor_to = ceil(minor_from * mantissa * 10^d_to / (10^d_from * 10^scale)).
        // Bounds: < 10^30 * 10^24 * 10^6 = 10^60, far inside U256.
        let too_large = || AmountError::TooLarge;
        let pow = |e: u32| {
            decimal::pow10(e)
                .map(U256::new)
                .ok_or(AmountError::TooLarge)
        };
        let num = U256::new(self.minor)
            .checked_mul(U256::new(rate.mantissa()))
            .and_then(|n| n.checked_mul(pow(to.digits()).ok()?))
            .ok_or_else(too_large)?;
        let den = pow(self.currency.digits())?
            .checked_mul(pow(rate.scale())?)
            .ok_or_else(too_large)?;
        let (quot, rem) = num.checked_div_rem(den).ok_or_else(too_large)?;
        let ceil = if rem == U256::ZERO {
            quot
        } else {
            quot.checked_add(U256::ONE).ok_or_else(too_large)?
        };
        let minor = u128::try_from(ceil).map_err(|_| AmountError::TooLarge)?;
        Money::from_minor(minor, to)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_canonical())
    }
}

#[cfg(test)]
mod tests;
