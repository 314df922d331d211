//! Instants as whole milliseconds since the Unix epoch (UTC): exact, portable across SQLite and
//! PostgreSQL as a plain integer, and formatted as RFC 3339 on the wire.

use std::fmt;

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

pub const MILLIS_PER_DAY: i64 = 86_400_000;

impl Timestamp {
    pub const fn from_millis(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    pub const fn millis(self) -> i64 {
        self.0
    }

    pub fn plus_seconds(self, secs: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(secs.saturating_mul(1000)))
    }

    pub fn plus_millis(self, ms: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(ms))
    }

    /// Whole seconds since the epoch, for JWT claims and webhook timestamps.
    pub fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// `2025-04-01T12:00:00.000Z`: always UTC and always with milliseconds, so that strings
    /// sort like the instants they name.
    pub fn to_rfc3339(self) -> String {
        let nanos = i128::from(self.0) * 1_000_000;
        match OffsetDateTime::from_unix_timestamp_nanos(nanos) {
            Ok(dt) => {
                let (y, mo, d) = (dt.year(), u8::from(dt.month()), dt.day());
                let (h, mi, s) = (dt.hour(), dt.minute(), dt.second());
                let ms = dt.millisecond();
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
            }
            Err(_) => String::from("invalid-time"),
        }
    }

    pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
        let dt = OffsetDateTime::parse(s, &Rfc3339).ok()?;
        i64::try_from(dt.unix_timestamp_nanos() / 1_000_000)
            .ok()
            .map(Timestamp)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// Parses the list filters' `dd/mm/yyyy` and returns the start of that UTC day.
pub fn parse_day(s: &str) -> Option<Timestamp> {
    let mut parts = s.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || d.len() != 2 || m.len() != 2 || y.len() != 4 {
        return None;
    }
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(d) && all_digits(m) && all_digits(y)) {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let date = Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()?;
    let secs = date.midnight().assume_utc().unix_timestamp();
    Some(Timestamp(secs * 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_with_milliseconds() {
        assert_eq!(
            Timestamp::from_millis(0).to_rfc3339(),
            "1970-01-01T00:00:00.000Z"
        );
        assert_eq!(
            Timestamp::from_millis(1_743_508_800_123).to_rfc3339(),
            "2025-04-01T12:00:00.123Z"
        );
    }

    #[test]
    fn rfc3339_round_trips() {
        let t = Timestamp::from_millis(1_743_508_800_123);
        assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()), Some(t));
    }

    #[test]
    fn days_parse_as_utc_midnight_and_reject_impossible_dates() {
        assert_eq!(
            parse_day("01/04/2025"),
            Some(Timestamp::from_millis(1_743_465_600_000))
        );
        for bad in [
            "1/4/2025",
            "31/02/2025",
            "01-04-2025",
            "aa/bb/cccc",
            "",
            "01/04/2025/1",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
