//! `successUrl` / `failedUrl`: absolute http(s) URLs the payer is sent to (CONTRACT §5).
//!
//! A full URL parser (the `url` crate) would pull in IDNA tables for one check; the rule we
//! need is narrow, so it is written out here and tested.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectUrl(String);

pub const MAX_LEN: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectUrlError {
    #[error("must be an absolute http or https URL such as \"https://shop.example/thanks\"")]
    NotAbsoluteHttp,
    #[error("must name a host after the scheme, as in \"https://shop.example/thanks\"")]
    NoHost,
    #[error("must not contain spaces, control characters or backslashes")]
    BadCharacter,
    #[error("is longer than {MAX_LEN} characters")]
    TooLong,
}

impl RedirectUrl {
    pub fn parse(s: &str) -> Result<RedirectUrl, RedirectUrlError> {
        if s.len() > MAX_LEN {
            return Err(RedirectUrlError::TooLong);
        }
        let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            &s[8..]
        } else if lower.starts_with("http://") {
            &s[7..]
        } else {
            return Err(RedirectUrlError::NotAbsoluteHttp);
        };
        if s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        {
            return Err(RedirectUrlError::BadCharacter);
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        // Userinfo ("user:pass@") is dropped before looking at the host.
        let host_port = authority.rsplit('@').next().unwrap_or("");
        let host = if host_port.starts_with('[') {
            host_port
                .split(']')
                .next()
                .map(|h| h.trim_start_matches('['))
        } else {
            host_port.split(':').next()
        };
        match host {
            Some(h) if !h.is_empty() => Ok(RedirectUrl(s.to_owned())),
            _ => Err(RedirectUrlError::NoHost),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RedirectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_absolute_http_and_https_urls() {
        for ok in [
            "https://shop.example/thanks",
            "http://localhost:3000/cb?x=1",
            "HTTPS://SHOP.EXAMPLE",
            "https://[::1]:8443/ok",
            "https://user@shop.example/",
        ] {
            assert!(RedirectUrl::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_relative_foreign_scheme_hostless_and_spaced_urls() {
        use RedirectUrlError::*;
        let cases = [
            ("/thanks", NotAbsoluteHttp),
            ("string", NotAbsoluteHttp),
            ("javascript:alert(1)", NotAbsoluteHttp),
            ("ftp://shop.example", NotAbsoluteHttp),
            ("https://", NoHost),
            ("https:///path", NoHost),
            ("https://:80/", NoHost),
            ("https://shop.example/a b", BadCharacter),
            ("https://shop.example\\@evil", BadCharacter),
        ];
        for (input, want) in cases {
            assert_eq!(RedirectUrl::parse(input), Err(want), "{input}");
        }
        let long = format!("https://a.example/{}", "x".repeat(MAX_LEN));
        assert_eq!(RedirectUrl::parse(&long), Err(TooLong));
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "(https?://)?.{0,40}") {
            let _ = RedirectUrl::parse(&s);
        }
    }
}
