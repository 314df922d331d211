//! Results and dead ends: paid, failed (with "try again"), processing, expired and cancelled;
//! and the pages for an unknown link, a form without its CSRF token, payments not available,
//! and errors. None of them shows a stack trace or an internal detail.

use axum::http::StatusCode;
use axum::response::Response;

use crate::checkout_page::csrf;
use crate::checkout_page::format;
use crate::checkout_page::pages::{base_path, frame, merchant_name, render, summary};
use crate::checkout_page::respond::{BASE_CSP, csp_for, redirect, see_other};
use crate::checkout_page::sandbox;
use crate::checkout_page::views::{Frame, Link, RetryForm, StatusPage, Visit};
use crate::domain::environment::Environment;
use crate::domain::payment::PaymentStatus;
use crate::domain::payment_record::PaymentRecord;
use crate::domain::return_url;
use crate::domain::session::SessionRecord;
use crate::domain::status::SessionStatus;
use crate::http::middleware::current_trace_id;
use crate::service::Context;
use crate::service::error::{Error, Kind};

/// Seconds between reloads of the "processing" page.
const PROCESSING_REFRESH_SECS: u32 = 5;

fn page(frame: Frame, tone: &'static str, heading: String, message: String) -> StatusPage {
    StatusPage {
        frame,
        tone,
        heading,
        message,
        extra: None,
        retry: None,
        link: None,
        reference: None,
        summary: None,
    }
}

/// Where a session that can no longer be paid stands. With `send_back`, a paid or failed
/// session sends the payer to the merchant's `successUrl`/`failedUrl` (303, CONTRACT §5)
/// when there is one; otherwise, or on a later visit, the result is shown here.
pub fn for_session(
    ctx: &Context,
    visit: &Visit,
    session: &SessionRecord,
    payment: Option<&PaymentRecord>,
    send_back: bool,
) -> Response {
    let t = visit.t();
    let base = base_path(session);
    let status = session.effective_status(ctx.clock.now());
    let back_url = match status {
        SessionStatus::Finished => session.success_url.as_deref(),
        SessionStatus::Failed => session.failed_url.as_deref(),
        _ => None,
    }
    .map(|url| return_url::with_result(url, &session.id, status));
    if send_back {
        if let Some(response) = back_url.as_deref().and_then(see_other) {
            return response;
        }
    }
    let merchant = merchant_name(session);
    let back_link = back_url.map(|href| Link {
        href,
        label: if merchant.is_empty() {
            t.get("back_to_merchant").to_string()
        } else {
            t.fmt("back_to", &[("merchant", &merchant)])
        },
    });
    let total = format::money(&session.body.total_amount, &session.body.currency, t.lang);
    let amount = payment
        .map(|p| format::money(&p.body.purchase_amount, &p.body.purchase_currency, t.lang))
        .unwrap_or(total);
    let frame = |title: &str| frame(visit, session, title, &base, &[]);
    let mut view = match status {
        SessionStatus::Attempt | SessionStatus::Active => return redirect(&visit.link(&base, &[])),
        SessionStatus::Finished => {
            let mut v = page(
                frame("title_paid"),
                "ok",
                t.get("paid_title").to_string(),
                t.fmt("paid_text", &[("amount", &amount)]),
            );
            v.link = back_link;
            v
        }
        SessionStatus::Failed => {
            let mut v = page(
                frame("title_failed"),
                "bad",
                t.get("failed_title").to_string(),
                t.get(failure_message(payment)).to_string(),
            );
            v.extra = Some(t.get("nothing_charged").to_string());
            v.retry = (!session.deactivated).then(|| RetryForm {
                action: visit.link(&format!("{base}/retry"), &[]),
                csrf: csrf::token(&ctx.signer, &session.public_token),
            });
            v.link = back_link;
            v
        }
        SessionStatus::ProcessingPayment => {
            let pending = payment
                .filter(|p| matches!(p.status, PaymentStatus::Pending | PaymentStatus::Authorized));
            if let Some(p) = pending {
                if session.tenant.environment == Environment::Sandbox {
                    return sandbox::screen(ctx, visit, session, p);
                }
            }
            let mut v = page(
                frame("title_processing"),
                "wait",
                t.get("processing_title").to_string(),
                t.get("processing_text").to_string(),
            );
            v.frame.refresh_secs = PROCESSING_REFRESH_SECS;
            v.link = Some(Link {
                href: visit.link(&format!("{base}/result"), &[]),
                label: t.get("check_again").to_string(),
            });
            v
        }
        SessionStatus::Expired if session.deactivated => page(
            frame("title_cancelled"),
            "info",
            t.get("cancelled_title").to_string(),
            t.get("cancelled_text").to_string(),
        ),
        SessionStatus::Expired => page(
            frame("title_expired"),
            "info",
            t.get("expired_title").to_string(),
            t.get("expired_text").to_string(),
        ),
    };
    view.summary = Some(summary(session, t));
    render(&view, StatusCode::OK, &csp_for(session))
}

