//! Property tests: the rules hold for random inputs, checked with exact integer arithmetic.

use super::*;
use Currency::Usdc;
use proptest::sample::select;

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
