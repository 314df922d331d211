//! A card's expiry date as a payer types it (`MM/YY`), checked against the current month: the
//! hosted page asks for it, and a card that expired before this month cannot pay.

use time::OffsetDateTime;

use crate::domain::time::Timestamp;

/// Cards are issued for a few years; a date further out than this is a typo, not a card.
const MAX_YEARS_AHEAD: i32 = 20;

/// A month and year the card is valid through (inclusive: a card expiring 04/30 works all of
/// April 2030).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardExpiry {
    month: u8,
    year: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardExpiryError {
    #[error("must be a month and year such as 04/30")]
    Malformed,
    #[error("is in the past: the card has expired")]
    Expired,
}

impl CardExpiry {
    /// Accepts `MM/YY`, `MM/YYYY`, `MM-YY` and `MMYY`, with spaces anywhere.
    pub fn parse(raw: &str, now: Timestamp) -> Result<CardExpiry, CardExpiryError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let (m, y) = match compact.split_once(['/', '-']) {
            Some(parts) => parts,
            None if compact.len() == 4 => compact.split_at(2),
            None => return Err(CardExpiryError::Malformed),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(m) && digits(y)) || m.len() > 2 || !(y.len() == 2 || y.len() == 4) {
            return Err(CardExpiryError::Malformed);
        }
        let month: u8 = m.parse().map_err(|_| CardExpiryError::Malformed)?;
        let mut year: i32 = y.parse().map_err(|_| CardExpiryError::Malformed)?;
        if y.len() == 2 {
            year += 2000;
        }
        if !(1..=12).contains(&month) {
            return Err(CardExpiryError::Malformed);
        }
        let (this_year, this_month) = year_month(now);
        if (year, month) < (this_year, this_month) {
            return Err(CardExpiryError::Expired);
        }
        if year > this_year + MAX_YEARS_AHEAD {
            return Err(CardExpiryError::Malformed);
        }
        Ok(CardExpiry { month, year })
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn year(self) -> i32 {
        self.year
    }
}

fn year_month(now: Timestamp) -> (i32, u8) {
    let nanos = i128::from(now.millis()) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map(|dt| (dt.year(), u8::from(dt.month())))
        .unwrap_or((1970, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2025-04-15T12:00:00Z.
    const NOW: Timestamp = Timestamp::from_millis(1_744_718_400_000);

    #[test]
    fn common_spellings_parse() {
        for raw in ["04/30", "4/30", "04/2030", "04-30", "0430", " 04 / 30 "] {
            let e = CardExpiry::parse(raw, NOW).expect(raw);
            assert_eq!((e.month(), e.year()), (4, 2030), "{raw}");
        }
    }

    #[test]
    fn the_current_month_is_still_valid_and_the_last_one_is_not() {
        assert!(CardExpiry::parse("04/25", NOW).is_ok());
        assert_eq!(
            CardExpiry::parse("03/25", NOW),
            Err(CardExpiryError::Expired)
        );
        assert_eq!(
            CardExpiry::parse("12/24", NOW),
            Err(CardExpiryError::Expired)
        );
    }

    #[test]
    fn nonsense_is_malformed() {
        for raw in [
            "", "13/30", "00/30", "4/3", "04/300", "ab/cd", "04/30/1", "12345", "04/99",
        ] {
            assert_eq!(
                CardExpiry::parse(raw, NOW),
                Err(CardExpiryError::Malformed),
                "{raw:?}"
            );
        }
    }
}
