//! The payer's way back to the merchant (CONTRACT §5): the `successUrl` or `failedUrl` with
//! `checkoutSessionId` and `status` added to its query, and the origin that the hosted page's
//! Content-Security-Policy must allow so a form whose answer redirects there is not blocked.

use crate::domain::status::SessionStatus;

/// `url` (already a checked `RedirectUrl`) with the session's id and status appended to the
/// query, before any fragment, keeping whatever query the merchant put there.
pub fn with_result(url: &str, session_id: &str, status: SessionStatus) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("checkoutSessionId", session_id)
        .append_pair("status", status.as_str())
        .finish();
    let joiner = match base.split_once('?') {
        None => "?",
        Some((_, q)) if q.is_empty() || q.ends_with('&') => "",
        Some(_) => "&",
    };
    let mut out = format!("{base}{joiner}{query}");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    ascii_only(&out)
}

/// Percent-encodes every non-ASCII byte, as browsers do before sending a URL, so the result
/// can be a `Location` header; a URL that was already ASCII is unchanged.
fn ascii_only(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `scheme://host[:port]` of an http(s) URL, lower-cased and without userinfo, as a CSP
/// source expression. `None` when the authority holds anything a host cannot (a `;` or `,`
/// would let a merchant's URL inject policy directives), so such a URL is simply not allowed.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if host_port.is_empty() || !host_port.chars().all(allowed) {
        return None;
    }
    Some(format!("{scheme}://{}", host_port.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_is_added_to_the_query_before_any_fragment() {
        let s = SessionStatus::Finished;
        assert_eq!(
            with_result("https://shop.example/ok", "id-1", s),
            "https://shop.example/ok?checkoutSessionId=id-1&status=FINISHED"
        );
        assert_eq!(
            with_result("https://shop.example/ok?order=7#top", "id-1", s),
            "https://shop.example/ok?order=7&checkoutSessionId=id-1&status=FINISHED#top"
        );
        assert_eq!(
            with_result("https://shop.example/ok?", "a b", SessionStatus::Failed),
            "https://shop.example/ok?checkoutSessionId=a+b&status=FAILED"
        );
        assert_eq!(
            with_result("https://shop.example/caf\u{e9}", "id-1", s),
            "https://shop.example/caf%C3%A9?checkoutSessionId=id-1&status=FINISHED"
        );
    }

    #[test]
    fn origins_drop_path_userinfo_and_case_and_refuse_odd_hosts() {
        assert_eq!(
            origin("HTTPS://Shop.Example:8443/ok?x=1").as_deref(),
            Some("https://shop.example:8443")
        );
        assert_eq!(
            origin("http://user@127.0.0.1:3000/cb").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(
            origin("https://[::1]:8443/").as_deref(),
            Some("https://[::1]:8443")
        );
        for bad in [
            "https://a.example;script-src/",
            "https://a,b/",
            "ftp://a/",
            "a",
            "https:///x",
        ] {
            assert_eq!(origin(bad), None, "{bad}");
        }
    }
}