/// The catalogue key explaining a failed payment, from the processor's reason code.
fn failure_message(payment: Option<&PaymentRecord>) -> &'static str {
    let code = payment
        .and_then(|p| p.failure_reason.as_deref())
        .and_then(|r| r.split(':').next())
        .unwrap_or("");
    match code {
        "card_declined" => "failed_declined",
        "insufficient_funds" => "failed_insufficient",
        _ => "failed_generic",
    }
}

/// A page that belongs to no session (or to one we cannot show), in the visitor's language.
fn bare(visit: &Visit, here: &str, title_key: &str) -> Frame {
    Frame::new(
        visit,
        visit.t().get(title_key).to_string(),
        String::new(),
        false,
    )
    .switching_at(visit, here, &[])
}

pub fn not_found(visit: &Visit, here: &str) -> Response {
    let t = visit.t();
    let view = page(
        bare(visit, here, "title_not_found"),
        "info",
        t.get("not_found_title").to_string(),
        t.get("not_found_text").to_string(),
    );
    render(&view, StatusCode::NOT_FOUND, BASE_CSP)
}

/// A payment link that is not ACTIVE (not activated yet, expired or deleted): 410, nothing made.
pub fn link_closed(visit: &Visit, here: &str) -> Response {
    let t = visit.t();
    let view = page(
        bare(visit, here, "title_link_closed"),
        "info",
        t.get("link_closed_title").to_string(),
        t.get("link_closed_text").to_string(),
    );
    render(&view, StatusCode::GONE, BASE_CSP)
}

/// A form posted without this session's CSRF token (another site, or a mangled form).
pub fn forbidden(visit: &Visit, public_token: &str) -> Response {
    let t = visit.t();
    let base = format!("/c/{public_token}");
    let mut view = page(
        bare(visit, &base, "title_forbidden"),
        "bad",
        t.get("forbidden_title").to_string(),
        t.get("forbidden_text").to_string(),
    );
    view.link = Some(Link {
        href: visit.link(&base, &[]),
        label: t.get("back_to_checkout").to_string(),
    });
    render(&view, StatusCode::FORBIDDEN, BASE_CSP)
}

pub fn bad_request(visit: &Visit, here: &str) -> Response {
    let t = visit.t();
    let view = page(
        bare(visit, here, "title_error"),
        "bad",
        t.get("bad_request_title").to_string(),
        t.get("bad_request_text").to_string(),
    );
    render(&view, StatusCode::BAD_REQUEST, BASE_CSP)
}

/// Production without a payment processor (the service's 501): said plainly, no charge made.
pub fn unavailable(visit: &Visit, session: &SessionRecord) -> Response {
    let t = visit.t();
    let base = base_path(session);
    let mut view = page(
        frame(visit, session, "title_checkout", &base, &[]),
        "info",
        t.get("unavailable_title").to_string(),
        t.get("unavailable_text").to_string(),
    );
    view.summary = Some(summary(session, t));
    render(&view, StatusCode::NOT_IMPLEMENTED, &csp_for(session))
}

pub fn server_error(visit: &Visit, here: &str) -> Response {
    let t = visit.t();
    let mut view = page(
        bare(visit, here, "title_error"),
        "bad",
        t.get("error_title").to_string(),
        t.get("error_text").to_string(),
    );
    view.reference = Some(current_trace_id());
    render(&view, StatusCode::INTERNAL_SERVER_ERROR, BASE_CSP)
}

/// A service error as a page. Internal causes were logged by the service; the payer gets a
/// reference to quote, never the detail.
pub fn from_error(visit: &Visit, public_token: &str, error: &Error) -> Response {
    let here = format!("/c/{public_token}");
    match error.kind {
        Kind::NotFound => not_found(visit, &here),
        Kind::Forbidden => forbidden(visit, public_token),
        Kind::InvalidParam | Kind::MissingParam | Kind::ParsingResource => {
            bad_request(visit, &here)
        }
        _ => {
            tracing::warn!(kind = ?error.kind, detail = %error.detail, "checkout page error");
            server_error(visit, &here)
        }
    }
}
