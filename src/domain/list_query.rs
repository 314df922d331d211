//! `GET /checkout-sessions` filters, sort and pagination (CONTRACT §7).

use serde::Serialize;

use crate::domain::session_input::FieldError;
use crate::domain::status::SessionStatus;
use crate::domain::time::{MILLIS_PER_DAY, Timestamp, parse_day};

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 100;
/// Far beyond any real page, small enough that `offset + limit` cannot overflow anywhere.
pub const MAX_OFFSET: u64 = 1_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    CreatedAt,
    ExpiresAt,
    TotalAmount,
    Status,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionQuery {
    pub identity_id: Option<String>,
    pub account_number: Option<String>,
    /// Empty means every status.
    pub statuses: Vec<SessionStatus>,
    /// Inclusive lower bound on `createdAt`.
    pub created_from: Option<Timestamp>,
    /// Exclusive upper bound on `createdAt` (the day after `endDate`).
    pub created_before: Option<Timestamp>,
    pub sort: SortField,
    pub descending: bool,
    pub limit: u32,
    pub offset: u64,
}

impl Default for SessionQuery {
    fn default() -> Self {
        SessionQuery {
            identity_id: None,
            account_number: None,
            statuses: Vec::new(),
            created_from: None,
            created_before: None,
            sort: SortField::CreatedAt,
            descending: true,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

impl SessionQuery {
    /// Reads decoded `(name, value)` pairs. Unknown parameters are ignored, as upstream does;
    /// a known one with a bad value is a 400 naming it.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<SessionQuery, FieldError> {
        let mut q = SessionQuery::default();
        let mut end_day = None;
        for (name, value) in pairs {
            match name {
                "identityId" => q.identity_id = non_empty(name, value)?,
                "accountNumber" => q.account_number = non_empty(name, value)?,
                "status" => q.statuses = statuses(value)?,
                "startDate" => q.created_from = Some(day(name, value)?),
                "endDate" => end_day = Some(day(name, value)?),
                "sort" => (q.sort, q.descending) = sort(value)?,
                "limit" => q.limit = limit(value)?,
                "offset" => q.offset = offset(value)?,
                _ => {}
            }
        }
        if let Some(end) = end_day {
            if q.created_from.is_some_and(|start| start > end) {
                return Err(FieldError::invalid(
                    "endDate",
                    "must not be before startDate",
                ));
            }
            q.created_before = Some(end.plus_millis(MILLIS_PER_DAY));
        }
        Ok(q)
    }
}

fn non_empty(name: &str, value: &str) -> Result<Option<String>, FieldError> {
    if value.is_empty() {
        return Err(FieldError::invalid(name, "must not be empty"));
    }
    Ok(Some(value.to_owned()))
}

fn statuses(value: &str) -> Result<Vec<SessionStatus>, FieldError> {
    let mut out = Vec::new();
    for part in value.split(',') {
        let st = SessionStatus::parse(part.trim())
            .map_err(|e| FieldError::invalid("status", format_args!("value {part:?} {e}")))?;
        if !out.contains(&st) {
            out.push(st);
        }
    }
    Ok(out)
}

fn day(name: &str, value: &str) -> Result<Timestamp, FieldError> {
    parse_day(value).ok_or_else(|| {
        FieldError::invalid(
            name,
            format_args!("must be a date as dd/mm/yyyy such as 01/04/2025, got {value:?}"),
        )
    })
}

fn sort(value: &str) -> Result<(SortField, bool), FieldError> {
    let bad = || {
        FieldError::invalid(
            "sort",
            format_args!(
                "must be field:asc or field:desc with field one of createdAt, expiresAt, \
                 totalAmount, status; got {value:?}"
            ),
        )
    };
    let (field, dir) = value.split_once(':').ok_or_else(bad)?;
    let field = match field {
        "createdAt" => SortField::CreatedAt,
        "expiresAt" => SortField::ExpiresAt,
        "totalAmount" => SortField::TotalAmount,
        "status" => SortField::Status,
        _ => return Err(bad()),
    };
    let descending = match dir {
        "asc" => false,
        "desc" => true,
        _ => return Err(bad()),
    };
    Ok((field, descending))
}

/// Shared with every list: 1 to 100, digits only.
pub(crate) fn limit(value: &str) -> Result<u32, FieldError> {
    match value.parse::<u32>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) && value.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(FieldError::invalid(
            "limit",
            format_args!("must be a whole number from 1 to {MAX_LIMIT}, got {value:?}"),
        )),
    }
}

