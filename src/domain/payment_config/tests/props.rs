//! Property tests: the rules hold for random inputs, checked with exact integer arithmetic.

use super::*;
use crate::domain::decimal;
use Currency::Usd;
use CustomerField::Email;
use PaymentMethod::Card;
use ethnum::U256;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

fn p10(e: u32) -> U256 {
    U256::new(decimal::pow10(e).unwrap_or(0))
}

fn any_rate() -> impl Strategy<Value = Rate> {
    "(0|[1-9][0-9]{0,11})(\\.[0-9]{1,12})?".prop_filter_map("positive", |s| Rate::parse(&s).ok())
}

fn any_total() -> impl Strategy<Value = Money> {
    (
        select(Currency::all().collect::<Vec<_>>()),
        prop_oneof![0..10u128.pow(6), 0..10u128.pow(24)],
    )
        .prop_filter_map("within cap", |(c, m)| Money::from_minor(m, c).ok())
}

/// A rate (or none) for each of the 15 currencies as payer.
fn any_rates() -> impl Strategy<Value = Vec<(Currency, Option<Rate>)>> {
    // Integer weights (4:1 rated), so no float enters even the test strategy.
    let maybe_rate = prop_oneof![4 => any_rate().prop_map(Some), 1 => Just(None)];
    proptest::collection::vec(maybe_rate, 15).prop_map(|rates| Currency::all().zip(rates).collect())
}

/// The exact payer amount of `total` at `rate`, in payer minor units, as `n / d`.
fn exact(total: Money, rate: &Rate, payer: Currency) -> (U256, U256) {
    let n = U256::new(total.minor()) * U256::new(rate.mantissa()) * p10(payer.digits());
    (n, p10(total.currency().digits()) * p10(rate.scale()))
}

proptest! {
    #[test]
    fn enabled_amounts_are_the_exact_ceiling_of_total_times_rate(
        total in any_total(),
        methods in subsequence(PaymentMethod::ALL.to_vec(), 0..=8).prop_shuffle(),
        rates in any_rates(),
    ) {
        let session = total.currency();
        let lookup = |_: Currency, to: Currency| {
            rates.iter().find(|(c, _)| *c == to).and_then(|(_, r)| r.clone())
        };
        let configs = compute(total, &methods, &[], lookup, &[]);
        for config in &configs {
            let payer = Currency::parse(&config.currency);
            prop_assert!(payer.is_ok());
            let Ok(payer) = payer else { continue };
            let r = if payer == session { Some(Rate::one()) } else { lookup(session, payer) };
            let exact = r.as_ref().map(|r| exact(total, r, payer));
            // Disabled exactly when there is no rate or the ceiling reaches the amount cap.
            let cap = p10(24 + payer.digits());
            let fits = exact.is_some_and(|(n, d)| n <= (cap - U256::ONE) * d);
            let written = if fits { r.as_ref().map(Rate::to_canonical) } else { None };
            prop_assert_eq!(&config.exchange_rate, &written.unwrap_or(NO_RATE.into()));
            for m in &config.payment_methods {
                prop_assert_eq!(m.enabled, fits, "{}", m.id);
                let amount = Money::parse(&m.purchase_amount, payer);
                prop_assert_eq!(amount.map(|a| a.to_string()), Ok(m.purchase_amount.clone()));
                let minor = U256::new(amount.map(|a| a.minor()).unwrap_or(u128::MAX));
                match exact.filter(|_| m.enabled) {
                    Some((n, d)) => {
                        prop_assert!(minor * d >= n, "under-collected {}", m.id);
                        prop_assert!(minor * d < n + d, "a minor unit or more over {}", m.id);
                    }
                    None => prop_assert_eq!(minor, U256::ZERO),
                }
            }
        }
    }

    #[test]
    fn every_allowed_method_appears_once_per_payer_currency(
        total in any_total(),
        methods in proptest::collection::vec(select(PaymentMethod::ALL.to_vec()), 0..12),
    ) {
        let session = total.currency();
        let configs = compute(total, &methods, &[Email], no_rates, &[]);
        let mut ids: Vec<&str> = summary(&configs).into_iter().map(|(id, _, _)| id).collect();
        let mut expected: Vec<String> = methods
            .iter()
            .flat_map(|m| m.payer_currencies(session).iter().map(move |c| format!("{m}-{c}")))
            .collect();
        ids.sort_unstable();
        expected.sort_unstable();
        expected.dedup();
        prop_assert_eq!(ids, expected);
        for c in &configs {
            prop_assert!(!c.payment_methods.is_empty());
            prop_assert_eq!(&c.product, &format!("{}:{session}", c.currency));
            let suffix = format!("-{}", c.currency);
            for m in &c.payment_methods {
                prop_assert!(m.id.ends_with(&suffix));
                let last = m.required_fields.last().map(String::as_str);
                prop_assert_eq!(last, Some("customer.email"));
            }
        }
    }

    #[test]
    fn a_limit_enables_exactly_inside_its_inclusive_bounds(
        total in any_total(),
        min in proptest::option::of(0..10u128.pow(7)),
        max in proptest::option::of(0..10u128.pow(7)),
    ) {
        let c = total.currency();
        let bound = |m: Option<u128>| m.and_then(|m| Money::from_minor(m, c).ok());
        let lim = MethodLimit { method: Card, currency: c, min: bound(min), max: bound(max) };
        let configs = compute(total, &[Card], &[], no_rates, &[lim]);
        let t = total.minor();
        let inside = min.is_none_or(|m| t >= m) && max.is_none_or(|m| t <= m);
        // Card pays a stablecoin session in USD, which has no rate here: always disabled.
        let expected = inside && !c.is_crypto();
        let payer = if c.is_crypto() { Usd } else { c };
        prop_assert_eq!(enabled(&configs, "CARD", payer.code()), Some(expected));
    }
}
