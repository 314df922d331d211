//! The page's routes: extract, call one service function, answer with a page or a 303.
//! Every POST is a plain form (so the page works without script) checked for its CSRF token,
//! and answers with a redirect (POST-redirect-GET) unless the form itself must be shown again.

use axum::extract::{Path, Request, State};
use axum::response::Response;

use crate::checkout_page::csrf;
use crate::checkout_page::form::{self, Choice, Posted};
use crate::checkout_page::outcomes;
use crate::checkout_page::pages::{self, base_path};
use crate::checkout_page::respond::redirect;
use crate::checkout_page::views::Visit;
use crate::domain::session::SessionRecord;
use crate::domain::status::SessionStatus;
use crate::http::AppState;
use crate::service::Context;
use crate::service::error::{Error, Kind};
use crate::service::hosted_page::SandboxOutcome;

/// Form bodies are a handful of short fields; anything larger is not our form.
const MAX_FORM_BYTES: usize = 16 * 1024;

fn payable(ctx: &Context, session: &SessionRecord) -> bool {
    matches!(
        session.effective_status(ctx.clock.now()),
        SessionStatus::Attempt | SessionStatus::Active
    )
}

/// A posted form, if it is one of ours: readable, small, and carrying this session's token.
async fn read_form(
    ctx: &Context,
    visit: &Visit,
    token: &str,
    req: Request,
) -> Result<Vec<(String, String)>, Response> {
    let here = format!("/c/{token}");
    let bytes = axum::body::to_bytes(req.into_body(), MAX_FORM_BYTES)
        .await
        .map_err(|_| outcomes::bad_request(visit, &here))?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
    if !csrf::verify(&ctx.signer, token, Posted(&pairs).get_raw(csrf::FIELD)) {
        return Err(outcomes::forbidden(visit, token));
    }
    Ok(pairs)
}

/// `GET /c/{token}`: opening the page moves ATTEMPT to ACTIVE; a payable session shows its
/// methods, any other shows where it stands.
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    visit: Visit,
) -> Response {
    let ctx = &state.ctx;
    let run = async {
        let session = ctx.open_page(&token).await?;
        if payable(ctx, &session) {
            return Ok(pages::choose(ctx, &visit, &session, false));
        }
        let payment = ctx.latest_payment(&session).await?;
        Ok(outcomes::for_session(
            ctx,
            &visit,
            &session,
            payment.as_ref(),
            false,
        ))
    };
    run.await
        .unwrap_or_else(|e: Error| outcomes::from_error(&visit, &token, &e))
}

/// `POST /c/{token}/choose`: the chosen method, on to its form.
pub async fn choose(
    State(state): State<AppState>,
    Path(token): Path<String>,
    visit: Visit,
    req: Request,
) -> Response {
    let ctx = &state.ctx;
    let pairs = match read_form(ctx, &visit, &token, req).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let run = async {
        let session = ctx.session_for_page(&token).await?;
        let base = base_path(&session);
        if !payable(ctx, &session) {
            return Ok(redirect(&visit.link(&base, &[])));
        }
        let choice = Posted(&pairs).get("m").to_string();
        if pages::select(&session, &choice).is_none() {
            return Ok(pages::choose(ctx, &visit, &session, true));
        }
        Ok(redirect(
            &visit.link(&format!("{base}/pay"), &[("m", &choice)]),
        ))
    };
    run.await
        .unwrap_or_else(|e: Error| outcomes::from_error(&visit, &token, &e))
}

/// `GET /c/{token}/pay?m=CARD-CLP`: the chosen method's form.
pub async fn pay_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
    visit: Visit,
) -> Response {
    let ctx = &state.ctx;
    let run = async {
        let session = ctx.open_page(&token).await?;
        let base = visit.link(&base_path(&session), &[]);
        if !payable(ctx, &session) || !ctx.takes_payments(session.tenant.environment) {
            return Ok(redirect(&base));
        }
        let Some(selected) = pages::select(&session, visit.param("m").unwrap_or("")) else {
            return Ok(redirect(&base));
        };
        Ok(pages::pay(ctx, &visit, &session, &selected, &[], None))
    };
    run.await
        .unwrap_or_else(|e: Error| outcomes::from_error(&visit, &token, &e))
}

