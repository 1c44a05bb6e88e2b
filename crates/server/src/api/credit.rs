//! Credit discipline (信用惩戒) over HTTP: listings on the dishonest-debtor list, their
//! extension, removal and correction, and consumption restriction orders. Commands are for the
//! handlers of the case's court, like every case command.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use zhixing_domain::credit::ListingRequest;
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

use super::Ctx;
use crate::error::{ApiError, Json, Path};
use zhixing_app::credit::listings::{self as svc, CreditChanged, CreditCommand, CreditView};
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingIn {
    /// The respondent's party number in the case.
    pub party_no: u32,
    /// Grounds of art. 1, 1–6.
    #[schema(inline, value_type = Vec<crate::openapi::vocab::CreditGround>)]
    pub grounds: Vec<u8>,
    /// The dishonest conduct (published), 4–4,000 characters.
    pub facts: String,
    /// For an organisation: persons the restriction order made with the listing binds besides
    /// the legal representative.
    #[serde(default)]
    pub bound_persons: Vec<String>,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionIn {
    /// 1 to 3 (rule book `credit.dishonest_extension.*`).
    pub years: i64,
    #[schema(min_length = 1)]
    pub reason: String,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemovalIn {
    /// performed, settlement_performed, applicant_request, zhongben_no_property,
    /// suspended_for_retrial_or_bankruptcy, enforcement_refused, terminated, early_decision,
    /// corrected.
    pub trigger: String,
    #[schema(min_length = 1)]
    pub reason: String,
    /// The day the trigger occurred (YYYY-MM-DD); today if absent.
    #[serde(default)]
    pub trigger_on: Option<String>,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionIn {
    /// The listing to correct (its number in the case).
    pub listing_no: u32,
    #[schema(min_length = 1)]
    pub reason: String,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionDecisionIn {
    pub accepted: bool,
    #[schema(min_length = 1)]
    pub reason: String,
    /// Accepted with new facts: the listing is amended instead of removed.
    #[serde(default)]
    pub amended_facts: Option<String>,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderIn {
    pub party_no: u32,
    /// For an organisation: named persons bound besides its legal representative.
    #[serde(default)]
    pub bound_persons: Vec<String>,
    #[schema(min_length = 1)]
    pub reason: String,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiftIn {
    #[schema(min_length = 1)]
    pub reason: String,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningIn {
    /// The respondent's party number in the case.
    pub party_no: u32,
    /// The grace the court gives, in days (1–365): no listing of this respondent before it
    /// ends. The length is the court's; no rule fixes it.
    pub grace_days: i64,
    /// What the notice adds (what to perform, how to settle), up to 2,000 characters.
    #[serde(default)]
    pub note: String,
    pub version: Option<i64>,
}

/// A case's listings, restriction orders and correction requests.
#[utoipa::path(get, path = "/api/v1/cases/{id}/credit", params(("id" = i64, Path)), responses((status = 200, body = crate::openapi::doc::CreditView)))]
pub async fn of_case(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<CreditView>, ApiError> {
    Ok(Json(svc::of_case(&app, &ctx.principal, id).await?))
}

/// Carries out a credit command on case `id` for the caller.
async fn execute(
    app: &App,
    ctx: &Ctx,
    id: i64,
    version: Option<i64>,
    cmd: CreditCommand,
) -> Result<Json<CreditChanged>, ApiError> {
    Ok(Json(
        svc::execute(app, &ctx.principal, id, version, cmd).await?,
    ))
}

/// Lists a respondent as a dishonest debtor (with a restriction order if none is in force).
#[utoipa::path(post, path = "/api/v1/cases/{id}/listings", params(("id" = i64, Path)), request_body = ListingIn, responses((status = 201, body = crate::openapi::doc::CreditChanged)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ListingIn>,
) -> Result<(StatusCode, Json<CreditChanged>), ApiError> {
    let cmd = CreditCommand::List(ListingRequest {
        party_no: b.party_no,
        grounds: svc::grounds(&b.grounds)?,
        facts: b.facts,
        bound_persons: b.bound_persons,
    });
    Ok((
        StatusCode::CREATED,
        execute(&app, &ctx, id, b.version, cmd).await?,
    ))
}

/// Extends a listing (grounds 2–6) by 1–3 years.
#[utoipa::path(post, path = "/api/v1/cases/{id}/listings/{no}/extension", params(("id" = i64, Path), ("no" = u32, Path)), request_body = ExtensionIn, responses((status = 200, body = crate::openapi::doc::CreditChanged)))]
pub async fn extend(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, u32)>,
    Json(b): Json<ExtensionIn>,
) -> Result<Json<CreditChanged>, ApiError> {
    let cmd = CreditCommand::Extend {
        no,
        years: b.years,
        reason: b.reason,
    };
    execute(&app, &ctx, id, b.version, cmd).await
}

/// Removes a listing on a statutory trigger or by early decision.
#[utoipa::path(post, path = "/api/v1/cases/{id}/listings/{no}/removal", params(("id" = i64, Path), ("no" = u32, Path)), request_body = RemovalIn, responses((status = 200, body = crate::openapi::doc::CreditChanged)))]
pub async fn remove(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, u32)>,
    Json(b): Json<RemovalIn>,
) -> Result<Json<CreditChanged>, ApiError> {
    let trigger = svc::trigger(&b.trigger)?;
    let trigger_on = match b.trigger_on.as_deref() {
        Some(d) => Some(d.trim().parse().map_err(|_| {
            Refusal::of_reasons(
                "invalid_date",
                RefusalKind::Invalid,
                vec![Reason::new("date_refused").with("field", "trigger_on")],
            )
        })?),
        None => None,
    };
    let cmd = CreditCommand::Remove {
        no,
        trigger,
        reason: b.reason,
        trigger_on,
    };
    execute(&app, &ctx, id, b.version, cmd).await
}

/// Records a listed person's request to correct a listing.
#[utoipa::path(post, path = "/api/v1/cases/{id}/corrections", params(("id" = i64, Path)), request_body = CorrectionIn, responses((status = 201, body = crate::openapi::doc::CreditChanged)))]
pub async fn correction(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<CorrectionIn>,
) -> Result<(StatusCode, Json<CreditChanged>), ApiError> {
    let cmd = CreditCommand::RequestCorrection {
        listing_no: b.listing_no,
        reason: b.reason,
    };
    Ok((
        StatusCode::CREATED,
        execute(&app, &ctx, id, b.version, cmd).await?,
    ))
}

/// Decides a correction request: accepted (removal, or amendment with new facts) or rejected.
#[utoipa::path(post, path = "/api/v1/cases/{id}/corrections/{no}/decision", params(("id" = i64, Path), ("no" = u32, Path)), request_body = CorrectionDecisionIn, responses((status = 200, body = crate::openapi::doc::CreditChanged)))]
pub async fn correction_decision(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, u32)>,
    Json(b): Json<CorrectionDecisionIn>,
) -> Result<Json<CreditChanged>, ApiError> {
    let cmd = CreditCommand::DecideCorrection {
        no,
        accepted: b.accepted,
        reason: b.reason,
        amended_facts: b.amended_facts,
    };
    execute(&app, &ctx, id, b.version, cmd).await
}

/// Orders a consumption restriction on a respondent.
#[utoipa::path(post, path = "/api/v1/cases/{id}/restriction-orders", params(("id" = i64, Path)), request_body = OrderIn, responses((status = 201, body = crate::openapi::doc::CreditChanged)))]
pub async fn order(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<OrderIn>,
) -> Result<(StatusCode, Json<CreditChanged>), ApiError> {
    let cmd = CreditCommand::Order {
        party_no: b.party_no,
        bound_persons: b.bound_persons,
        reason: b.reason,
    };
    Ok((
        StatusCode::CREATED,
        execute(&app, &ctx, id, b.version, cmd).await?,
    ))
}

/// Lifts a restriction order.
#[utoipa::path(post, path = "/api/v1/cases/{id}/restriction-orders/{no}/lift", params(("id" = i64, Path), ("no" = u32, Path)), request_body = LiftIn, responses((status = 200, body = crate::openapi::doc::CreditChanged)))]
pub async fn lift(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, u32)>,
    Json(b): Json<LiftIn>,
) -> Result<Json<CreditChanged>, ApiError> {
    let cmd = CreditCommand::Lift {
        no,
        reason: b.reason,
    };
    execute(&app, &ctx, id, b.version, cmd).await
}

/// Warns a respondent before listing (信用惩戒预警, with its notice): it is not listed on the
/// case until the grace ends.
#[utoipa::path(post, path = "/api/v1/cases/{id}/credit-warnings", params(("id" = i64, Path)), request_body = WarningIn, responses((status = 201, body = crate::openapi::doc::CreditChanged)))]
pub async fn warn(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<WarningIn>,
) -> Result<(StatusCode, Json<CreditChanged>), ApiError> {
    let cmd = CreditCommand::Warn {
        party_no: b.party_no,
        grace_days: b.grace_days,
        note: b.note,
    };
    Ok((
        StatusCode::CREATED,
        execute(&app, &ctx, id, b.version, cmd).await?,
    ))
}
