//! Helpers shared by the hosted page's tests: a client that does not follow redirects (so each
//! 303 of the no-JavaScript flow is checked), and readers for what a page contains.
#![allow(dead_code)]

pub mod webdriver;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::common::{Api, TestApp};

/// One answer of the page: status, headers, body text and, for a redirect, where to.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn location(&self) -> &str {
        self.header("location")
    }

    /// The CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        value_after(&self.body, r#"name="csrf" value=""#)
    }

    #[track_caller]
    pub fn assert_contains(&self, needle: &str) {
        assert!(
            self.body.contains(needle),
            "the page ({}) should contain {needle:?}:\n{}",
            self.status,
            self.body
        );
    }
}

/// The text between `marker` and the next `"`.
pub fn value_after(html: &str, marker: &str) -> String {
    html.split_once(marker)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(v, _)| v.to_string())
        .unwrap_or_default()
}

/// A browser without JavaScript, that does not follow redirects.
pub struct Browserless {
    pub base: String,
    http: reqwest::Client,
}

impl Browserless {
    pub fn new(app: &TestApp) -> Browserless {
        Browserless {
            base: app.base.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    async fn read(resp: reqwest::Response) -> Page {
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.text().await.unwrap_or_default();
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self.http.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::read(req.send().await.expect("GET sent")).await
    }

    /// A plain HTML form post.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST sent");
        Self::read(resp).await
    }
}

/// The page's path (`/c/{publicToken}`) from a session's `url` (`http://pay.test/c/…`).
pub fn page_path(session: &Value) -> String {
    let url = session["url"].as_str().expect("the session has a url");
    let at = url.find("/c/").expect("a hosted page url");
    url[at..].to_string()
}

/// Creates a session from `body` and returns it with its page path.
pub async fn session_with_page(api: &Api, body: &Value) -> (Value, String) {
    let session = api.create_session(body).await;
    let path = page_path(&session);
    (session, path)
}

/// A card form that the sandbox captures.
pub const CARD_FIELDS: [(&str, &str); 3] = [
    ("pan", "4242 4242 4242 4242"),
    ("holder", "Ana Pérez"),
    ("expiry", "12/34"),
];

/// Opens the page, chooses `method` and returns the payment form.
pub async fn open_form(b: &Browserless, path: &str, method: &str) -> Page {
    let page = b.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let chose = b
        .post(
            &format!("{path}/choose"),
            &[("csrf", &page.csrf()), ("m", method)],
        )
        .await;
    assert_eq!(chose.status, StatusCode::SEE_OTHER, "{}", chose.body);
    assert_eq!(chose.location(), format!("{path}/pay?m={method}"));
    let form = b.get(chose.location()).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    form
}

/// Posts the payment form with `fields` and follows the 303 to the result.
pub async fn pay(
    b: &Browserless,
    path: &str,
    form: &Page,
    method: &str,
    fields: &[(&str, &str)],
) -> Page {
    let csrf = form.csrf();
    let mut all = vec![("csrf", csrf.as_str()), ("m", method)];
    all.extend_from_slice(fields);
    let paid = b.post(&format!("{path}/pay"), &all).await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
    assert_eq!(paid.location(), format!("{path}/result"));
    b.get(paid.location()).await
}
