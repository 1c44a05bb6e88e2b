//! Reference price (参考价) over HTTP: start a determination on a seized or detained asset,
//! then record each step of the method in use. Commands are for the handlers of the case's
//! court (403 for other readers, 404 for those who may not read the case); every answer is the
//! determination as it now stands. Each command takes an optional `version`: given, the
//! command is refused with 409 `version_conflict` if the determination changed since.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::ToSchema;

use super::Ctx;
use crate::error::{ApiError, Json, Path};
use zhixing_app::disposal::valuation::{self as svc, Command, ValuationView};
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartIn {}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveIn {
    /// The later method: targeted_enquiry, online_enquiry or appraisal.
    pub to: String,
    /// failed (不能或者不成: to the next method only), parties_request (双方当事人一致要求: to
    /// any later one) or required_by_law (to appraisal).
    pub reason: String,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceIn {
    pub price_fen: i64,
    /// The last day the price may be used (YYYY-MM-DD); default and maximum one validity
    /// period (`auction.price_report.validity`).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub valid_until: Option<Date>,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetedIn {
    /// The agency asked (tax office, price authority).
    pub agency: String,
    pub price_fen: i64,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub valid_until: Option<Date>,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnquiryIn {
    /// Every listed judicial enquiry platform, each once.
    pub platforms: Vec<String>,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlatformAnswerIn {
    /// One of the platforms asked.
    pub platform: String,
    pub price_fen: i64,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub valid_until: Option<Date>,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionIn {
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppraisalIn {
    /// The appraisal institution commissioned.
    pub appraiser: String,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionIn {
    /// Who objects (a party or interested person).
    pub by: String,
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulingIn {
    /// The corrected price; absent, the report stands.
    #[serde(default)]
    pub corrected_price_fen: Option<i64>,
    pub version: Option<i64>,
}

/// Starts determining the reference price of an asset under an active seizure or detention
/// (查封/扣押) of its case. A start after 30 days from the seizure is recorded as late.
#[utoipa::path(post, path = "/api/v1/assets/{id}/valuation", params(("id" = i64, Path)), request_body = StartIn,
    responses((status = 201, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem, description = "asset_not_seized, valuation_in_progress, reference_price_valid")))]
pub async fn start(
    State(app): State<App>,
    ctx: Ctx,
    Path(asset): Path<i64>,
    Json(_): Json<StartIn>,
) -> Result<(StatusCode, Json<ValuationView>), ApiError> {
    let v = svc::start(&app, &ctx.principal, asset).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The asset's latest price determination.
#[utoipa::path(get, path = "/api/v1/assets/{id}/valuation", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 404, body = crate::error::Problem)))]
pub async fn of_asset(
    State(app): State<App>,
    ctx: Ctx,
    Path(asset): Path<i64>,
) -> Result<Json<ValuationView>, ApiError> {
    Ok(Json(svc::of_asset(&app, &ctx.principal, asset).await?))
}

/// A price determination: method, steps, answers, due dates, result, objections, validity and
/// the reference price when usable today.
#[utoipa::path(get, path = "/api/v1/valuations/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<ValuationView>, ApiError> {
    Ok(Json(svc::show(&app, &ctx.principal, id).await?))
}

async fn run(
    app: &App,
    ctx: &Ctx,
    id: i64,
    version: Option<i64>,
    cmd: Command,
) -> Result<Json<ValuationView>, ApiError> {
    Ok(Json(
        svc::command(app, &ctx.principal, id, version, cmd).await?,
    ))
}

/// Leaves the current method for a later one.
#[utoipa::path(post, path = "/api/v1/valuations/{id}/move", params(("id" = i64, Path)), request_body = MoveIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn move_on(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<MoveIn>,
) -> Result<Json<ValuationView>, ApiError> {
    let cmd = Command::Move {
        to: svc::method(&b.to)?,
        reason: svc::move_reason(&b.reason)?,
    };
    run(&app, &ctx, id, b.version, cmd).await
}

/// Records the parties' agreed price (当事人议价).
#[utoipa::path(post, path = "/api/v1/valuations/{id}/agreement", params(("id" = i64, Path)), request_body = PriceIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn agreement(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<PriceIn>,
) -> Result<Json<ValuationView>, ApiError> {
    let cmd = Command::Agreement {
        price: svc::price(b.price_fen)?,
        valid_until: b.valid_until,
    };
    run(&app, &ctx, id, b.version, cmd).await
}

/// Records the answer of the agency asked in a targeted enquiry (定向询价).
#[utoipa::path(post, path = "/api/v1/valuations/{id}/targeted-answer", params(("id" = i64, Path)), request_body = TargetedIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn targeted_answer(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<TargetedIn>,
) -> Result<Json<ValuationView>, ApiError> {
    let cmd = Command::TargetedAnswer {
        agency: b.agency,
        price: svc::price(b.price_fen)?,
        valid_until: b.valid_until,
    };
    run(&app, &ctx, id, b.version, cmd).await
}

/// Commissions an online enquiry (网络询价) of the named platforms; they answer within the
/// rule book's time limit (`auction.online_enquiry.report`).
#[utoipa::path(post, path = "/api/v1/valuations/{id}/enquiry", params(("id" = i64, Path)), request_body = EnquiryIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn enquiry(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<EnquiryIn>,
) -> Result<Json<ValuationView>, ApiError> {
    let cmd = Command::CommissionEnquiry {
        platforms: b.platforms,
    };
    run(&app, &ctx, id, b.version, cmd).await
}

/// Records a platform's answer, as received by the officer today; a late answer is kept but
/// not averaged. (Platforms answering over the exchange protocol themselves is a later step:
/// this route is then what their signed reply will call.)
#[utoipa::path(post, path = "/api/v1/valuations/{id}/platform-answers", params(("id" = i64, Path)), request_body = PlatformAnswerIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn platform_answer(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<PlatformAnswerIn>,
) -> Result<Json<ValuationView>, ApiError> {
    let cmd = Command::PlatformAnswer {
        platform: b.platform,
        price: svc::price(b.price_fen)?,
        valid_until: b.valid_until,
    };
    run(&app, &ctx, id, b.version, cmd).await
}

