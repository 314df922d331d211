//! The pages a payer uses to pay: choosing a method (and currency), and the method's form. Each
//! builds its view from the session and renders it; the sandbox's own screens are in
//! `sandbox.rs`, results and dead ends in `outcomes.rs`.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::checkout_page::csrf;
use crate::checkout_page::form::{self, Field, Posted, Problem};
use crate::checkout_page::format;
use crate::checkout_page::i18n::T;
use crate::checkout_page::respond::{self, csp_for};
use crate::checkout_page::sandbox;
use crate::checkout_page::views::{
    ChoosePage, Countdown, CurrencyGroup, FieldView, Frame, ItemRow, MethodOption, PayPage,
    ProblemView, Summary, TaxLine, Visit,
};
use crate::domain::currency::Currency;
use crate::domain::environment::Environment;
use crate::domain::money::Money;
use crate::domain::payment_config::{CurrencyConfig, MethodConfig};
use crate::domain::payment_method::{NodeType, PaymentMethod};
use crate::domain::session::SessionRecord;
use crate::service::Context;

/// Renders a template into a page response with `csp`; a template that fails to render is a
/// bug, logged and answered with a bare 500.
pub fn render(page: &impl Template, status: StatusCode, csp: &str) -> Response {
    match page.render() {
        Ok(body) => respond::html(status, body, csp),
        Err(e) => {
            tracing::error!(error = %e, "a checkout page template failed to render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub fn base_path(session: &SessionRecord) -> String {
    format!("/c/{}", session.public_token)
}

/// Who the payer is paying: the owner's name, else the first destination's account holder.
pub fn merchant_name(session: &SessionRecord) -> String {
    session
        .body
        .owner
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| {
            session
                .body
                .destinations
                .first()
                .map(|d| d.account.account_holder.clone())
        })
        .unwrap_or_default()
}

/// The frame of a session's page, its language links pointing at `here` with `pairs`.
pub fn frame(
    visit: &Visit,
    session: &SessionRecord,
    title_key: &str,
    here: &str,
    pairs: &[(&str, &str)],
) -> Frame {
    let merchant = merchant_name(session);
    let t = visit.t();
    let title = if merchant.is_empty() {
        t.get(title_key).to_string()
    } else {
        format!("{} · {merchant}", t.get(title_key))
    };
    let sandbox = session.tenant.environment == Environment::Sandbox;
    Frame::new(visit, title, merchant, sandbox).switching_at(visit, here, pairs)
}

pub fn summary(session: &SessionRecord, t: T) -> Summary {
    let body = &session.body;
    let cur = body.currency.as_str();
    let money = |amount: &str| format::money(amount, cur, t.lang);
    let items = body
        .items
        .iter()
        .map(|item| ItemRow {
            description: item.description.clone(),
            amount: money(&item.pre_tax_amount),
            tax: item.tax.as_ref().map(|tax| TaxLine {
                label: if tax.kind == "PERCENTAGE" {
                    format!("{} ({} %)", tax.name, format::decimal(&tax.value, t.lang))
                } else {
                    tax.name.clone()
                },
                amount: money(&tax.amount),
            }),
        })
        .collect();
    let taxes = Currency::parse(cur).ok().and_then(|c| {
        let amounts = body.items.iter().filter_map(|i| i.tax.as_ref());
        let parsed: Option<Vec<Money>> = amounts.map(|x| Money::parse(&x.amount, c).ok()).collect();
        let parsed = parsed?;
        if parsed.is_empty() {
            return None;
        }
        Money::sum(c, parsed).ok().map(|m| money(&m.to_canonical()))
    });
    Summary {
        items,
        subtotal: money(&body.pre_tax_amount),
        taxes,
        total: money(&body.total_amount),
    }
}

pub fn countdown(ctx: &Context, visit: &Visit, session: &SessionRecord) -> Countdown {
    let now = ctx.clock.now();
    let t = visit.t();
    let (at, left) = format::time_left_parts(t, session.expires_at, now);
    Countdown {
        at,
        left,
        seconds: format::seconds_left(session.expires_at, now),
        live: t.get("time_left_live").to_string(),
        expired_href: visit.link(&base_path(session), &[]),
    }
}

/// A method the session offers and has enabled, as chosen by its config id (`CARD-CLP`).
pub struct Selected<'a> {
    pub config: &'a CurrencyConfig,
    pub method_config: &'a MethodConfig,
    pub method: PaymentMethod,
}

pub fn select<'a>(session: &'a SessionRecord, id: &str) -> Option<Selected<'a>> {
    session.payment_configs.iter().find_map(|config| {
        let method_config = config
            .payment_methods
            .iter()
            .find(|m| m.id == id && m.enabled)?;
        let method = NodeType::parse(&method_config.kind)
            .ok()
            .and_then(|n| PaymentMethod::from_node_type(n).ok())?;
        Some(Selected {
            config,
            method_config,
            method,
        })
    })
}

/// "Exchange rate: 1 CLP = 0,0055 BRL", marked as fictional in the sandbox.
fn rate_note(session: &SessionRecord, config: &CurrencyConfig, t: T) -> Option<String> {
    if config.currency == session.body.currency {
        return None;
    }
    let mut note = t.fmt(
        "rate_note",
        &[
            ("from", &session.body.currency),
            ("rate", &format::decimal(&config.exchange_rate, t.lang)),
            ("to", &config.currency),
        ],
    );
    if session.tenant.environment == Environment::Sandbox {
        note.push_str(" · ");
        note.push_str(t.get("rate_demo"));
    }
    Some(note)
}