/// `POST /c/{token}/pay`: checks the form with the domain's own rules and submits the payment
/// through the API's `submit_payment`; then on to the result.
pub async fn pay(
    State(state): State<AppState>,
    Path(token): Path<String>,
    visit: Visit,
    req: Request,
) -> Response {
    let ctx = &state.ctx;
    let pairs = match read_form(ctx, &visit, &token, req).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let run = async {
        let session = ctx.session_for_page(&token).await?;
        let base = base_path(&session);
        let posted = Posted(&pairs);
        let selected = match pages::select(&session, posted.get("m")) {
            Some(s) if payable(ctx, &session) => s,
            _ => return Ok(redirect(&visit.link(&base, &[]))),
        };
        let choice = Choice {
            method: selected.method,
            currency: &selected.config.currency,
        };
        let fields = form::fields_for(selected.method, &selected.method_config.required_fields);
        let request = match form::check(choice, &fields, &posted, &session, ctx.clock.now()) {
            Ok(r) => r,
            Err(problems) => {
                return Ok(pages::pay(
                    ctx,
                    &visit,
                    &session,
                    &selected,
                    &problems,
                    Some(&posted),
                ));
            }
        };
        match ctx.pay_on_page(&session, request).await {
            Ok(_) => Ok(redirect(&visit.link(&format!("{base}/result"), &[]))),
            Err(e) if e.kind == Kind::Unimplemented => Ok(outcomes::unavailable(&visit, &session)),
            // Paid, expired or taken by another tab meanwhile: show where it stands now.
            Err(e) if e.kind == Kind::FailedPrecondition => Ok(redirect(&visit.link(&base, &[]))),
            Err(e) if matches!(e.kind, Kind::InvalidParam | Kind::MissingParam) => {
                let problem = form::Problem {
                    field: None,
                    message: "err_method_unavailable",
                };
                Ok(pages::pay(
                    ctx,
                    &visit,
                    &session,
                    &selected,
                    &[problem],
                    Some(&posted),
                ))
            }
            Err(e) => Err(e),
        }
    };
    run.await
        .unwrap_or_else(|e: Error| outcomes::from_error(&visit, &token, &e))
}

/// `GET /c/{token}/result`: after paying, the payer goes back to the merchant when the session
/// is paid or failed and the merchant gave a URL for it; otherwise the result is shown here.
pub async fn result(
    State(state): State<AppState>,
    Path(token): Path<String>,
    visit: Visit,
) -> Response {
    let ctx = &state.ctx;
    let run = async {
        let session = ctx.session_for_page(&token).await?;
        let payment = ctx.latest_payment(&session).await?;
        Ok(outcomes::for_session(
            ctx,
            &visit,
            &session,
            payment.as_ref(),
            true,
        ))
    };
    run.await
        .unwrap_or_else(|e: Error| outcomes::from_error(&visit, &token, &e))
}

/// `POST /c/{token}/simulate`: the sandbox screen's approve or reject buttons.
pub async fn simulate(
    State(state): State<AppState>,
    Path(token): Path<String>,
    visit: Visit,
    req: Request,
) -> Response {
    let ctx = &state.ctx;
    let pairs = match read_form(ctx, &visit, &token, req).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let run = async {
        let session = ctx.session_for_page(&token).await?;
        let base = base_path(&session);
        let outcome = match Posted(&pairs).get("outcome") {
            "approve" => SandboxOutcome::Approve,
            "reject" => SandboxOutcome::Reject,
            _ => return Ok(outcomes::bad_request(&visit, &base)),
        };
        match ctx.simulate_on_page(&session, outcome).await {
            Ok(_) => Ok(redirect(&visit.link(&format!("{base}/result"), &[]))),
            Err(e) if e.kind == Kind::FailedPrecondition => Ok(redirect(&visit.link(&base, &[]))),
            Err(e) => Err(e),
        }
    };
    run.await
        .unwrap_or_else(|e: Error| outcomes::from_error(&visit, &token, &e))
}

/// `POST /c/{token}/retry`: "try again" after a failed payment (the API's refresh).
pub async fn retry(
    State(state): State<AppState>,
    Path(token): Path<String>,
    visit: Visit,
    req: Request,
) -> Response {
    let ctx = &state.ctx;
    if let Err(refused) = read_form(ctx, &visit, &token, req).await {
        return refused;
    }
    let run = async {
        let session = ctx.session_for_page(&token).await?;
        let base = visit.link(&base_path(&session), &[]);
        match ctx.retry_on_page(&session).await {
            Ok(_) => Ok(redirect(&base)),
            Err(e) if e.kind == Kind::FailedPrecondition => Ok(redirect(&base)),
            Err(e) => Err(e),
        }
    };
    run.await
        .unwrap_or_else(|e: Error| outcomes::from_error(&visit, &token, &e))
}

/// Anything else under `/c/`: the page's own 404, in HTML.
pub async fn not_found(visit: Visit, uri: axum::http::Uri) -> Response {
    outcomes::not_found(&visit, uri.path())
}
