//! The page's answers: HTML with the security headers every page response carries, and 303s.
//!
//! The policy forbids everything but the page's own styles, script and images, so injected
//! markup could not run or load anything even if escaping ever failed. `form-action` names the
//! merchant's return origins as well: browsers check it on every redirect a form submission
//! leads to, and paying ends in a 303 to the merchant's `successUrl` or `failedUrl`.

use axum::body::Body;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::domain::return_url;
use crate::domain::session::SessionRecord;

/// The policy of a page without forms that leave the page's origin.
pub const BASE_CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
    img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of a session's pages: the base one, with the merchant's return origins added to
/// `form-action` so the final redirect to them is allowed.
pub fn csp_for(session: &SessionRecord) -> String {
    let mut origins: Vec<String> = [&session.success_url, &session.failed_url]
        .into_iter()
        .flatten()
        .filter_map(|u| return_url::origin(u))
        .collect();
    origins.dedup();
    if origins.is_empty() {
        return BASE_CSP.to_string();
    }
    BASE_CSP.replace(
        "form-action 'self'",
        &format!("form-action 'self' {}", origins.join(" ")),
    )
}

/// An HTML page with its policy; the other security headers are added by [`secure`].
pub fn html(status: StatusCode, body: String, csp: &str) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(csp) {
        headers.insert(CONTENT_SECURITY_POLICY, v);
    }
    response
}

/// A 303 to `location`, or `None` when it cannot be a header value (a merchant URL with
/// characters a header cannot carry), so the caller shows a page instead of failing.
pub fn see_other(location: &str) -> Option<Response> {
    let value = HeaderValue::from_str(location).ok()?;
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SEE_OTHER;
    response.headers_mut().insert(LOCATION, value);
    Some(response)
}

/// A 303 within the page; page paths are built from the public token and fixed words, so
/// they are always valid header values.
pub fn redirect(location: &str) -> Response {
    see_other(location).unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Added to every response of the page (pages, redirects, assets and errors alike); a header
/// a handler already set (an asset's long cache, a page's own policy) is kept.
pub async fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let defaults = [
        (CONTENT_SECURITY_POLICY, BASE_CSP),
        (X_FRAME_OPTIONS, "DENY"),
        (REFERRER_POLICY, "no-referrer"),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_policy_allows_nothing_inline() {
        assert!(!BASE_CSP.contains("unsafe"));
        for directive in [
            "default-src 'none'",
            "style-src 'self'",
            "script-src 'self'",
            "img-src 'self' data:",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(BASE_CSP.contains(directive), "{directive}");
        }
        assert!(HeaderValue::from_str(BASE_CSP).is_ok());
    }

    #[test]
    fn merchant_urls_that_cannot_be_headers_give_no_redirect() {
        assert!(see_other("https://shop.example/ok?x=1").is_some());
        assert!(see_other("https://shop.example/\nx").is_none());
    }
}
