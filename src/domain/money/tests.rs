//! Tests for `Money`: the contract's figures as unit tests, its invariants as properties.

use super::*;
use proptest::prelude::*;

use Currency::{Clp, Usd, Usdc};

fn canon(s: &str, c: Currency) -> Result<String, AmountError> {
    Money::parse(s, c).map(|m| m.to_string())
}

fn money(s: &str, c: Currency) -> Money {
    // Test inputs are literals that must parse; a bad literal fails the test loudly.
    match Money::parse(s, c) {
        Ok(m) => m,
        Err(e) => panic!("test literal {s:?} {c}: {e}"),
    }
}

fn rate(s: &str) -> Rate {
    match Rate::parse(s) {
        Ok(r) => r,
        Err(e) => panic!("test rate {s:?}: {e}"),
    }
}

#[test]
fn parses_into_minor_units_and_writes_canonically() {
    assert_eq!(Money::parse("10.5", Usd).map(|m| m.minor()), Ok(1050));
    assert_eq!(canon("10.5", Usd), Ok("10.50".into()));
    assert_eq!(canon("49990", Clp), Ok("49990".into()));
    assert_eq!(canon("1", Usdc), Ok("1.000000".into()));
    assert_eq!(canon("007", Clp), Ok("7".into()));
    assert_eq!(canon("0.05", Usd), Ok("0.05".into()));
    assert_eq!(canon("000.00", Usd), Ok("0.00".into()));
    assert!(money("0", Usd).is_zero());
    assert_eq!(money("12.34", Usd).currency(), Usd);
}

#[test]
fn eighteen_digit_amounts_round_trip_exactly() {
    assert_eq!(
        canon("123456789012345678", Clp),
        Ok("123456789012345678".into())
    );
    let usdc = "123456789012345678.123456";
    assert_eq!(canon(usdc, Usdc), Ok(usdc.into()));
    assert_eq!(money(usdc, Usdc).minor(), 123_456_789_012_345_678_123_456);
}

#[test]
fn the_cap_is_24_integer_digits() {
    let max = "9".repeat(24);
    assert_eq!(canon(&max, Clp), Ok(max.clone()));
    assert_eq!(
        canon(&format!("{max}.999999"), Usdc),
        Ok(format!("{max}.999999"))
    );
    assert_eq!(
        Money::parse(&"9".repeat(25), Clp),
        Err(AmountError::TooLarge)
    );
    assert_eq!(
        Money::parse(&format!("1{}", "0".repeat(24)), Usd),
        Err(AmountError::TooLarge)
    );
    // Leading zeros are not significant digits.
    assert_eq!(canon(&format!("000{max}"), Clp), Ok(max));
    assert_eq!(
        Money::from_minor(10u128.pow(24) - 1, Clp).map(|m| m.minor()),
        Ok(10u128.pow(24) - 1)
    );
    assert_eq!(
        Money::from_minor(10u128.pow(24), Clp),
        Err(AmountError::TooLarge)
    );
    assert!(Money::from_minor(10u128.pow(30) - 1, Usdc).is_ok());
    assert_eq!(
        Money::from_minor(u128::MAX, Usdc),
        Err(AmountError::TooLarge)
    );
}

#[test]
fn rejects_malformed_strings() {
    for s in [
        "", "1e5", "-1", "+1", " 1", "1 ", "1,000", "1.", ".5", "١٢", "1..0", "0x1", "NaN",
    ] {
        assert_eq!(Money::parse(s, Usd), Err(AmountError::NotDecimal), "{s:?}");
    }
}

#[test]
fn rejects_more_fraction_digits_than_the_currency_allows() {
    let usd = AmountError::TooManyDecimals {
        allowed: 2,
        currency: Usd,
    };
    assert_eq!(Money::parse("10.505", Usd), Err(usd));
    assert_eq!(
        Money::parse("10.500", Usd),
        Err(usd),
        "trailing zeros still count"
    );
    let clp = AmountError::TooManyDecimals {
        allowed: 0,
        currency: Clp,
    };
    assert_eq!(Money::parse("1.5", Clp), Err(clp));
    assert_eq!(Money::parse("1.0", Clp), Err(clp));
    assert!(Money::parse("1.1234567", Usdc).is_err());
}

