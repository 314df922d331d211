//! The hosted checkout page over plain HTTP, as a browser without JavaScript sees it: headers,
//! escaping, the 404 page, ATTEMPT→ACTIVE on opening, CSRF, field errors, languages, and the
//! card flow form by form, following each 303 by hand. Results are in `page_http_outcomes.rs`.
mod common;
mod page_support;

use common::{TestApp, session_body};
use page_support::{Browserless, CARD_FIELDS, open_form, pay, session_with_page};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn every_page_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (_, path) = session_with_page(&api, &session_body("hdr-1")).await;
    let b = Browserless::new(&app);
    for page in [b.get(&path).await, b.get("/c/no-such-token").await] {
        let csp = page.header("content-security-policy");
        for directive in [
            "default-src 'none'",
            "style-src 'self'",
            "script-src 'self'",
            "img-src 'self' data:",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(directive), "{directive} missing from {csp}");
        }
        assert!(!csp.contains("unsafe"), "{csp}");
        assert_eq!(page.header("x-frame-options"), "DENY");
        assert_eq!(page.header("referrer-policy"), "no-referrer");
        assert_eq!(page.header("x-content-type-options"), "nosniff");
        assert_eq!(page.header("cache-control"), "no-store");
        assert!(page.header("content-type").starts_with("text/html"));
    }
    // The final 303 to the merchant follows a form post, so its origin is a form target.
    let page = b.get(&path).await;
    assert!(
        page.header("content-security-policy")
            .contains("form-action 'self' https://shop.example;")
    );
    page.assert_contains(r#"<html lang="es">"#);
    assert!(!page.body.contains("<script>"), "no inline script");
    let css_href = page_support::value_after(&page.body, r#"rel="stylesheet" href=""#);
    let css = b.get(&css_href).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.header("cache-control").contains("max-age=31536000"));
    assert_eq!(css.header("x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn markup_in_an_item_description_is_escaped() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = session_body("xss-1");
    body["items"][0]["description"] = json!("<script>alert(1)</script>");
    body["owner"]["name"] = json!("<b>Shop</b>");
    let (_, path) = session_with_page(&api, &body).await;
    let page = Browserless::new(&app).get(&path).await;
    page.assert_contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    page.assert_contains("&lt;b&gt;Shop&lt;/b&gt;");
    assert!(!page.body.contains("<script>alert(1)"), "{}", page.body);
    assert!(!page.body.contains("<b>Shop"), "{}", page.body);
}

#[tokio::test]
async fn an_unknown_token_is_an_html_404_page() {
    let app = TestApp::spawn().await;
    let b = Browserless::new(&app);
    for path in [
        "/c/unknown-token",
        "/c/unknown-token/pay?m=CARD-CLP",
        "/c/a/b/c",
    ] {
        let page = b.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.header("content-type").starts_with("text/html"),
            "{path}"
        );
        page.assert_contains("No encontramos este pago");
        assert!(
            serde_json::from_str::<Value>(&page.body).is_err(),
            "not JSON"
        );
    }
    let posted = b.post("/c/unknown-token/pay", &[("csrf", "x")]).await;
    assert_eq!(
        posted.status,
        StatusCode::FORBIDDEN,
        "a foreign token never verifies"
    );
}

#[tokio::test]
async fn opening_the_page_moves_attempt_to_active() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (session, path) = session_with_page(&api, &session_body("open-1")).await;
    let id = session["id"].as_str().expect("id");
    assert_eq!(api.session_status(id).await, "ATTEMPT");
    let b = Browserless::new(&app);
    assert_eq!(b.get(&path).await.status, StatusCode::OK);
    assert_eq!(api.session_status(id).await, "ACTIVE");
    assert_eq!(
        b.get(&path).await.status,
        StatusCode::OK,
        "opening twice is fine"
    );
    assert_eq!(api.session_status(id).await, "ACTIVE");
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_with_a_403_page() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (session, path) = session_with_page(&api, &session_body("csrf-1")).await;
    let b = Browserless::new(&app);
    let form = open_form(&b, &path, "CARD-CLP").await;
    let mut fields = vec![("m", "CARD-CLP")];
    fields.extend_from_slice(&CARD_FIELDS);
    let missing = b.post(&format!("{path}/pay"), &fields).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    missing.assert_contains("No pudimos verificar el formulario");
    let other_session = {
        let (_, other) = session_with_page(&api, &session_body("csrf-2")).await;
        b.get(&other).await.csrf()
    };
    fields.push(("csrf", &other_session));
    let foreign = b.post(&format!("{path}/pay"), &fields).await;
    assert_eq!(
        foreign.status,
        StatusCode::FORBIDDEN,
        "another session's token"
    );
    for action in ["choose", "simulate", "retry"] {
        let r = b
            .post(&format!("{path}/{action}"), &[("m", "CARD-CLP")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}");
    }
    let id = session["id"].as_str().expect("id");
    assert_eq!(api.session_status(id).await, "ACTIVE", "nothing was paid");
    assert!(!form.csrf().is_empty());
}

#[tokio::test]
async fn without_javascript_a_card_payment_lands_on_the_success_url() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (session, path) = session_with_page(&api, &session_body("nojs-1")).await;
    let id = session["id"].as_str().expect("id");
    let b = Browserless::new(&app);
    let form = open_form(&b, &path, "CARD-CLP").await;
    form.assert_contains(r#"<label for="f-pan">"#);
    form.assert_contains("4242 4242 4242 4242"); // the sandbox's test cards are listed
    let result = pay(&b, &path, &form, "CARD-CLP", &CARD_FIELDS).await;
    assert_eq!(result.status, StatusCode::SEE_OTHER, "{}", result.body);
    assert_eq!(
        result.location(),
        format!("https://shop.example/ok?checkoutSessionId={id}&status=FINISHED")
    );
    assert_eq!(api.session_status(id).await, "FINISHED");
    // Back on the page later: the result, with the way back to the shop; never the card.
    let later = b.get(&path).await;
    later.assert_contains("Recibimos tu pago de 49.990 CLP");
    later.assert_contains("status=FINISHED");
    assert!(!later.body.contains("4242424242424242"));
}

#[tokio::test]
async fn field_errors_sit_next_to_their_fields_and_the_card_number_is_not_echoed() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = session_body("err-1");
    body["customerRequirements"] = json!(["email"]);
    let (session, path) = session_with_page(&api, &body).await;
    let b = Browserless::new(&app);
    let form = open_form(&b, &path, "CARD-CLP").await;
    form.assert_contains(r#"<label for="f-email">"#);
    let csrf = form.csrf();
    let page = b
        .post(
            &format!("{path}/pay"),
            &[
                ("csrf", &csrf),
                ("m", "CARD-CLP"),
                ("pan", "5555555555554444"),
                ("holder", ""),
                ("expiry", "13/30"),
                ("email", "ana@"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !page.body.contains("5555555555554444"),
        "the card number came back"
    );
    assert!(
        !page.body.contains("5555 5555"),
        "the card number came back"
    );
    page.assert_contains(r#"role="alert" aria-live="assertive""#);
    page.assert_contains(
        r##"<a href="#f-holder">Nombre del titular: Este dato es obligatorio.</a>"##,
    );
    page.assert_contains(r#"id="f-holder-error""#);
    page.assert_contains(r#"aria-invalid="true" aria-describedby="f-holder-error""#);
    page.assert_contains(r#"aria-describedby="f-expiry-hint f-expiry-error""#);
    page.assert_contains("Escribe el mes y el año, por ejemplo 04/30.");
    page.assert_contains(r#"value="ana@""#); // other values are kept for correction
    page.assert_contains("Escribe un correo como nombre@ejemplo.com.");
    let id = session["id"].as_str().expect("id");
    assert_eq!(
        api.session_status(id).await,
        "ACTIVE",
        "nothing was submitted"
    );
}

#[tokio::test]
async fn the_language_follows_accept_language_and_a_pinned_one_is_kept() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (_, path) = session_with_page(&api, &session_body("lang-1")).await;
    let b = Browserless::new(&app);
    let pt = b
        .get_with(
            &path,
            &[("accept-language", "en;q=0.4, pt-BR;q=0.9, es;q=0.1")],
        )
        .await;
    pt.assert_contains(r#"<html lang="pt">"#);
    pt.assert_contains("Escolha como pagar");
    let en = b
        .get_with(&format!("{path}?lang=en"), &[("accept-language", "pt-BR")])
        .await;
    en.assert_contains(r#"<html lang="en">"#);
    en.assert_contains("Choose how to pay");
    en.assert_contains(&format!(r#"action="{path}/choose?lang=en""#));
    let chose = b
        .post(
            &format!("{path}/choose?lang=en"),
            &[("csrf", &en.csrf()), ("m", "CARD-CLP")],
        )
        .await;
    assert_eq!(chose.location(), format!("{path}/pay?m=CARD-CLP&lang=en"));
    let form = b.get(chose.location()).await;
    form.assert_contains("Card number");
    let es = b.get(&path).await;
    es.assert_contains(r#"<html lang="es">"#);
}
