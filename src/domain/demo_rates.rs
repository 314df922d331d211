//! Fictional exchange rates for the sandbox demo: every ordered pair of supported currencies,
//! derived exactly from one made-up USD-based table.

use crate::domain::currency::Currency;
use crate::domain::decimal;
use crate::domain::rate::Rate;

/// How many units of each currency one USD buys.
///
/// FICTIONAL demo values for the sandbox, deliberately round: they are NOT market data and
/// must never price a real payment. Kept as decimal strings so the table reads as written;
/// parsing them as [`Rate`]s keeps the arithmetic exact.
const USD_DEMO_RATES: [(Currency, &str); 15] = [
    (Currency::Clp, "950"),
    (Currency::Pyg, "7500"),
    (Currency::Usdc, "1"),
    (Currency::Usdt, "1"),
    (Currency::Mxn, "17.5"),
    (Currency::Cop, "4000"),
    (Currency::Pen, "3.75"),
    (Currency::Bob, "6.9"),
    (Currency::Aud, "1.5"),
    (Currency::Ars, "1000"),
    (Currency::Brl, "5.5"),
    (Currency::Usd, "1"),
    (Currency::Cad, "1.35"),
    (Currency::Eur, "0.92"),
    (Currency::Gbp, "0.79"),
];

/// Fraction digits of every derived rate: enough for the smallest cross rate here (GBP per
/// PYG, about 0.000105) to keep five significant digits, and well inside a rate's 12.
const DEMO_FRAC_DIGITS: u32 = 8;

/// Every ordered pair `(from, to, rate)` with `from != to` (210 pairs), where `rate` is how
/// many `to` units one `from` unit buys: `usd[to] / usd[from]`, computed exactly and rounded
/// half-up to 8 fraction digits.
pub fn demo_rates() -> Vec<(Currency, Currency, Rate)> {
    let usd: Vec<(Currency, Rate)> = USD_DEMO_RATES
        .iter()
        .filter_map(|(c, s)| Rate::parse(s).ok().map(|r| (*c, r)))
        .collect();
    // A table row that failed to parse would drop its pairs; a unit test holds all 210.
    usd.iter()
        .flat_map(|(from, from_usd)| {
            usd.iter()
                .filter(move |(to, _)| to != from)
                .filter_map(move |(to, to_usd)| Some((*from, *to, cross(from_usd, to_usd)?)))
        })
        .collect()
}

/// `to_usd / from_usd`, rounded half-up to [`DEMO_FRAC_DIGITS`]; `None` only on overflow or
/// a result beyond a rate's 12 integer digits, which this table's small values cannot reach.
fn cross(from_usd: &Rate, to_usd: &Rate) -> Option<Rate> {
    // (mt / 10^st) / (mf / 10^sf) = mt * 10^sf / (mf * 10^st). In units of 10^-8:
    //   q = mt * 10^(sf + 8) / (mf * 10^st), and half-up is floor((2·num + den) / (2·den)).
    // Bounds: this table's mantissas are below 10^4 and its scales at most 2, so num stays
    // below 10^14 and den below 10^6; every step is checked regardless, so a future row
    // with huge values drops its pairs (caught by the 210-pair test) instead of wrapping.
    let num = to_usd.mantissa().checked_mul(decimal::pow10(
        from_usd.scale().checked_add(DEMO_FRAC_DIGITS)?,
    )?)?;
    let den = from_usd
        .mantissa()
        .checked_mul(decimal::pow10(to_usd.scale())?)?;
    let rounded = num
        .checked_mul(2)?
        .checked_add(den)?
        .checked_div(den.checked_mul(2)?)?;
    // A rate must be positive; should a tiny cross rate round to zero, the smallest
    // 8-digit value keeps it usable rather than dropping the pair. (This table's smallest,
    // GBP per PYG, is about 0.000105, so it never happens here.)
    let rounded = rounded.max(1);
    Rate::parse(&decimal::format_trimmed(rounded, DEMO_FRAC_DIGITS)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    use Currency::{Brl, Clp, Usd};

    fn find(from: Currency, to: Currency) -> Option<String> {
        demo_rates()
            .into_iter()
            .find(|(f, t, _)| *f == from && *t == to)
            .map(|(_, _, r)| r.to_string())
    }

    #[test]
    fn the_table_lists_every_currency_once() {
        for c in Currency::all() {
            let rows = USD_DEMO_RATES.iter().filter(|(r, _)| *r == c).count();
            assert_eq!(rows, 1, "{c}");
        }
        for (c, s) in USD_DEMO_RATES {
            assert!(Rate::parse(s).is_ok(), "{c} {s}");
        }
    }

    #[test]
    fn covers_every_ordered_pair_of_distinct_currencies_once() {
        let rates = demo_rates();
        assert_eq!(rates.len(), 210);
        assert!(rates.iter().all(|(f, t, _)| f != t));
        for from in Currency::all() {
            for to in Currency::all().filter(|to| *to != from) {
                let n = rates
                    .iter()
                    .filter(|(f, t, _)| (*f, *t) == (from, to))
                    .count();
                assert_eq!(n, 1, "{from}->{to}");
            }
        }
    }

    #[test]
    fn cross_rates_are_exact_and_rounded_half_up() {
        // 1/950 = 0.00105263|15..., rounded at the 8th place.
        assert_eq!(find(Clp, Usd).as_deref(), Some("0.00105263"));
        assert_eq!(find(Usd, Clp).as_deref(), Some("950"));
        // 950/5.5 = 172.72727272|72...: the 9th digit 7 rounds up.
        assert_eq!(find(Brl, Clp).as_deref(), Some("172.72727273"));
        assert_eq!(find(Clp, Brl).as_deref(), Some("0.00578947"));
        assert_eq!(find(Currency::Usdc, Usd).as_deref(), Some("1"));
        assert_eq!(
            find(Currency::Pyg, Currency::Gbp).as_deref(),
            Some("0.00010533")
        );
        assert_eq!(
            find(Currency::Eur, Currency::Gbp).as_deref(),
            Some("0.85869565")
        );
    }

    #[test]
    fn half_up_rounds_an_exact_half_away_from_zero() {
        let r = |s: &str| Rate::parse(s).ok();
        let cross_of = |f: &str, t: &str| r(f).zip(r(t)).and_then(|(f, t)| cross(&f, &t));
        // 0.000000005 per unit is exactly half of the 8th place: it rounds up.
        assert_eq!(
            cross_of("1", "0.000000005")
                .map(|x| x.to_string())
                .as_deref(),
            Some("0.00000001")
        );
        // 0.000000004999 → rounds to zero, so the smallest positive value is used instead.
        assert_eq!(
            cross_of("1", "0.000000004999")
                .map(|x| x.to_string())
                .as_deref(),
            Some("0.00000001")
        );
        assert_eq!(
            cross_of("16", "1").map(|x| x.to_string()).as_deref(),
            Some("0.0625")
        );
    }

    #[test]
    fn every_rate_is_positive_and_round_trips_through_display() {
        for (from, to, rate) in demo_rates() {
            assert!(rate.mantissa() > 0, "{from}->{to}");
            assert!(rate.scale() <= DEMO_FRAC_DIGITS, "{from}->{to} {rate}");
            assert_eq!(
                Rate::parse(&rate.to_string()),
                Ok(rate.clone()),
                "{from}->{to}"
            );
        }
    }
}
