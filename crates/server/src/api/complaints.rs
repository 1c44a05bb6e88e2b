//! Complaints (执行信访) and hotline reports over HTTP: register against a case, resolve, list
//! per case and per court.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use zhixing_app::oversight::complaints::{
    self as svc, ComplaintCommand, ComplaintInput, ComplaintView,
};
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintIn {
    /// visit (来访), letter (来信), hotline (热线) or online (网上信访).
    pub channel: String,
    /// Who complains: 1–100 characters.
    pub complainant: String,
    /// What about: 1–4,000 characters.
    pub summary: String,
    /// The day it reached the court, YYYY-MM-DD, not in the future: the registration period
    /// counts from it.
    #[schema(value_type = String)]
    pub received_on: Date,
}

/// Registers a complaint (执行信访) or hotline report against a case, with its deadlines.
#[utoipa::path(post, path = "/api/v1/cases/{id}/complaints", params(("id" = i64, Path)), request_body = ComplaintIn,
    responses((status = 201, body = crate::openapi::doc::ComplaintView), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn register(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ComplaintIn>,
) -> Result<(StatusCode, Json<ComplaintView>), ApiError> {
    let cmd = ComplaintCommand::Register {
        case_id: id,
        input: ComplaintInput {
            channel: b.channel,
            complainant: b.complainant,
            summary: b.summary,
            received_on: b.received_on,
        },
    };
    let v = svc::execute(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A case's complaints, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/complaints", params(("id" = i64, Path)),
    responses((status = 200, body = [crate::openapi::doc::ComplaintView]), (status = 404, body = crate::error::Problem)))]
pub async fn of_case(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ComplaintView>>, ApiError> {
    Ok(Json(svc::of_case(&app, &ctx.principal, id).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// A court at or below the caller's; default the caller's own.
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtId>)]
    pub court: Option<String>,
    /// registered or resolved; default both.
    #[param(inline, value_type = Option<crate::openapi::vocab::ComplaintStatus>)]
    pub status: Option<String>,
    /// At most this many (1–500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// The complaints of a court and, for supervisors, division heads and auditors, of the courts
/// below it; newest first.
#[utoipa::path(get, path = "/api/v1/complaints", params(ListParams),
    responses((status = 200, body = [crate::openapi::doc::ComplaintView]), (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<ListParams>,
) -> Result<Json<Vec<ComplaintView>>, ApiError> {
    Ok(Json(
        svc::of_court(
            &app,
            &ctx.principal,
            q.court.as_deref(),
            q.status.as_deref(),
            q.limit.unwrap_or(100),
        )
        .await?,
    ))
}

/// One complaint, with its recordings.
#[utoipa::path(get, path = "/api/v1/complaints/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::ComplaintView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<ComplaintView>, ApiError> {
    Ok(Json(svc::show(&app, &ctx.principal, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolutionIn {
    /// The result and the reply given to the complainant: 1–4,000 characters.
    pub result: String,
}

/// Resolves (办结) an open complaint with its result.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/resolution", params(("id" = i64, Path)), request_body = ResolutionIn,
    responses((status = 200, body = crate::openapi::doc::ComplaintView), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn resolve(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ResolutionIn>,
) -> Result<Json<ComplaintView>, ApiError> {
    let cmd = ComplaintCommand::Resolve {
        id,
        result: b.result,
    };
    Ok(Json(svc::execute(&app, &ctx.principal, cmd).await?))
}