/// Concludes the online enquiry: the average of the answers received in time, once every
/// platform answered or the time limit passed; delivered today, which opens the objection
/// period.
#[utoipa::path(post, path = "/api/v1/valuations/{id}/conclusion", params(("id" = i64, Path)), request_body = VersionIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem)))]
pub async fn conclusion(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<VersionIn>,
) -> Result<Json<ValuationView>, ApiError> {
    run(&app, &ctx, id, b.version, Command::ConcludeEnquiry).await
}

/// Commissions an appraisal (委托评估); the report is due within `auction.appraisal.report`.
#[utoipa::path(post, path = "/api/v1/valuations/{id}/appraisal", params(("id" = i64, Path)), request_body = AppraisalIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn appraisal(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<AppraisalIn>,
) -> Result<Json<ValuationView>, ApiError> {
    let cmd = Command::CommissionAppraisal {
        appraiser: b.appraiser,
    };
    run(&app, &ctx, id, b.version, cmd).await
}

/// Records the appraisal report, delivered to the parties today (a late report is marked
/// late); the objection period opens.
#[utoipa::path(post, path = "/api/v1/valuations/{id}/appraisal-report", params(("id" = i64, Path)), request_body = PriceIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn appraisal_report(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<PriceIn>,
) -> Result<Json<ValuationView>, ApiError> {
    let cmd = Command::AppraisalReport {
        price: svc::price(b.price_fen)?,
        valid_until: b.valid_until,
    };
    run(&app, &ctx, id, b.version, cmd).await
}

/// Records a party's objection to an online enquiry or appraisal report, within the
/// objection period (`auction.price_report.objection`).
#[utoipa::path(post, path = "/api/v1/valuations/{id}/objections", params(("id" = i64, Path)), request_body = ObjectionIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn objection(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ObjectionIn>,
) -> Result<Json<ValuationView>, ApiError> {
    run(&app, &ctx, id, b.version, Command::Objection { by: b.by }).await
}

/// The court's ruling on objection `no`: the report stands, or its price is corrected.
#[utoipa::path(post, path = "/api/v1/valuations/{id}/objections/{no}/ruling", params(("id" = i64, Path), ("no" = i64, Path)), request_body = RulingIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn ruling(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, i64)>,
    Json(b): Json<RulingIn>,
) -> Result<Json<ValuationView>, ApiError> {
    let cmd = Command::Ruling {
        no,
        corrected_price: b.corrected_price_fen.map(svc::price).transpose()?,
    };
    run(&app, &ctx, id, b.version, cmd).await
}