#[test]
fn messages_read_after_a_json_path() {
    let m = |e: AmountError| format!("items[0].preTaxAmount {e}");
    assert_eq!(
        m(AmountError::NotDecimal),
        "items[0].preTaxAmount must be a decimal string of digits such as \"10.50\" (no sign, exponent or separators)"
    );
    assert_eq!(
        m(AmountError::TooManyDecimals {
            allowed: 2,
            currency: Usd
        }),
        "items[0].preTaxAmount has more than 2 decimal places, the most USD allows"
    );
    assert_eq!(
        m(AmountError::TooManyDecimals {
            allowed: 0,
            currency: Clp
        }),
        "items[0].preTaxAmount must be a whole number: CLP has no decimal places"
    );
    assert_eq!(
        m(AmountError::TooLarge),
        "items[0].preTaxAmount is too large (at most 24 integer digits)"
    );
    assert_eq!(
        m(AmountError::CurrencyMismatch {
            expected: Usd,
            found: Clp
        }),
        "items[0].preTaxAmount is in CLP but must be in USD"
    );
}

#[test]
fn adds_and_sums_exactly_within_one_currency() {
    assert_eq!(
        money("10.50", Usd).checked_add(money("0.55", Usd)),
        Ok(money("11.05", Usd))
    );
    assert_eq!(
        money("1", Usd).checked_add(money("1", Clp)),
        Err(AmountError::CurrencyMismatch {
            expected: Usd,
            found: Clp
        })
    );
    let max = money(&"9".repeat(24), Clp);
    assert_eq!(max.checked_add(money("1", Clp)), Err(AmountError::TooLarge));
    assert_eq!(max.checked_add(Money::zero(Clp)), Ok(max));
    let items = [money("42008", Clp), money("7982", Clp), money("10", Clp)];
    assert_eq!(Money::sum(Clp, items), Ok(money("50000", Clp)));
    assert_eq!(Money::sum(Usd, []), Ok(Money::zero(Usd)));
    assert!(
        Money::sum(Usd, [money("1", Clp)]).is_err(),
        "sum checks the declared currency"
    );
}

#[test]
fn sort_keys_order_values_across_currencies() {
    assert_eq!(
        money("10.5", Usd).sort_key(),
        "000000000000000000000010.500000"
    );
    assert_eq!(
        money("49990", Clp).sort_key(),
        "000000000000000000049990.000000"
    );
    let ascending = [
        money("0", Clp),
        money("0.000001", Usdc),
        money("0.01", Usd),
        money("0.999999", Usdc),
        money("1", Clp),
        money("1.01", Usd),
        money("2", Clp),
        money("100", Clp),
        money(&"9".repeat(24), Clp),
        money(&format!("{}.999999", "9".repeat(24)), Usdc),
    ];
    for pair in ascending.windows(2) {
        if let [a, b] = pair {
            assert!(
                a.sort_key() < b.sort_key(),
                "{a} {} < {b} {}",
                a.currency(),
                b.currency()
            );
        }
    }
    assert_eq!(
        money("10.50", Usd).sort_key(),
        money("10.5", Usdc).sort_key()
    );
    assert!(
        Currency::all().all(|c| c.digits() <= SORT_FRAC_DIGITS),
        "sort key fits every currency"
    );
}

#[test]
fn converts_rounding_up_to_the_payer_currency() {
    assert_eq!(
        money("10000", Clp).convert(&rate("0.0011"), Usd),
        Ok(money("11.00", Usd))
    );
    assert_eq!(
        money("1.50", Usd).convert(&rate("950.5"), Clp),
        Ok(money("1426", Clp))
    );
    assert_eq!(
        money("1", Usd).convert(&rate("1"), Usdc),
        Ok(money("1.000000", Usdc))
    );
    assert_eq!(
        money("12.34", Usd).convert(&Rate::one(), Usd),
        Ok(money("12.34", Usd))
    );
    // 1 CLP at 0.0011 is 0.0011 USD: a fraction of a cent still collects a whole cent.
    assert_eq!(
        money("1", Clp).convert(&rate("0.0011"), Usd),
        Ok(money("0.01", Usd))
    );
    assert_eq!(
        Money::zero(Usd).convert(&rate("950.5"), Clp),
        Ok(Money::zero(Clp))
    );
    // Exact results are not bumped: 2.00 USD * 950.5 = 1901 CLP.
    assert_eq!(
        money("2", Usd).convert(&rate("950.5"), Clp),
        Ok(money("1901", Clp))
    );
}

#[test]
fn conversion_beyond_the_cap_is_an_error() {
    let big = money(&"9".repeat(24), Clp);
    assert_eq!(big.convert(&rate("2"), Clp), Err(AmountError::TooLarge));
    let huge = money(&format!("{}.999999", "9".repeat(24)), Usdc);
    assert_eq!(
        huge.convert(&rate("999999999999.999999999999"), Usdc),
        Err(AmountError::TooLarge)
    );
}

mod props;
