//! What the templates receive: the request's language (`Visit`), the frame every page shares,
//! and one struct per template. Built by `pages.rs`; askama escapes every value it prints.

use std::convert::Infallible;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;

use crate::checkout_page::assets;
use crate::checkout_page::i18n::{Lang, T};

/// The language of this request, and whether the payer pinned it with `?lang=`; plus the
/// query, for the few parameters the page reads (`m`).
pub struct Visit {
    pub lang: Lang,
    pub pinned: Option<Lang>,
    query: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for Visit {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Visit, Infallible> {
        let query: Vec<(String, String)> = parts
            .uri
            .query()
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let accept = parts
            .headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        Ok(Visit::new(query, accept))
    }
}

impl Visit {
    fn new(query: Vec<(String, String)>, accept_language: Option<&str>) -> Visit {
        let pinned = query
            .iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::parse(v));
        Visit {
            lang: pinned.unwrap_or_else(|| Lang::negotiate(accept_language)),
            pinned,
            query,
        }
    }

    pub fn t(&self) -> T {
        T::new(self.lang)
    }

    /// A query parameter of this request.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A link to `path` with `pairs` and, when the payer pinned one, the language, so the
    /// choice survives every step of the flow.
    pub fn link(&self, path: &str, pairs: &[(&str, &str)]) -> String {
        link_with(path, pairs, self.pinned)
    }
}

fn link_with(path: &str, pairs: &[(&str, &str)], lang: Option<Lang>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    if let Some(l) = lang {
        query.append_pair("lang", l.code());
    }
    let query = query.finish();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// One entry of the language switcher.
pub struct LangLink {
    pub code: &'static str,
    pub short: String,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What every page shows around its content.
pub struct Frame {
    pub t: T,
    pub lang: &'static str,
    pub title: String,
    pub merchant: String,
    pub sandbox: bool,
    pub css: String,
    pub js: String,
    pub logo: String,
    pub languages: Vec<LangLink>,
    /// Seconds until the browser reloads by itself (a payment still processing); 0 = never.
    pub refresh_secs: u32,
}

impl Frame {
    /// A frame whose language switcher is still empty (see [`Frame::switching_at`]).
    pub fn new(visit: &Visit, title: String, merchant: String, sandbox: bool) -> Frame {
        Frame {
            t: visit.t(),
            lang: visit.lang.code(),
            title,
            merchant,
            sandbox,
            css: assets::href("checkout.css"),
            js: assets::href("checkout.js"),
            logo: assets::href("logo.svg"),
            languages: Vec::new(),
            refresh_secs: 0,
        }
    }

    /// Points the language switcher at `path` with `pairs`.
    pub fn switching_at(mut self, visit: &Visit, path: &str, pairs: &[(&str, &str)]) -> Frame {
        self.languages = Lang::ALL
            .into_iter()
            .map(|l| LangLink {
                code: l.code(),
                short: l.code().to_uppercase(),
                name: l.name(),
                href: link_with(path, pairs, Some(l)),
                current: l == visit.lang,
            })
            .collect();
        self
    }
}

pub struct TaxLine {
    pub label: String,
    pub amount: String,
}

pub struct ItemRow {
    pub description: String,
    pub amount: String,
    pub tax: Option<TaxLine>,
}

/// The merchant's order: items, their taxes and the totals, in the session currency.
pub struct Summary {
    pub items: Vec<ItemRow>,
    pub subtotal: String,
    pub taxes: Option<String>,
    pub total: String,
}

/// "Expires at 14:05 UTC · 15 minutes left"; the script turns the second half into a live
/// `m:ss` with `live` as its template, and leaves for `expired_href` at zero.
pub struct Countdown {
    pub at: String,
    pub left: String,
    pub seconds: i64,
    pub live: String,
    pub expired_href: String,
}

pub struct MethodOption {
    /// The method config's id, e.g. `CARD-CLP`: what the form posts.
    pub id: String,
    pub input_id: String,
    pub label: String,
    pub note: Option<String>,
    pub enabled: bool,
    pub checked: bool,
}

/// The methods payable in one currency.
pub struct CurrencyGroup {
    pub legend: String,
    pub note: Option<String>,
    pub options: Vec<MethodOption>,
}

#[derive(Template)]
#[template(path = "choose.html")]
pub struct ChoosePage {
    pub frame: Frame,
    pub summary: Summary,
    pub countdown: Countdown,
    pub available: bool,
    pub groups: Vec<CurrencyGroup>,
    pub action: String,
    pub csrf: String,
    pub error: Option<String>,
}

pub struct FieldView {
    pub name: &'static str,
    pub id: String,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    /// Never the card number: that input is always rendered empty.
    pub value: String,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
    pub error: Option<String>,
    pub describedby: String,
}

pub struct ProblemView {
    pub href: Option<String>,
    pub text: String,
}

pub struct TestCard {
    pub number: &'static str,
    pub outcome: &'static str,
}

#[derive(Template)]
#[template(path = "pay.html")]
pub struct PayPage {
    pub frame: Frame,
    pub summary: Summary,
    pub countdown: Countdown,
    pub heading: String,
    pub pay_amount: String,
    pub rate_note: Option<String>,
    pub back_href: String,
    pub action: String,
    pub csrf: String,
    pub choice_id: String,
    pub fields: Vec<FieldView>,
    pub problems: Vec<ProblemView>,
    pub test_cards: Vec<TestCard>,
    pub button: String,
}

#[derive(Template)]
#[template(path = "sandbox.html")]
pub struct SandboxPage {
    pub frame: Frame,
    pub summary: Summary,
    pub heading: String,
    pub pay_amount: String,
    pub explain: String,
    pub code: Option<String>,
    pub code_label: String,
    pub action: String,
    pub csrf: String,
}

pub struct Link {
    pub href: String,
    pub label: String,
}

pub struct RetryForm {
    pub action: String,
    pub csrf: String,
}

/// Results and dead ends: success, failure, processing, expired, not found, forbidden…
#[derive(Template)]
#[template(path = "status.html")]
pub struct StatusPage {
    pub frame: Frame,
    /// `ok`, `bad`, `wait` or `info`: the colour and icon.
    pub tone: &'static str,
    pub heading: String,
    pub message: String,
    pub extra: Option<String>,
    pub retry: Option<RetryForm>,
    pub link: Option<Link>,
    pub reference: Option<String>,
    pub summary: Option<Summary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_pinned_language_wins_and_is_carried_in_links() {
        let v = Visit::new(q(&[("lang", "en")]), Some("pt-BR"));
        assert_eq!((v.lang, v.pinned), (Lang::En, Some(Lang::En)));
        assert_eq!(
            v.link("/c/x/pay", &[("m", "CARD-CLP")]),
            "/c/x/pay?m=CARD-CLP&lang=en"
        );
        let v = Visit::new(q(&[("lang", "xx")]), Some("pt-BR"));
        assert_eq!((v.lang, v.pinned), (Lang::Pt, None));
        assert_eq!(
            v.link("/c/x", &[]),
            "/c/x",
            "a negotiated language is not pinned"
        );
    }
}
