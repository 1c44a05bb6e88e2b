//! Review cases (执异, 执复, 执监) over HTTP: file from the enforcement case, list a case's,
//! show one, and the examining court's acts — ruling, extension, the applicant's security, an
//! order suspending the act, the suit against a ruling on an outsider's objection.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::Ctx;
use crate::error::{ApiError, Json, Path};
use zhixing_app::review::{self as rv, ReviewCommand, ReviewView};
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileIn {
    /// act_objection (执行行为异议), outsider_objection (案外人异议), reconsideration (执行复议)
    /// or supervision (执行监督).
    pub kind: String,
    /// What is challenged: measure, listing, distribution, valuation, auction, property,
    /// ruling or case.
    pub challenged: String,
    /// Its id: the measure's, the listing's number, the valuation's, the auction's, the asset's
    /// (property), the review case whose ruling is challenged; none for distribution and case.
    pub challenged_id: Option<i64>,
    /// Who applies, 1–5,000 characters.
    pub applicant: String,
    /// The grounds, 1–5,000 characters.
    pub grounds: String,
}

/// Files a review case of an enforcement case at the caller's court.
#[utoipa::path(post, path = "/api/v1/cases/{id}/reviews", params(("id" = i64, Path)), request_body = FileIn,
    responses((status = 201, body = crate::openapi::doc::ReviewView), (status = 400, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn file(
    State(app): State<App>,
    ctx: Ctx,
    Path(case_id): Path<i64>,
    Json(b): Json<FileIn>,
) -> Result<(StatusCode, Json<ReviewView>), ApiError> {
    let cmd = ReviewCommand::File {
        case_id,
        kind: rv::kind_from(&b.kind)?,
        challenged: rv::challenged_from(&b.challenged, b.challenged_id)?,
        applicant: b.applicant,
        grounds: b.grounds,
    };
    let v = rv::execute(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The review cases of an enforcement case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/reviews", params(("id" = i64, Path)),
    responses((status = 200, body = [crate::openapi::doc::ReviewView]), (status = 404, body = crate::error::Problem)))]
pub async fn of_case(
    State(app): State<App>,
    ctx: Ctx,
    Path(case_id): Path<i64>,
) -> Result<Json<Vec<ReviewView>>, ApiError> {
    Ok(Json(rv::of_case(&app, &ctx.principal, case_id).await?))
}

/// One review case.
#[utoipa::path(get, path = "/api/v1/reviews/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::ReviewView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<ReviewView>, ApiError> {
    Ok(Json(rv::show(&app, &ctx.principal, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulingIn {
    /// dismissed, revoked, corrected, property_suspended or order_correction — as the kind
    /// allows.
    pub outcome: String,
    /// The ruling's reasoning, 1–5,000 characters.
    pub reasons: String,
}

/// The examining court rules (裁定).
#[utoipa::path(post, path = "/api/v1/reviews/{id}/ruling", params(("id" = i64, Path)), request_body = RulingIn,
    responses((status = 200, body = crate::openapi::doc::ReviewView), (status = 400, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn rule(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<RulingIn>,
) -> Result<Json<ReviewView>, ApiError> {
    let cmd = ReviewCommand::Rule {
        id,
        outcome: rv::outcome_from(&b.outcome)?,
        reasons: b.reasons,
    };
    Ok(Json(rv::execute(&app, &ctx.principal, cmd).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionIn {
    /// Days added to the examination (reconsideration only; in all at most the rule book's).
    pub days: i64,
    pub reason: String,
}

/// The president extends a reconsideration's examination.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/extension", params(("id" = i64, Path)), request_body = ExtensionIn,
    responses((status = 200, body = crate::openapi::doc::ReviewView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn extend(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ExtensionIn>,
) -> Result<Json<ReviewView>, ApiError> {
    let cmd = ReviewCommand::Extend {
        id,
        days: b.days,
        reason: b.reason,
    };
    Ok(Json(rv::execute(&app, &ctx.principal, cmd).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteIn {
    /// What was given or ordered, 1–5,000 characters.
    pub note: String,
}

/// The applicant's security to continue disposing of property an outsider claims.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/security", params(("id" = i64, Path)), request_body = NoteIn,
    responses((status = 200, body = crate::openapi::doc::ReviewView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn security(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<NoteIn>,
) -> Result<Json<ReviewView>, ApiError> {
    let cmd = ReviewCommand::RecordSecurity { id, note: b.note };
    Ok(Json(rv::execute(&app, &ctx.principal, cmd).await?))
}

/// The court orders the challenged act suspended while it examines the objection.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/suspension", params(("id" = i64, Path)), request_body = NoteIn,
    responses((status = 200, body = crate::openapi::doc::ReviewView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn suspension(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<NoteIn>,
) -> Result<Json<ReviewView>, ApiError> {
    let cmd = ReviewCommand::OrderSuspension { id, reason: b.note };
    Ok(Json(rv::execute(&app, &ctx.principal, cmd).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuitIn {
    /// true: a suit against the ruling was brought; false: it ended.
    pub started: bool,
    pub note: String,
}

/// A suit against the ruling on an outsider's objection (执行异议之诉), brought or ended.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/suit", params(("id" = i64, Path)), request_body = SuitIn,
    responses((status = 200, body = crate::openapi::doc::ReviewView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn suit(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<SuitIn>,
) -> Result<Json<ReviewView>, ApiError> {
    let cmd = ReviewCommand::Suit {
        id,
        started: b.started,
        note: b.note,
    };
    Ok(Json(rv::execute(&app, &ctx.principal, cmd).await?))
}
