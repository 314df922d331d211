//! Tests for taxes: the contract's VAT figures, percent parsing, and the half-up bound.

use super::*;
use ethnum::U256;
use proptest::prelude::*;
use proptest::sample::select;

use Currency::{Clp, Usd, Usdc};

fn money(s: &str, c: Currency) -> Money {
    match Money::parse(s, c) {
        Ok(m) => m,
        Err(e) => panic!("test literal {s:?} {c}: {e}"),
    }
}

fn pct(s: &str) -> Percent {
    match Percent::parse(s) {
        Ok(p) => p,
        Err(e) => panic!("test percent {s:?}: {e}"),
    }
}

fn pct_of(amount: &str, c: Currency, p: &str) -> Result<String, AmountError> {
    percentage_of(money(amount, c), &pct(p)).map(|m| m.to_string())
}

#[test]
fn tax_types_parse_by_exact_wire_name() {
    assert_eq!(TaxType::parse("FIXED"), Ok(TaxType::Fixed));
    assert_eq!(TaxType::parse("PERCENTAGE"), Ok(TaxType::Percentage));
    assert_eq!(TaxType::parse("fixed"), Err(TaxError::UnknownType));
    assert_eq!(TaxType::parse(""), Err(TaxError::UnknownType));
    assert_eq!(TaxType::Percentage.as_str(), "PERCENTAGE");
    assert_eq!(TaxType::Fixed.to_string(), "FIXED");
}

#[test]
fn vat_rounds_half_up_to_the_currency_digits() {
    // 42008 * 19 / 100 = 7981.52 -> 7982 CLP.
    assert_eq!(pct_of("42008", Clp, "19"), Ok("7982".into()));
    // 10.05 * 19 / 100 = 1.9095 -> 1.91 USD.
    assert_eq!(pct_of("10.05", Usd, "19"), Ok("1.91".into()));
    // Exact tie: 0.05 * 10 / 100 = 0.005 -> 0.01 USD.
    assert_eq!(pct_of("0.05", Usd, "10"), Ok("0.01".into()));
    // Just below the tie rounds down: 0.04 * 10 / 100 = 0.004 -> 0.00.
    assert_eq!(pct_of("0.04", Usd, "10"), Ok("0.00".into()));
    // Fractional percents: 100 * 7.125% = 7.125 -> 7.13; 19.5% of 1 CLP = 0.195 -> 0.
    assert_eq!(pct_of("100", Usd, "7.125"), Ok("7.13".into()));
    assert_eq!(pct_of("1", Clp, "19.5"), Ok("0".into()));
    assert_eq!(pct_of("3", Clp, "50"), Ok("2".into()), "1.5 ties up");
    assert_eq!(pct_of("12.345678", Usdc, "100"), Ok("12.345678".into()));
    assert_eq!(pct_of("12.34", Usd, "0"), Ok("0.00".into()));
}

#[test]
fn percentage_of_the_largest_amount_does_not_overflow() {
    let max = format!("{}.999999", "9".repeat(24));
    assert_eq!(pct_of(&max, Usdc, "100"), Ok(max.clone()));
    assert!(pct_of(&max, Usdc, "99.999999").is_ok());
}

#[test]
fn percents_parse_exactly_and_write_canonically() {
    for (input, canonical) in [
        ("19", "19"),
        ("19.5", "19.5"),
        ("7.125", "7.125"),
        ("19.000", "19"),
        ("007.50", "7.5"),
        ("0", "0"),
        ("0.000001", "0.000001"),
        ("100", "100"),
        ("100.000000", "100"),
    ] {
        assert_eq!(
            Percent::parse(input).map(|p| p.to_string()),
            Ok(canonical.into()),
            "{input}"
        );
    }
    assert_eq!(pct("19").millionths(), 19_000_000);
}

#[test]
fn percents_reject_with_specific_errors() {
    for s in ["", "19%", "-1", "+5", " 5", "1e2", "1.", ".5", "١٢", "5,5"] {
        assert_eq!(Percent::parse(s), Err(TaxError::NotPercent), "{s:?}");
    }
    for s in [
        "100.000001",
        "101",
        "1000",
        "99999999999999999999999999999999999999999",
    ] {
        assert_eq!(Percent::parse(s), Err(TaxError::PercentOutOfRange), "{s:?}");
    }
    assert_eq!(
        Percent::parse("7.1250001"),
        Err(TaxError::PercentTooManyDecimals)
    );
    assert_eq!(
        Percent::parse("19.0000000"),
        Err(TaxError::PercentTooManyDecimals)
    );
}

