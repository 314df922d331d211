//! The hosted checkout page in a real headless Chromium, driven over WebDriver: the payer's
//! whole path (choose, fill, pay, land on the merchant's page), a declined card and "try
//! again", an expired link, the languages, and a field error. With `KASSA_SCREENSHOTS=1` the
//! tests also save what the payer sees to `docs/screenshots/`.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`); without them the tests fail, unless `KASSA_SKIP_BROWSER=1` skips them.
mod common;
mod page_support;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Html;
use axum::routing::get;
use common::{Api, TestApp, session_body};
use page_support::page_path;
use page_support::webdriver::{Browser, Options, browser_available};
use serde_json::{Value, json};

/// A merchant's site that records every visit to its return page.
struct Merchant {
    base: String,
    visits: Arc<Mutex<Vec<String>>>,
}

async fn merchant_page(
    State(visits): State<Arc<Mutex<Vec<String>>>>,
    RawQuery(query): RawQuery,
) -> Html<&'static str> {
    if let Ok(mut v) = visits.lock() {
        v.push(query.unwrap_or_default());
    }
    Html("<!doctype html><title>Shop</title><h1>Thank you for your order</h1>")
}

impl Merchant {
    async fn start() -> Merchant {
        let visits = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/thanks", get(merchant_page))
            .with_state(visits.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Merchant { base, visits }
    }

    fn visits(&self) -> Vec<String> {
        self.visits.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

/// Creates a session and returns its id and the page's address on this test server.
async fn open_session(app: &TestApp, api: &Api, body: &Value) -> (String, String) {
    let session = api.create_session(body).await;
    let id = session["id"].as_str().expect("id").to_string();
    (id, format!("{}{}", app.base, page_path(&session)))
}

fn without_return_urls(token: &str) -> Value {
    let mut body = session_body(token);
    let map = body.as_object_mut().expect("an object");
    map.remove("successUrl");
    map.remove("failedUrl");
    body
}

/// From the method choice to a card payment with `number`.
async fn pay_by_card(browser: &Browser, number: &str, shots: Option<&str>) {
    browser.click("#m-CARD-CLP").await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text(r#"id="f-pan""#).await;
    if let Some(prefix) = shots {
        browser.screenshot(&format!("{prefix}card-form")).await;
    }
    browser.fill("#f-pan", number).await;
    browser.fill("#f-holder", "Ana Pérez").await;
    browser.fill("#f-expiry", "12/34").await;
    browser.click("form button.primary").await;
}

#[tokio::test]
async fn a_payer_pays_by_card_and_arrives_at_the_merchants_success_url() {
    if !browser_available("a_payer_pays_by_card_and_arrives_at_the_merchants_success_url") {
        return;
    }
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let merchant = Merchant::start().await;
    let mut body = session_body("browser-ok");
    body["successUrl"] = json!(format!("{}/thanks?order=1001", merchant.base));
    body["owner"]["name"] = json!("Tostaduría Sur");
    let (id, url) = open_session(&app, &api, &body).await;

    let browser = Browser::start(Options::default()).await;
    browser.goto(&url).await;
    browser.wait_for_text("Elige cómo pagar").await;
    browser.screenshot("choose").await;
    assert_eq!(api.session_status(&id).await, "ACTIVE");
    // The static script runs under the page's policy: it turned "quedan 15 minutos" into m:ss.
    let left = browser.text(".countdown-left").await;
    assert!(left.starts_with("quedan 1") && left.contains(':'), "{left}");
    pay_by_card(&browser, "4242424242424242", Some("")).await;

    let landed = browser.wait_for_url(&merchant.base).await;
    assert!(
        landed.contains(&format!("checkoutSessionId={id}")) && landed.contains("status=FINISHED"),
        "{landed}"
    );
    browser.wait_for_text("Thank you for your order").await;
    assert_eq!(
        merchant.visits(),
        [format!("order=1001&checkoutSessionId={id}&status=FINISHED")]
    );
    assert_eq!(api.session_status(&id).await, "FINISHED");
    browser.quit().await;

    // The same first screen on a desktop.
    let (_, url) = open_session(&app, &api, &session_body("browser-desk")).await;
    let desktop = Browser::start(Options {
        width: 1280,
        height: 800,
        accept_language: None,
    })
    .await;
    desktop.goto(&url).await;
    desktop.wait_for_text("Elige cómo pagar").await;
    desktop.screenshot("choose-desktop").await;
    desktop.quit().await;
}

#[tokio::test]
async fn a_declined_card_shows_the_failure_page_and_trying_again_succeeds() {
    if !browser_available("a_declined_card_shows_the_failure_page_and_trying_again_succeeds") {
        return;
    }
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (id, url) = open_session(&app, &api, &without_return_urls("browser-fail")).await;
    let browser = Browser::start(Options::default()).await;
    browser.goto(&url).await;
    pay_by_card(&browser, "4000000000000002", None).await;
    browser.wait_for_text("Tu banco rechazó la tarjeta.").await;
    browser.screenshot("failure").await;
    assert_eq!(api.session_status(&id).await, "FAILED");

    browser.click("form button.primary").await; // "Intentar de nuevo"
    browser.wait_for_text("Elige cómo pagar").await;
    pay_by_card(&browser, "4242424242424242", None).await;
    browser
        .wait_for_text("Recibimos tu pago de 49.990 CLP")
        .await;
    browser.screenshot("success").await;
    assert_eq!(api.session_status(&id).await, "FINISHED");
    browser.quit().await;
}

#[tokio::test]
async fn pix_shows_the_sandbox_screen_and_its_approval_finishes_the_session() {
    if !browser_available("pix_shows_the_sandbox_screen_and_its_approval_finishes_the_session") {
        return;
    }
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (id, url) = open_session(&app, &api, &without_return_urls("browser-pix")).await;
    let browser = Browser::start(Options::default()).await;
    browser.goto(&url).await;
    browser.click("#m-PIX-BRL").await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text(r#"id="f-firstName""#).await;
    browser.fill("#f-firstName", "Ana").await;
    browser.click("form button.primary").await;
    browser.wait_for_text("NOT-A-REAL-PIX-CODE").await;
    browser.screenshot("pix-sandbox").await;
    browser.click("button[value=approve]").await;
    browser.wait_for_text("Recibimos tu pago de").await;
    assert_eq!(api.session_status(&id).await, "FINISHED");
    browser.quit().await;
}

#[tokio::test]
async fn an_expired_link_shows_the_expired_page() {
    if !browser_available("an_expired_link_shows_the_expired_page") {
        return;
    }
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (id, url) = open_session(&app, &api, &session_body("browser-exp")).await;
    app.clock.advance_seconds(901);
    let browser = Browser::start(Options::default()).await;
    browser.goto(&url).await;
    browser.wait_for_text("Este enlace de pago venció").await;
    assert!(!browser.source().await.contains("f-pan"), "no way to pay");
    browser.screenshot("expired").await;
    assert_eq!(api.session_status(&id).await, "EXPIRED");
    browser.quit().await;
}

#[tokio::test]
async fn the_language_comes_from_the_browser_or_the_lang_parameter() {
    if !browser_available("the_language_comes_from_the_browser_or_the_lang_parameter") {
        return;
    }
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (_, url) = open_session(&app, &api, &session_body("browser-lang")).await;

    let portuguese = Browser::start(Options {
        accept_language: Some("pt-BR,pt"),
        ..Options::default()
    })
    .await;
    portuguese.goto(&url).await;
    portuguese.wait_for_text("Escolha como pagar").await;
    assert_eq!(
        portuguese.attribute("html", "lang").await.as_deref(),
        Some("pt")
    );
    // The switcher pins English, and the choice survives the next step.
    portuguese.click(r#"a[hreflang="en"]"#).await;
    portuguese.wait_for_text("Choose how to pay").await;
    portuguese.click("button[type=submit]").await;
    portuguese.wait_for_text("Card number").await;
    assert!(portuguese.url().await.contains("lang=en"));
    portuguese.quit().await;

    let english = Browser::start(Options::default()).await;
    english.goto(&format!("{url}?lang=en")).await;
    english.wait_for_text("Choose how to pay").await;
    assert_eq!(
        english.attribute("html", "lang").await.as_deref(),
        Some("en")
    );
    english.quit().await;
}

#[tokio::test]
async fn a_missing_field_is_reported_next_to_it() {
    if !browser_available("a_missing_field_is_reported_next_to_it") {
        return;
    }
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (id, url) = open_session(&app, &api, &session_body("browser-err")).await;
    let browser = Browser::start(Options::default()).await;
    browser.goto(&url).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text(r#"id="f-pan""#).await;
    browser.fill("#f-pan", "4242424242424242").await;
    browser.fill("#f-holder", "").await;
    browser.fill("#f-expiry", "12/34").await;
    browser.click("form button.primary").await;
    browser.wait_for_text("f-holder-error").await;
    let error = browser.text("#f-holder-error").await;
    assert!(error.ends_with("Este dato es obligatorio."), "{error}");
    assert_eq!(
        browser
            .attribute("#f-holder", "aria-invalid")
            .await
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        browser.attribute("#f-pan", "value").await.as_deref(),
        Some(""),
        "the card number is never sent back"
    );
    browser.screenshot("field-error").await;
    assert_eq!(api.session_status(&id).await, "ACTIVE");
    browser.quit().await;
}

#[tokio::test]
async fn the_pages_fit_a_360_px_wide_screen() {
    if !browser_available("the_pages_fit_a_360_px_wide_screen") {
        return;
    }
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = without_return_urls("browser-narrow");
    body["items"][0]["description"] =
        json!("Café de grano tostado medio, bolsa de 1 kg con válvula");
    let (_, url) = open_session(&app, &api, &body).await;
    let browser = Browser::start(Options {
        width: 360,
        height: 740,
        accept_language: None,
    })
    .await;
    let fits = "return document.documentElement.scrollWidth <= window.innerWidth;";
    browser.goto(&url).await;
    browser.wait_for_text("Elige cómo pagar").await;
    assert_eq!(browser.script(fits).await, json!(true), "method choice");
    browser.click("#m-PIX-BRL").await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text(r#"id="f-firstName""#).await;
    assert_eq!(browser.script(fits).await, json!(true), "form");
    browser.fill("#f-firstName", "Ana").await;
    browser.click("form button.primary").await;
    browser.wait_for_text("NOT-A-REAL-PIX-CODE").await;
    assert_eq!(browser.script(fits).await, json!(true), "sandbox screen");
    browser.quit().await;
}
