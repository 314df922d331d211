//! `GET /payment-links` filters and paging, as upstream's `get-payment-links` defines them.
//!
//! Every filter is "comma separated" upstream, so each takes one value or several (any one
//! matches); different filters must all match. Unknown parameters are ignored, as for the
//! session list (upstream's `next` cursor among them: `offset` already pages); a known one
//! with a bad value is a 400 naming it. The order is fixed: newest first, ties by id.

use crate::domain::list_query;
use crate::domain::payment_link::{LinkStatus, email_key};
use crate::domain::session_input::FieldError;

pub const DEFAULT_LIMIT: u32 = 50;
/// Upstream's maximum; 0 is allowed and answers only the pagination block.
pub const MAX_LIMIT: u32 = 50;
/// Values per filter: enough for any screen of links, and it bounds the SQL a request builds.
pub const MAX_VALUES: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkQuery {
    /// Each list empty means "any".
    pub ids: Vec<String>,
    pub statuses: Vec<LinkStatus>,
    pub account_numbers: Vec<String>,
    /// Already folded by `email_key`.
    pub customer_emails: Vec<String>,
    pub owner_identity_ids: Vec<String>,
    pub limit: u32,
    pub offset: u64,
}

impl Default for LinkQuery {
    fn default() -> Self {
        LinkQuery {
            ids: Vec::new(),
            statuses: Vec::new(),
            account_numbers: Vec::new(),
            customer_emails: Vec::new(),
            owner_identity_ids: Vec::new(),
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

impl LinkQuery {
    /// Reads decoded `(name, value)` pairs; a repeated parameter keeps its last value, as the
    /// session list does.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<LinkQuery, FieldError> {
        let mut q = LinkQuery::default();
        for (name, value) in pairs {
            match name {
                "id" => q.ids = values(name, value)?,
                "status" => {
                    q.statuses = Vec::new();
                    for part in values(name, value)? {
                        let st = LinkStatus::parse(&part).map_err(|e| {
                            FieldError::invalid(name, format_args!("value {part:?} {e}"))
                        })?;
                        if !q.statuses.contains(&st) {
                            q.statuses.push(st);
                        }
                    }
                }
                "destination.accountNumber" => q.account_numbers = values(name, value)?,
                "customer.email" => {
                    q.customer_emails = values(name, value)?.iter().map(|e| email_key(e)).collect();
                }
                "owner.identityId" => q.owner_identity_ids = values(name, value)?,
                "limit" => q.limit = limit(value)?,
                "offset" => q.offset = list_query::offset(value)?,
                _ => {}
            }
        }
        Ok(q)
    }
}

/// The comma-separated values of one filter, trimmed and deduplicated, none empty.
fn values(name: &str, value: &str) -> Result<Vec<String>, FieldError> {
    if value.split(',').count() > MAX_VALUES {
        return Err(FieldError::invalid(
            name,
            format_args!("takes at most {MAX_VALUES} comma-separated values"),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for part in value.split(',').map(str::trim) {
        if part.is_empty() {
            return Err(FieldError::invalid(
                name,
                "must be one value or several separated by commas, none of them empty",
            ));
        }
        if !out.iter().any(|v| v == part) {
            out.push(part.to_owned());
        }
    }
    Ok(out)
}

fn limit(value: &str) -> Result<u32, FieldError> {
    match value.parse::<u32>() {
        Ok(n) if n <= MAX_LIMIT && value.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(FieldError::invalid(
            "limit",
            format_args!("must be a whole number from 0 to {MAX_LIMIT}, got {value:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<LinkQuery, FieldError> {
        LinkQuery::parse(pairs.iter().copied())
    }

    #[test]
    fn defaults_are_fifty_from_the_start() {
        assert_eq!(parse(&[]), Ok(LinkQuery::default()));
        assert_eq!((DEFAULT_LIMIT, LinkQuery::default().offset), (50, 0));
    }

    #[test]
    fn reads_every_filter_with_comma_separated_values() {
        let q = parse(&[
            ("id", "a,b"),
            ("status", "ATTEMPT, EXPIRED,ATTEMPT"),
            ("destination.accountNumber", "100200300"),
            ("customer.email", "Ana@Shop.CL,bo@shop.cl"),
            ("owner.identityId", "m-1"),
            ("limit", "0"),
            ("offset", "20"),
            ("next", "whatever"),
        ])
        .expect("valid query");
        assert_eq!(q.ids, ["a", "b"]);
        assert_eq!(q.statuses, [LinkStatus::Attempt, LinkStatus::Expired]);
        assert_eq!(q.account_numbers, ["100200300"]);
        assert_eq!(q.customer_emails, ["ana@shop.cl", "bo@shop.cl"]);
        assert_eq!(q.owner_identity_ids, ["m-1"]);
        assert_eq!((q.limit, q.offset), (0, 20));
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let too_many = vec!["x"; MAX_VALUES + 1].join(",");
        let cases: &[(&str, &str)] = &[
            ("limit", "51"),
            ("limit", "-1"),
            ("limit", "+5"),
            ("limit", ""),
            ("offset", "-1"),
            ("offset", "ten"),
            ("status", "FAILED"),
            ("status", "ACTIVE,"),
            ("id", ""),
            ("id", &too_many),
            ("destination.accountNumber", ","),
            ("customer.email", " "),
            ("owner.identityId", ""),
        ];
        for (name, value) in cases {
            let err = parse(&[(name, value)]).expect_err(value);
            assert_eq!(&err.path, name, "{name}={value}");
        }
    }

    #[test]
    fn the_limit_runs_from_zero_to_fifty() {
        assert_eq!(parse(&[("limit", "50")]).map(|q| q.limit), Ok(50));
        assert_eq!(parse(&[("limit", "0")]).map(|q| q.limit), Ok(0));
    }
}
