//! How amounts, rates and times read on the page in each language: `49.990 CLP` in Spanish and
//! Portuguese, `49,990 CLP` in English; times in UTC, because the server cannot know the
//! payer's zone without script.

use time::OffsetDateTime;

use crate::checkout_page::i18n::{Lang, T};
use crate::domain::time::Timestamp;

/// A canonical decimal string (`"49990"`, `"275.00"`, `"0.0055"`) with the language's
/// thousands and decimal separators. Anything else is shown as it came, never mangled.
pub fn decimal(canonical: &str, lang: Lang) -> String {
    let (int, frac) = match canonical.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (canonical, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return canonical.to_string();
    }
    let (group, point) = match lang {
        Lang::En => (',', '.'),
        Lang::Es | Lang::Pt => ('.', ','),
    };
    let mut out = String::with_capacity(canonical.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// `49.990 CLP`: the code rather than a symbol, since `$` alone is ambiguous across the
/// region's pesos and dollars.
pub fn money(canonical: &str, currency: &str, lang: Lang) -> String {
    format!("{} {currency}", decimal(canonical, lang))
}

/// `HH:MM` in UTC.
pub fn clock_utc(at: Timestamp) -> String {
    let nanos = i128::from(at.millis()) * 1_000_000;
    match OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(dt) => format!("{:02}:{:02}", dt.hour(), dt.minute()),
        Err(_) => String::from("--:--"),
    }
}

/// Whole seconds from `now` until `expires_at`, never negative.
pub fn seconds_left(expires_at: Timestamp, now: Timestamp) -> i64 {
    (expires_at.millis() - now.millis()).max(0) / 1000
}

/// "Expires at 14:05 UTC" and "15 minutes left". Minutes round up, so a page never claims less
/// time than there is, and the last minute says "less than a minute".
pub fn time_left_parts(t: T, expires_at: Timestamp, now: Timestamp) -> (String, String) {
    let secs = seconds_left(expires_at, now);
    let at = t.fmt("expires_at", &[("time", &clock_utc(expires_at))]);
    let minutes = (secs + 59) / 60;
    let left = match (secs, minutes) {
        (0..60, _) => t.get("less_than_a_minute_left").to_string(),
        (_, 1) => t.get("one_minute_left").to_string(),
        _ => t.fmt("minutes_left", &[("n", &minutes.to_string())]),
    };
    (at, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_follow_the_language() {
        assert_eq!(decimal("49990", Lang::Es), "49.990");
        assert_eq!(decimal("49990", Lang::En), "49,990");
        assert_eq!(decimal("1234567.50", Lang::Pt), "1.234.567,50");
        assert_eq!(decimal("1234567.50", Lang::En), "1,234,567.50");
        assert_eq!(decimal("999", Lang::Es), "999");
        assert_eq!(decimal("0.0055", Lang::Es), "0,0055");
        assert_eq!(money("275.00", "BRL", Lang::En), "275.00 BRL");
        assert_eq!(decimal("oops", Lang::Es), "oops");
    }

    fn time_left(t: T, expires_at: Timestamp, now: Timestamp) -> String {
        let (at, left) = time_left_parts(t, expires_at, now);
        format!("{at} · {left}")
    }

    #[test]
    fn times_read_in_utc_and_minutes_round_up() {
        let at = Timestamp::from_millis(1_744_718_700_000); // 2025-04-15T12:05:00Z
        assert_eq!(clock_utc(at), "12:05");
        let t = T::new(Lang::En);
        let now = at.plus_seconds(-900);
        assert_eq!(
            time_left(t, at, now),
            "Expires at 12:05 UTC · 15 minutes left"
        );
        assert_eq!(
            time_left(t, at, now.plus_seconds(1)),
            "Expires at 12:05 UTC · 15 minutes left"
        );
        assert_eq!(
            time_left(t, at, at.plus_seconds(-61)),
            "Expires at 12:05 UTC · 2 minutes left"
        );
        assert_eq!(
            time_left(t, at, at.plus_seconds(-60)),
            "Expires at 12:05 UTC · 1 minute left"
        );
        assert_eq!(
            time_left(T::new(Lang::Es), at, at.plus_seconds(-5)),
            "Expira a las 12:05 UTC · queda menos de un minuto"
        );
        assert_eq!(seconds_left(at, at.plus_seconds(5)), 0);
    }
}
