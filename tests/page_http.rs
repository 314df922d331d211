//! The hosted checkout page over plain HTTP, as a browser without JavaScript sees it: headers,
//! escaping, the 404 page, ATTEMPT→ACTIVE on opening, CSRF, and whole flows form by form,
//! following each 303 by hand.
mod common;
mod page_support;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{TestApp, session_body};
use kassa::domain::environment::Environment;
use page_support::{Browserless, Page, session_with_page};
use reqwest::StatusCode;
use serde_json::{Value, json};

const CARD_FIELDS: [(&str, &str); 3] = [
    ("pan", "4242 4242 4242 4242"),
    ("holder", "Ana Pérez"),
    ("expiry", "12/34"),
];

/// Opens the page, chooses `method` and returns the payment form.
async fn open_form(b: &Browserless, path: &str, method: &str) -> Page {
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
async fn pay(
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
async fn a_declined_card_shows_the_failure_page_and_can_be_tried_again() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let mut body = session_body("fail-1");
    body.as_object_mut().expect("object").remove("failedUrl");
    let (session, path) = session_with_page(&api, &body).await;
    let id = session["id"].as_str().expect("id");
    let b = Browserless::new(&app);
    let form = open_form(&b, &path, "CARD-CLP").await;
    let fields = [
        ("pan", "4000000000000002"),
        ("holder", "Ana"),
        ("expiry", "12/34"),
    ];
    let failed = pay(&b, &path, &form, "CARD-CLP", &fields).await;
    assert_eq!(
        failed.status,
        StatusCode::OK,
        "no failedUrl: the page shows it"
    );
    failed.assert_contains("Tu banco rechazó la tarjeta.");
    failed.assert_contains("Intentar de nuevo");
    assert_eq!(api.session_status(id).await, "FAILED");
    let retry = b
        .post(&format!("{path}/retry"), &[("csrf", &failed.csrf())])
        .await;
    assert_eq!(retry.status, StatusCode::SEE_OTHER);
    assert_eq!(retry.location(), path);
    assert_eq!(api.session_status(id).await, "ATTEMPT");
    let again = open_form(&b, &path, "CARD-CLP").await;
    let done = pay(&b, &path, &again, "CARD-CLP", &CARD_FIELDS).await;
    assert!(
        done.location().ends_with("status=FINISHED"),
        "{}",
        done.location()
    );
}

#[tokio::test]
async fn a_failure_with_a_failed_url_sends_the_payer_there() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (session, path) = session_with_page(&api, &session_body("fail-2")).await;
    let id = session["id"].as_str().expect("id");
    let b = Browserless::new(&app);
    let form = open_form(&b, &path, "CARD-CLP").await;
    let fields = [
        ("pan", "4000000000009995"),
        ("holder", "Ana"),
        ("expiry", "12/34"),
    ];
    let result = pay(&b, &path, &form, "CARD-CLP", &fields).await;
    assert_eq!(result.status, StatusCode::SEE_OTHER);
    assert_eq!(
        result.location(),
        format!("https://shop.example/failed?checkoutSessionId={id}&status=FAILED")
    );
}

#[tokio::test]
async fn pix_shows_a_labelled_sandbox_code_and_approving_finishes_the_session() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (session, path) = session_with_page(&api, &session_body("pix-1")).await;
    let id = session["id"].as_str().expect("id");
    let b = Browserless::new(&app);
    let first = b.get(&path).await;
    first.assert_contains("Pagar en BRL");
    first.assert_contains("tasa ficticia de demostración");
    let form = open_form(&b, &path, "PIX-BRL").await;
    form.assert_contains(r#"<label for="f-firstName">"#);
    let screen = pay(&b, &path, &form, "PIX-BRL", &[("firstName", "Ana")]).await;
    assert_eq!(screen.status, StatusCode::OK);
    screen.assert_contains("NOT-A-REAL-PIX-CODE");
    screen.assert_contains("Código PIX copia y pega (ficticio)");
    assert_eq!(api.session_status(id).await, "PROCESSING_PAYMENT");
    let approved = b
        .post(
            &format!("{path}/simulate"),
            &[("csrf", &screen.csrf()), ("outcome", "approve")],
        )
        .await;
    assert_eq!(approved.location(), format!("{path}/result"));
    let back = b.get(approved.location()).await;
    assert!(
        back.location().ends_with("status=FINISHED"),
        "{}",
        back.location()
    );
    let payments = api.get(&format!("/payments?checkoutSessionId={id}")).await;
    assert_eq!(
        payments.body["results"][0]["status"], "RECEIVED",
        "{}",
        payments.body
    );
}

#[tokio::test]
async fn an_expired_or_cancelled_session_cannot_be_paid() {
    let app = TestApp::spawn().await;
    let api = app.sandbox().await;
    let (session, path) = session_with_page(&api, &session_body("exp-1")).await;
    let id = session["id"].as_str().expect("id");
    let b = Browserless::new(&app);
    let form = open_form(&b, &path, "CARD-CLP").await;
    form.assert_contains("Expira a las");
    form.assert_contains("quedan 15 minutos");
    app.clock.advance_seconds(901);
    let expired = b.get(&path).await;
    expired.assert_contains("Este enlace de pago venció");
    let mut fields = vec![("csrf", form.csrf()), ("m", "CARD-CLP".into())];
    fields.extend(CARD_FIELDS.iter().map(|(k, v)| (*k, v.to_string())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = b.post(&format!("{path}/pay"), &fields).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(refused.location(), path);
    assert_eq!(api.session_status(id).await, "EXPIRED");

    let (other, other_path) = session_with_page(&api, &session_body("exp-2")).await;
    let other_id = other["id"].as_str().expect("id");
    api.delete(&format!("/checkout-sessions/{other_id}")).await;
    b.get(&other_path)
        .await
        .assert_contains("Este pago fue cancelado");
}

#[tokio::test]
async fn production_sessions_say_payments_are_not_available() {
    let app = TestApp::spawn().await;
    let api = app.api(Environment::Production).await;
    let (_, path) = session_with_page(&api, &session_body("prod-1")).await;
    let b = Browserless::new(&app);
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Los pagos aún no están disponibles");
    assert!(!page.body.contains("SANDBOX"));
    assert!(page.csrf().is_empty(), "no payment form is offered");
    // A hand-made post still gets an honest page: the token is what the page would have used.
    let public_token = path.trim_start_matches("/c/");
    let csrf = URL_SAFE_NO_PAD.encode(
        app.ctx
            .signer
            .hmac(format!("csrf:{public_token}").as_bytes()),
    );
    let mut fields = vec![("csrf", csrf.as_str()), ("m", "CARD-CLP")];
    fields.extend_from_slice(&CARD_FIELDS);
    let posted = b.post(&format!("{path}/pay"), &fields).await;
    assert_eq!(posted.status, StatusCode::NOT_IMPLEMENTED);
    posted.assert_contains("Los pagos aún no están disponibles");
    for leak in [
        "panicked",
        "src/",
        "unimplemented",
        "processor is configured",
    ] {
        assert!(!posted.body.contains(leak), "{leak}");
    }
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