#[test]
fn tax_values_parse_by_type_and_compute_amounts() {
    let fixed = TaxValue::parse(TaxType::Fixed, "1.5", Usd);
    assert_eq!(fixed, Ok(TaxValue::Fixed(money("1.50", Usd))));
    assert_eq!(fixed.map(|t| t.value_string()), Ok("1.50".into()));
    assert_eq!(
        TaxValue::parse(TaxType::Fixed, "1.505", Usd),
        Err(TaxError::Amount(AmountError::TooManyDecimals {
            allowed: 2,
            currency: Usd
        }))
    );
    let vat = TaxValue::parse(TaxType::Percentage, "19.0", Clp);
    assert_eq!(vat.map(|t| t.value_string()), Ok("19".into()));
    assert_eq!(vat.map(|t| t.tax_type()), Ok(TaxType::Percentage));
    assert_eq!(
        vat.and_then(|t| Ok(t.amount_on(money("42008", Clp))?)),
        Ok(money("7982", Clp))
    );
    let fixed = TaxValue::Fixed(money("0.55", Usd));
    assert_eq!(fixed.amount_on(money("10", Usd)), Ok(money("0.55", Usd)));
    assert_eq!(
        fixed.amount_on(money("10", Clp)),
        Err(AmountError::CurrencyMismatch {
            expected: Clp,
            found: Usd
        })
    );
}

#[test]
fn item_totals_add_the_tax() {
    let vat = TaxValue::Percentage(pct("19"));
    assert_eq!(
        item_total(money("42008", Clp), Some(&vat)),
        Ok(money("49990", Clp))
    );
    assert_eq!(
        item_total(money("10.05", Usd), None),
        Ok(money("10.05", Usd))
    );
    let max = money(&"9".repeat(24), Clp);
    assert_eq!(item_total(max, Some(&vat)), Err(AmountError::TooLarge));
}

#[test]
fn messages_read_after_a_json_path() {
    let m = |e: TaxError| format!("items[0].tax.value {e}");
    assert_eq!(
        m(TaxError::NotPercent),
        "items[0].tax.value must be a percent between 0 and 100 such as \"19\" or \"7.125\" (a decimal string; no sign, exponent or \"%\")"
    );
    assert_eq!(
        m(TaxError::PercentTooManyDecimals),
        "items[0].tax.value has more than 6 decimal places, the most a percent allows"
    );
    assert_eq!(
        m(TaxError::PercentOutOfRange),
        "items[0].tax.value must be a percent between 0 and 100 inclusive"
    );
    assert_eq!(
        m(TaxError::Amount(AmountError::TooLarge)),
        "items[0].tax.value is too large (at most 24 integer digits)"
    );
    assert_eq!(
        format!("items[0].tax.type {}", TaxError::UnknownType),
        "items[0].tax.type must be \"FIXED\" or \"PERCENTAGE\""
    );
}

fn any_money() -> impl Strategy<Value = Money> {
    select(Currency::all().collect::<Vec<_>>()).prop_flat_map(|c| {
        let cap = 10u128.pow(24 + c.digits());
        prop_oneof![0..1_000u128, 0..10u128.pow(12), 0..cap]
            .prop_filter_map("within cap", move |m| Money::from_minor(m, c).ok())
    })
}

proptest! {
    #[test]
    fn half_up_is_within_half_a_minor_unit(
        amount in any_money(),
        // Whole percents on small amounts hit exact ties often, so half-up is really tested.
        millionths in prop_oneof![(0u32..=100).prop_map(|p| p * 1_000_000), 0u32..=100_000_000],
    ) {
        let p = Percent { millionths };
        let r = percentage_of(amount, &p);
        prop_assert!(r.is_ok());
        if let Ok(r) = r {
            prop_assert_eq!(r.currency(), amount.currency());
            // Exact value is n / d minor units; half-up means r - 1/2 <= n/d < r + 1/2,
            // i.e. 2rd - d <= 2n < 2rd + d, checked in U256 without division.
            let n = U256::new(amount.minor()) * U256::new(u128::from(millionths));
            let d = U256::new(100_000_000);
            let two = U256::new(2);
            let rd2 = two * U256::new(r.minor()) * d;
            prop_assert!(two * n < rd2 + d, "rounded down at or above a half: {} * {}%", amount, p);
            prop_assert!(rd2 <= two * n + d, "rounded up below a half: {} * {}%", amount, p);
        }
    }

    #[test]
    fn canonical_percents_round_trip(s in "(100|[1-9]?[0-9](\\.[0-9]{0,5}[1-9])?)") {
        prop_assert_eq!(Percent::parse(&s).map(|p| p.to_string()), Ok(s.clone()));
    }

    #[test]
    fn parse_never_panics_on_any_string(s in ".*") {
        let _ = Percent::parse(&s);
        let _ = TaxType::parse(&s);
        let _ = TaxValue::parse(TaxType::Fixed, &s, Currency::Usd);
    }

    #[test]
    fn parse_never_panics_on_digit_soup(s in "[0-9.]{0,40}") {
        if let Ok(p) = Percent::parse(&s) {
            prop_assert!(p.millionths() <= 100_000_000);
            prop_assert_eq!(Percent::parse(&p.to_string()), Ok(p));
        }
    }
}
