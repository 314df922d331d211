//! The hosted checkout page's results over plain HTTP: a declined card and "try again", the
//! merchant's failed URL, the sandbox PIX screen, expired and cancelled links, and production
//! without a payment processor.
mod common;
mod page_support;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{TestApp, session_body};
use kassa::domain::environment::Environment;
use page_support::{Browserless, CARD_FIELDS, open_form, pay, session_with_page};
use reqwest::StatusCode;

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
