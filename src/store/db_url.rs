//! Database URLs: which backend a URL names, and the URL as it may be shown (never with its
//! password) in logs, errors and `Debug` output.

/// The backends a database URL can name, by scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Option<Backend> {
        let scheme = url.split_once(':')?.0.to_ascii_lowercase();
        match scheme.as_str() {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }
}

/// The password of `postgres://user:password@host/…` or of a `password=` query parameter.
pub fn password(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let from_userinfo = authority
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, pw)| pw.to_string());
    from_userinfo
        .or_else(|| {
            let query = rest.split_once('?')?.1;
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix("password="))
                .map(str::to_string)
        })
        .filter(|pw| !pw.is_empty())
}

/// `url` with its password replaced by `***`.
pub fn redact(url: &str) -> String {
    scrub(url, password(url).as_deref())
}

/// `text` (an error message, say) with every occurrence of `secret` replaced by `***`.
pub fn scrub(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if !s.is_empty() => text.replace(s, "***"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_names_the_backend() {
        assert_eq!(Backend::of("sqlite://kassa.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(Backend::of("postgres://h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::of("postgresql://h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::of("mysql://h/db"), None);
        assert_eq!(Backend::of("kassa.db"), None);
    }

    #[test]
    fn a_password_is_never_shown() {
        assert_eq!(
            redact("postgres://kassa:s3cr%40t@db.internal:5432/kassa"),
            "postgres://kassa:***@db.internal:5432/kassa"
        );
        assert_eq!(
            redact("postgresql://db/kassa?user=k&password=hunter2&sslmode=require"),
            "postgresql://db/kassa?user=k&password=***&sslmode=require"
        );
        assert_eq!(
            redact("postgres://kassa@db/kassa"),
            "postgres://kassa@db/kassa"
        );
        assert_eq!(redact("sqlite://kassa.db"), "sqlite://kassa.db");
        assert_eq!(
            scrub("bad password hunter2", Some("hunter2")),
            "bad password ***"
        );
    }
}
