//! Control measures over HTTP (freeze, seize, detain, deduct; renewal and release), and the
//! open alerts of one case (the lists and counts of a court are `api::alerts`).

use axum::extract::State;
use axum::http::StatusCode;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zhixing_domain::measure::days_left;
use zhixing_store::measures::{AlertRow, MeasureRow};

use super::Ctx;
use crate::error::{ApiError, Json, Path};
use zhixing_app::control::measures::{self as ms, MeasureCommand};
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureIn {
    /// freeze, seize, detain or deduct.
    #[schema(inline, value_type = crate::openapi::vocab::MeasureKind)]
    pub kind: String,
    /// For freezes and deductions: at most this much, in fen; never above what is still due.
    pub amount_fen: Option<i64>,
    /// For freezes, seizures and detentions: the last day; default the legal maximum.
    #[schema(value_type = Option<String>)]
    pub until: Option<Date>,
}

/// A measure as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct MeasureOut {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub measure: MeasureRow,
    /// Days until the last day (negative once past), while the measure is in effect.
    pub days_left: Option<i64>,
}

fn out(m: MeasureRow, today: Date) -> MeasureOut {
    let left = (m.status == "active")
        .then(|| m.until.as_deref().and_then(|d| d.parse::<Date>().ok()))
        .flatten()
        .map(|u| days_left(u, today));
    MeasureOut {
        measure: m,
        days_left: left,
    }
}

/// Asks the institution holding an asset for a measure on it.
#[utoipa::path(post, path = "/api/v1/assets/{id}/measures", params(("id" = i64, Path)), request_body = MeasureIn,
    responses((status = 201, body = MeasureOut), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn request(
    State(app): State<App>,
    ctx: Ctx,
    Path(asset): Path<i64>,
    Json(b): Json<MeasureIn>,
) -> Result<(StatusCode, Json<MeasureOut>), ApiError> {
    let m = ms::execute(
        &app,
        &ctx.principal,
        MeasureCommand::Request {
            asset_id: asset,
            input: ms::MeasureInput {
                kind: b.kind,
                amount_fen: b.amount_fen,
                until: b.until,
            },
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(out(m, app.today()))))
}

/// The measures of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/measures", params(("id" = i64, Path)), responses((status = 200, body = [MeasureOut])))]
pub async fn of_case(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<MeasureOut>>, ApiError> {
    let today = app.today();
    Ok(Json(
        ms::of_case(&app, &ctx.principal, id)
            .await?
            .into_iter()
            .map(|m| out(m, today))
            .collect(),
    ))
}

/// One measure.
#[utoipa::path(get, path = "/api/v1/measures/{id}", params(("id" = i64, Path)), responses((status = 200, body = MeasureOut)))]
pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<MeasureOut>, ApiError> {
    let m = ms::show(&app, &ctx.principal, id).await?;
    Ok(Json(out(m, app.today())))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RenewalIn {
    /// The new last day; default one legal period after the current one.
    #[schema(value_type = Option<String>)]
    pub until: Option<Date>,
}

/// Asks for a renewal (续行) before the last day.
#[utoipa::path(post, path = "/api/v1/measures/{id}/renewal", params(("id" = i64, Path)), request_body = RenewalIn,
    responses((status = 202, body = MeasureOut), (status = 409, body = crate::error::Problem)))]
pub async fn renewal(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<RenewalIn>,
) -> Result<(StatusCode, Json<MeasureOut>), ApiError> {
    let m = ms::execute(
        &app,
        &ctx.principal,
        MeasureCommand::Renew { id, until: b.until },
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(out(m, app.today()))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseIn {
    /// Why: payment, closure, a court order…
    #[schema(min_length = 1)]
    pub reason: String,
}

/// Asks for a release (解除).
#[utoipa::path(post, path = "/api/v1/measures/{id}/release", params(("id" = i64, Path)), request_body = ReleaseIn,
    responses((status = 202, body = MeasureOut), (status = 409, body = crate::error::Problem)))]
pub async fn release(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ReleaseIn>,
) -> Result<(StatusCode, Json<MeasureOut>), ApiError> {
    let m = ms::execute(
        &app,
        &ctx.principal,
        MeasureCommand::Release {
            id,
            reason: b.reason,
        },
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(out(m, app.today()))))
}

/// Open alerts of one case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/alerts", params(("id" = i64, Path)), responses((status = 200, body = [Object])))]
pub async fn of_case_alerts(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AlertRow>>, ApiError> {
    Ok(Json(ms::alerts_of_case(&app, &ctx.principal, id).await?))
}
