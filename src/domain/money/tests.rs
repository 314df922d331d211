//! Tests for `Money`: the contract's figures as unit tests, its invariants as properties.

use super::*;
use proptest::prelude::*;
use proptest::sample::select;

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

fn currencies() -> Vec<Currency> {
    Currency::all().collect()
}

fn limit(c: Currency) -> u128 {
    minor_limit(c).unwrap_or(1)
}

/// `(currency, canonical string)`: integer without leading zeros, exactly `digits` decimals.
fn canonical() -> impl Strategy<Value = (Currency, String)> {
    (select(currencies()), "(0|[1-9][0-9]{0,23})", "[0-9]{6}").prop_map(|(c, int, frac)| {
        let frac: String = frac.chars().take(c.digits() as usize).collect();
        let s = if frac.is_empty() {
            int
        } else {
            format!("{int}.{frac}")
        };
        (c, s)
    })
}

/// A valid but possibly non-canonical amount string and its expected canonical form.
fn loose() -> impl Strategy<Value = (Currency, String, String)> {
    (
        select(currencies()),
        "0{0,3}",
        "(0|[1-9][0-9]{0,23})",
        "[0-9]{6}",
        0usize..=6,
    )
        .prop_map(|(c, zeros, int, frac, len)| {
            let d = c.digits() as usize;
            let frac: String = frac.chars().take(len.min(d)).collect();
            let written = if frac.is_empty() {
                format!("{zeros}{int}")
            } else {
                format!("{zeros}{int}.{frac}")
            };
            let canon = if d == 0 {
                int
            } else {
                format!("{int}.{frac:0<d$}")
            };
            (c, written, canon)
        })
}

fn any_money() -> impl Strategy<Value = Money> {
    select(currencies()).prop_flat_map(|c| {
        prop_oneof![0..1_000u128, 0..10u128.pow(12), 0..limit(c)]
            .prop_filter_map("within cap", move |m| Money::from_minor(m, c).ok())
    })
}

fn any_rate() -> impl Strategy<Value = Rate> {
    "(0|[1-9][0-9]{0,11})(\\.[0-9]{1,12})?".prop_filter_map("positive", |s| Rate::parse(&s).ok())
}

fn p10(e: u32) -> U256 {
    U256::new(decimal::pow10(e).unwrap_or(0))
}

proptest! {
    #[test]
    fn parse_then_format_is_identity_on_canonical_strings((c, s) in canonical()) {
        prop_assert_eq!(canon(&s, c), Ok(s.clone()));
    }

    #[test]
    fn format_after_parse_canonicalises_idempotently((c, written, expected) in loose()) {
        let once = canon(&written, c);
        prop_assert_eq!(&once, &Ok(expected.clone()));
        prop_assert_eq!(canon(&expected, c), Ok(expected.clone()));
        prop_assert_eq!(Money::parse(&expected, c), Money::parse(&written, c));
    }

    #[test]
    fn sums_are_exact_and_order_independent(
        (c, minors, shuffled) in select(currencies()).prop_flat_map(|c| {
            proptest::collection::vec(0..10u128.pow(22), 0..30)
                .prop_flat_map(move |v| (Just(c), Just(v.clone()), Just(v).prop_shuffle()))
        })
    ) {
        let reference: u128 = minors.iter().sum();
        let as_money = |v: &[u128]| -> Vec<Money> {
            v.iter().filter_map(|m| Money::from_minor(*m, c).ok()).collect()
        };
        prop_assert_eq!(as_money(&minors).len(), minors.len());
        prop_assert_eq!(Money::sum(c, as_money(&minors)).map(|m| m.minor()), Ok(reference));
        prop_assert_eq!(Money::sum(c, as_money(&shuffled)).map(|m| m.minor()), Ok(reference));
    }

    #[test]
    fn conversion_never_under_collects_by_less_than_a_minor_unit(
        amount in any_money(), r in any_rate(), to in select(currencies())
    ) {
        // Exact value in payer minor units is N / D; the result m must satisfy
        // N <= m*D < N + D (ceiling), checked by cross-multiplication.
        let n = U256::new(amount.minor()) * U256::new(r.mantissa()) * p10(to.digits());
        let d = p10(amount.currency().digits()) * p10(r.scale());
        match amount.convert(&r, to) {
            Ok(m) => {
                prop_assert_eq!(m.currency(), to);
                let md = U256::new(m.minor()) * d;
                prop_assert!(md >= n, "under-collected: {} {} * {} -> {}", amount, amount.currency(), r, m);
                prop_assert!(md < n + d, "over by a minor unit or more: {} * {} -> {}", amount, r, m);
            }
            Err(e) => {
                prop_assert_eq!(e, AmountError::TooLarge);
                // Only legitimate when the ceiling reaches the cap.
                prop_assert!(n > (U256::new(limit(to)) - U256::ONE) * d);
            }
        }
    }

    #[test]
    fn sort_key_order_matches_value_order(a in any_money(), b in any_money()) {
        // a.minor / 10^da vs b.minor / 10^db, compared exactly.
        let lhs = U256::new(a.minor()) * p10(b.currency().digits());
        let rhs = U256::new(b.minor()) * p10(a.currency().digits());
        prop_assert_eq!(a.sort_key().cmp(&b.sort_key()), lhs.cmp(&rhs));
        prop_assert_eq!(a.sort_key().len(), 31);
        // The same value in USDC (6 digits, the most of any currency) keys equal; one USDC
        // minor unit more keys higher. Catches fraction-scaling bugs random pairs rarely hit.
        let as_usdc = a.minor() * 10u128.pow(6 - a.currency().digits());
        let key = |m: u128| Money::from_minor(m, Usdc).map(|m| m.sort_key());
        prop_assert_eq!(key(as_usdc), Ok(a.sort_key()));
        let above = key(as_usdc + 1);
        prop_assert!(above.is_ok_and(|k| k > a.sort_key()));
    }

    #[test]
    fn parse_never_panics_on_any_string(s in ".*", c in select(currencies())) {
        let _ = Money::parse(&s, c);
    }

    #[test]
    fn parse_never_panics_on_digit_soup(s in "[0-9.]{0,40}", c in select(currencies())) {
        if let Ok(m) = Money::parse(&s, c) {
            prop_assert_eq!(canon(&m.to_string(), c), Ok(m.to_string()));
        }
    }
}