/// The first page: the order and the ways to pay it.
pub fn choose(ctx: &Context, visit: &Visit, session: &SessionRecord, error: bool) -> Response {
    let t = visit.t();
    let base = base_path(session);
    let several = session.payment_configs.len() > 1;
    let mut first_enabled = true;
    let groups = session
        .payment_configs
        .iter()
        .map(|config| {
            let amount = config
                .payment_methods
                .first()
                .map(|m| format::money(&m.purchase_amount, &config.currency, t.lang))
                .unwrap_or_default();
            let options = config
                .payment_methods
                .iter()
                .filter_map(|m| {
                    let method = NodeType::parse(&m.kind)
                        .ok()
                        .and_then(|n| PaymentMethod::from_node_type(n).ok())?;
                    let checked = m.enabled && std::mem::take(&mut first_enabled);
                    Some(MethodOption {
                        id: m.id.clone(),
                        input_id: format!("m-{}", m.id),
                        label: t.method(method).to_string(),
                        note: (!m.enabled).then(|| t.get("method_unavailable").to_string()),
                        enabled: m.enabled,
                        checked,
                    })
                })
                .collect();
            CurrencyGroup {
                legend: if several {
                    t.fmt(
                        "pay_in",
                        &[("currency", &config.currency), ("amount", &amount)],
                    )
                } else {
                    t.get("payment_method").to_string()
                },
                note: rate_note(session, config, t),
                options,
            }
        })
        .collect();
    let page = ChoosePage {
        frame: frame(visit, session, "title_checkout", &base, &[]),
        summary: summary(session, t),
        countdown: countdown(ctx, visit, session),
        available: ctx.takes_payments(session.tenant.environment),
        groups,
        action: visit.link(&format!("{base}/choose"), &[]),
        csrf: csrf::token(&ctx.signer, &session.public_token),
        error: error.then(|| t.get("err_choose_method").to_string()),
    };
    let status = if error {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(&page, status, &csp_for(session))
}

/// The chosen method's form, fresh (`posted: None`) or after problems were found.
pub fn pay(
    ctx: &Context,
    visit: &Visit,
    session: &SessionRecord,
    selected: &Selected<'_>,
    problems: &[Problem],
    posted: Option<&Posted<'_>>,
) -> Response {
    let t = visit.t();
    let base = base_path(session);
    let method = selected.method;
    let fields = form::fields_for(method, &selected.method_config.required_fields);
    let field_views = fields
        .iter()
        .map(|&f| field_view(f, t, session, problems, posted))
        .collect();
    let problem_views = problems
        .iter()
        .map(|p| ProblemView {
            href: p.field.map(|f| format!("#f-{}", f.name())),
            text: match p.field {
                Some(f) => format!("{}: {}", t.get(f.label_key()), t.get(p.message)),
                None => t.get(p.message).to_string(),
            },
        })
        .collect();
    let config = selected.config;
    let pay_amount = format::money(
        &selected.method_config.purchase_amount,
        &config.currency,
        t.lang,
    );
    let sandbox = session.tenant.environment == Environment::Sandbox;
    let test_cards = if sandbox && method == PaymentMethod::Card {
        sandbox::test_cards(t)
    } else {
        Vec::new()
    };
    let button = if method == PaymentMethod::Card {
        t.fmt("pay_button", &[("amount", &pay_amount)])
    } else {
        t.fmt("continue_with", &[("method", t.method(method))])
    };
    let id = selected.method_config.id.as_str();
    let page = PayPage {
        frame: frame(
            visit,
            session,
            "title_checkout",
            &format!("{base}/pay"),
            &[("m", id)],
        ),
        summary: summary(session, t),
        countdown: countdown(ctx, visit, session),
        heading: if method == PaymentMethod::Card {
            t.get("card_details").to_string()
        } else {
            t.fmt("pay_with", &[("method", t.method(method))])
        },
        rate_note: rate_note(session, config, t),
        pay_amount,
        back_href: visit.link(&base, &[]),
        action: visit.link(&format!("{base}/pay"), &[]),
        csrf: csrf::token(&ctx.signer, &session.public_token),
        choice_id: id.to_string(),
        fields: field_views,
        problems: problem_views,
        test_cards,
        button,
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(&page, status, &csp_for(session))
}

fn field_view(
    field: Field,
    t: T,
    session: &SessionRecord,
    problems: &[Problem],
    posted: Option<&Posted<'_>>,
) -> FieldView {
    let id = format!("f-{}", field.name());
    let error = problems
        .iter()
        .find(|p| p.field == Some(field))
        .map(|p| t.get(p.message).to_string());
    let hint = field.hint_key().map(|k| t.get(k));
    let describedby = [
        hint.map(|_| format!("{id}-hint")),
        error.as_ref().map(|_| format!("{id}-error")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let value = match (field, posted) {
        // The card number is never sent back to the browser, not even after an error.
        (Field::Pan, _) => String::new(),
        (_, Some(p)) => p.get(field.name()).to_string(),
        (_, None) => form::prefill(field, session.body.customer.as_ref()),
    };
    FieldView {
        name: field.name(),
        id,
        label: t.get(field.label_key()),
        hint,
        value,
        input_type: field.input_type(),
        autocomplete: field.autocomplete(),
        inputmode: field.inputmode(),
        error,
        describedby,
    }
}