/// Shared with every list, whose `offset` means the same.
pub(crate) fn offset(value: &str) -> Result<u64, FieldError> {
    match value.parse::<u64>() {
        Ok(n) if n <= MAX_OFFSET && value.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(FieldError::invalid(
            "offset",
            format_args!("must be a whole number from 0 to {MAX_OFFSET}, got {value:?}"),
        )),
    }
}

/// `pagination-cursor`, computed as CONTRACT §7 defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pagination {
    pub count: u64,
    pub next: u64,
    pub previous: u64,
    pub total: u64,
}

impl Pagination {
    pub fn new(offset: u64, limit: u32, total: u64, page_len: usize) -> Pagination {
        let limit = u64::from(limit);
        Pagination {
            count: offset + page_len as u64,
            next: (offset + limit).min(total),
            previous: offset.saturating_sub(limit),
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<SessionQuery, FieldError> {
        SessionQuery::parse(pairs.iter().copied())
    }

    #[test]
    fn defaults_are_newest_first_fifty_per_page() {
        let q = parse(&[]).unwrap_or_default();
        assert_eq!(
            (q.sort, q.descending, q.limit, q.offset),
            (SortField::CreatedAt, true, 50, 0)
        );
    }

    #[test]
    fn reads_every_filter() {
        let q = parse(&[
            ("status", "ATTEMPT,EXPIRED"),
            ("startDate", "01/04/2025"),
            ("endDate", "02/04/2025"),
            ("sort", "totalAmount:asc"),
            ("limit", "100"),
            ("offset", "7"),
            ("identityId", "id-1"),
            ("accountNumber", "123"),
        ]);
        let q = q.expect("valid query");
        assert_eq!(
            q.statuses,
            vec![SessionStatus::Attempt, SessionStatus::Expired]
        );
        assert_eq!(
            q.created_from,
            Some(Timestamp::from_millis(1_743_465_600_000))
        );
        // endDate is inclusive: the bound is the start of the following day.
        assert_eq!(
            q.created_before,
            Some(Timestamp::from_millis(1_743_638_400_000))
        );
        assert_eq!((q.sort, q.descending), (SortField::TotalAmount, false));
        assert_eq!((q.limit, q.offset), (100, 7));
        assert_eq!(q.identity_id.as_deref(), Some("id-1"));
        assert_eq!(q.account_number.as_deref(), Some("123"));
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let cases: &[(&str, &str)] = &[
            ("limit", "0"),
            ("limit", "101"),
            ("limit", "+5"),
            ("offset", "-1"),
            ("sort", "amount:asc"),
            ("sort", "createdAt"),
            ("sort", "createdAt:up"),
            ("status", "DONE"),
            ("startDate", "2025-04-01"),
            ("endDate", "32/01/2025"),
            ("identityId", ""),
        ];
        for (name, value) in cases {
            let err = parse(&[(name, value)]).expect_err(value);
            assert_eq!(&err.path, name, "{name}={value}");
        }
        let err = parse(&[("startDate", "02/04/2025"), ("endDate", "01/04/2025")]);
        assert_eq!(err.map_err(|e| e.path), Err("endDate".to_string()));
    }

    #[test]
    fn pagination_follows_the_contract() {
        assert_eq!(
            Pagination::new(0, 50, 120, 50),
            Pagination {
                count: 50,
                next: 50,
                previous: 0,
                total: 120
            }
        );
        assert_eq!(
            Pagination::new(100, 50, 120, 20),
            Pagination {
                count: 120,
                next: 120,
                previous: 50,
                total: 120
            }
        );
        assert_eq!(
            Pagination::new(200, 50, 120, 0),
            Pagination {
                count: 200,
                next: 120,
                previous: 150,
                total: 120
            }
        );
    }
}
