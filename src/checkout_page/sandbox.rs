//! The sandbox's part of the page: the test cards listed beside the card form, and the
//! stand-in for what a provider would show a payer whose payment is pending (a fictional PIX
//! code, a simulated bank redirect, a card awaiting its bank), with buttons that settle it
//! through the sandbox simulation. Everything here is labelled as sandbox on the page.

use axum::http::StatusCode;
use axum::response::Response;

use crate::checkout_page::csrf;
use crate::checkout_page::format;
use crate::checkout_page::i18n::T;
use crate::checkout_page::pages::{base_path, frame, render, summary};
use crate::checkout_page::respond::csp_for;
use crate::checkout_page::views::{SandboxPage, TestCard, Visit};
use crate::domain::payer_flow::PayerFlow;
use crate::domain::payment_method::{NodeType, PaymentMethod};
use crate::domain::payment_record::PaymentRecord;
use crate::domain::session::SessionRecord;
use crate::processor::sandbox::{
    CARD_CAPTURED, CARD_DECLINED, CARD_INSUFFICIENT_FUNDS, CARD_PENDING,
};
use crate::service::Context;

pub fn test_cards(t: T) -> Vec<TestCard> {
    let spaced = |n: &'static str| match n {
        CARD_CAPTURED => "4242 4242 4242 4242",
        CARD_DECLINED => "4000 0000 0000 0002",
        CARD_INSUFFICIENT_FUNDS => "4000 0000 0000 9995",
        CARD_PENDING => "4000 0000 0000 0259",
        other => other,
    };
    [
        (CARD_CAPTURED, "test_card_captured"),
        (CARD_DECLINED, "test_card_declined"),
        (CARD_INSUFFICIENT_FUNDS, "test_card_insufficient"),
        (CARD_PENDING, "test_card_pending"),
    ]
    .into_iter()
    .map(|(number, key)| TestCard {
        number: spaced(number),
        outcome: t.get(key),
    })
    .collect()
}

/// The sandbox's stand-in for what a provider would show a payer with a pending payment: a
/// fictional code to pay, a simulated bank redirect, or a card awaiting its bank; with buttons
/// that settle it through the sandbox simulation.
pub fn screen(
    ctx: &Context,
    visit: &Visit,
    session: &SessionRecord,
    payment: &PaymentRecord,
) -> Response {
    let t = visit.t();
    let base = base_path(session);
    let method = NodeType::parse(&payment.method)
        .ok()
        .and_then(|n| PaymentMethod::from_node_type(n).ok())
        .unwrap_or(PaymentMethod::Card);
    let name = t.method(method);
    let amount = format::money(
        &payment.body.purchase_amount,
        &payment.body.purchase_currency,
        t.lang,
    );
    // A reference the payer could quote; derived from the payment id, which is theirs anyway.
    let reference: String = payment
        .id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .rev()
        .take(10)
        .collect::<String>()
        .to_uppercase();
    let (heading, explain, code_label, code) = match (PayerFlow::of(method), method) {
        (PayerFlow::Transfer, PaymentMethod::Pix) => (
            t.get("sandbox_pix_title").to_string(),
            t.get("sandbox_pix_text").to_string(),
            t.get("sandbox_pix_code").to_string(),
            Some(format!(
                "00020126-KASSA-SANDBOX-PIX-{reference}-5303986-54{}-NOT-A-REAL-PIX-CODE",
                payment.body.purchase_amount
            )),
        ),
        (PayerFlow::Transfer, _) => (
            t.fmt("sandbox_transfer_title", &[("method", name)]),
            t.fmt("sandbox_transfer_text", &[("amount", &amount)]),
            t.get("sandbox_reference").to_string(),
            Some(format!("KASSA-SANDBOX-{reference}")),
        ),
        (PayerFlow::Redirect, _) => (
            t.fmt("sandbox_redirect_title", &[("method", name)]),
            t.fmt("sandbox_redirect_text", &[("method", name)]),
            String::new(),
            None,
        ),
        (PayerFlow::Card, _) => (
            t.get("sandbox_card_title").to_string(),
            t.get("sandbox_card_text").to_string(),
            String::new(),
            None,
        ),
    };
    let page = SandboxPage {
        frame: frame(visit, session, "title_checkout", &base, &[]),
        summary: summary(session, t),
        heading,
        pay_amount: amount,
        explain,
        code,
        code_label,
        action: visit.link(&format!("{base}/simulate"), &[]),
        csrf: csrf::token(&ctx.signer, &session.public_token),
    };
    render(&page, StatusCode::OK, &csp_for(session))
}
