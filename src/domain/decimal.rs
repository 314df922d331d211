//! The one lexer for decimal strings on the wire (amounts, rates, percents) and the exact
//! integer helpers they share, so the lexical rules cannot drift between the three.

/// A lexically valid decimal string split at its dot.
///
/// `int` has its leading zeros stripped (so "007" and "0" give "7" and ""), because every
/// digit-count cap in the contract counts significant integer digits. `frac` is kept as
/// written: trailing zeros still count against a currency's minor-unit digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lexed<'a> {
    pub(crate) int: &'a str,
    pub(crate) frac: &'a str,
}

impl Lexed<'_> {
    /// Number of significant integer digits (0 for a zero integer part).
    pub(crate) fn int_digits(&self) -> usize {
        self.int.len()
    }

    /// Number of fraction digits as written.
    pub(crate) fn frac_digits(&self) -> usize {
        self.frac.len()
    }
}

/// Splits `s` into integer and fraction digits, or `None` if it is not of the form
/// `DIGITS` or `DIGITS.DIGITS` with ASCII digits only.
///
/// Deliberately stricter than `str::parse::<u128>`, which would accept a leading `+`.
pub(crate) fn lex(s: &str) -> Option<Lexed<'_>> {
    let (int, frac) = match s.split_once('.') {
        Some((int, frac)) => (int, frac),
        None => (s, ""),
    };
    let has_dot = int.len() != s.len();
    // "10." and ".5" are rejected: a dot must have digits on both sides.
    if int.is_empty() || (has_dot && frac.is_empty()) {
        return None;
    }
    // A second dot lands in `frac` and fails the digit check there.
    if !all_ascii_digits(int) || !all_ascii_digits(frac) {
        return None;
    }
    Some(Lexed {
        int: int.trim_start_matches('0'),
        frac,
    })
}

fn all_ascii_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Appends ASCII digits to `acc` (acc * 10^len + digits), `None` on overflow.
///
/// Callers pass only strings that `lex` accepted; a non-digit byte yields `None`
/// rather than a wrong number.
pub(crate) fn push_digits(acc: u128, digits: &str) -> Option<u128> {
    digits.bytes().try_fold(acc, |acc, b| {
        let d = u128::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
        acc.checked_mul(10)?.checked_add(d)
    })
}

/// `10^exp` as u128, `None` if it does not fit (exp > 38).
pub(crate) fn pow10(exp: u32) -> Option<u128> {
    10u128.checked_pow(exp)
}

/// Writes `value / 10^scale` with exactly `scale` fraction digits ("1050", 2 -> "10.50").
pub(crate) fn format_fixed(value: u128, scale: u32) -> String {
    match pow10(scale) {
        Some(unit) if scale > 0 => {
            let width = usize::try_from(scale).unwrap_or(usize::MAX);
            format!("{}.{:0width$}", value / unit, value % unit)
        }
        // scale 0 writes a bare integer; a scale beyond u128 never occurs (all
        // scales here are at most 12), but falling back to digits keeps this total.
        _ => value.to_string(),
    }
}

/// Like [`format_fixed`] but with trailing fraction zeros and a bare dot removed
/// ("7.125000" -> "7.125", "19.0" -> "19"): the canonical form of rates and percents.
pub(crate) fn format_trimmed(value: u128, scale: u32) -> String {
    let fixed = format_fixed(value, scale);
    if fixed.contains('.') {
        fixed
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        fixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lex_accepts_plain_and_fractional_forms() {
        assert_eq!(
            lex("49990"),
            Some(Lexed {
                int: "49990",
                frac: ""
            })
        );
        assert_eq!(
            lex("10.5"),
            Some(Lexed {
                int: "10",
                frac: "5"
            })
        );
        assert_eq!(
            lex("007.50"),
            Some(Lexed {
                int: "7",
                frac: "50"
            })
        );
        assert_eq!(lex("0"), Some(Lexed { int: "", frac: "" }));
        assert_eq!(lex("0.0"), Some(Lexed { int: "", frac: "0" }));
    }

    #[test]
    fn lex_rejects_everything_else() {
        for s in [
            "", ".", "1.", ".5", "1..2", "1.2.3", "+1", "-1", " 1", "1 ", "1,000", "1e5", "١٢",
            "0x10", "1_000",
        ] {
            assert_eq!(lex(s), None, "{s:?}");
        }
    }

    #[test]
    fn push_digits_is_checked() {
        assert_eq!(push_digits(0, "123"), Some(123));
        assert_eq!(push_digits(12, "34"), Some(1234));
        assert_eq!(push_digits(0, &"9".repeat(39)), None);
        assert_eq!(push_digits(0, "1a"), None);
    }

    #[test]
    fn formats_fixed_and_trimmed() {
        assert_eq!(format_fixed(1050, 2), "10.50");
        assert_eq!(format_fixed(5, 2), "0.05");
        assert_eq!(format_fixed(49990, 0), "49990");
        assert_eq!(format_trimmed(7_125_000, 6), "7.125");
        assert_eq!(format_trimmed(19_000_000, 6), "19");
        assert_eq!(format_trimmed(0, 6), "0");
        assert_eq!(format_trimmed(11, 4), "0.0011");
    }
}
