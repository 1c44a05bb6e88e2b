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
use crate::messages::Lang;
use zhixing_app::AppError;
use zhixing_app::disposal::valuation::{self as svc, Step, ValuationCommand, ValuationView};
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
/// (查封/扣押) of its case. A start after the rule book's time limit from the seizure
/// (`auction.price_determination.start`) is recorded as late.
#[utoipa::path(post, path = "/api/v1/assets/{id}/valuation", params(("id" = i64, Path)), request_body = StartIn,
    responses((status = 201, body = crate::openapi::doc::ValuationView), (status = 409, body = crate::error::Problem, description = "asset_not_seized, valuation_in_progress, reference_price_valid")))]
pub async fn start(
    State(app): State<App>,
    ctx: Ctx,
    Path(asset_id): Path<i64>,
    Json(_): Json<StartIn>,
) -> Result<(StatusCode, Json<ValuationView>), ApiError> {
    let v = run(&app, &ctx, ValuationCommand::Start { asset_id }).await?;
    Ok((StatusCode::CREATED, v))
}

/// The asset's latest price determination.
#[utoipa::path(get, path = "/api/v1/assets/{id}/valuation", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 404, body = crate::error::Problem)))]
pub async fn of_asset(
    State(app): State<App>,
    ctx: Ctx,
    Path(asset): Path<i64>,
) -> Result<Json<ValuationView>, ApiError> {
    Ok(worded(svc::of_asset(&app, &ctx.principal, asset).await?))
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
    Ok(worded(svc::show(&app, &ctx.principal, id).await?))
}

/// A determination with why no price is usable today in words (the catalogue's English).
fn worded(mut v: ValuationView) -> Json<ValuationView> {
    if let Some(u) = v.unusable.as_mut() {
        u.reason = crate::messages::refusal(Lang::En, &u.refusal).detail;
    }
    Json(v)
}

async fn run(app: &App, ctx: &Ctx, cmd: ValuationCommand) -> Result<Json<ValuationView>, ApiError> {
    Ok(worded(svc::execute(app, &ctx.principal, cmd).await?))
}

/// A step of determination `id`, made from the request's body.
async fn step(
    app: &App,
    ctx: &Ctx,
    id: i64,
    version: Option<i64>,
    step: Result<Step, AppError>,
) -> Result<Json<ValuationView>, ApiError> {
    let cmd = ValuationCommand::Step {
        valuation_id: id,
        version,
        step: step?,
    };
    run(app, ctx, cmd).await
}

/// A handler of one step: its route, its body, and how the body makes the step.
macro_rules! step_route {
    ($(#[$doc:meta])* $name:ident, $path:tt, $body:ident, |$b:ident| $make:expr) => {
        $(#[$doc])*
        #[utoipa::path(post, path = $path, params(("id" = i64, Path)), request_body = $body,
            responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 404, body = crate::error::Problem),
                (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
        pub async fn $name(
            State(app): State<App>,
            ctx: Ctx,
            Path(id): Path<i64>,
            Json($b): Json<$body>,
        ) -> Result<Json<ValuationView>, ApiError> {
            fn make($b: $body) -> Result<Step, AppError> {
                Ok($make)
            }
            let version = $b.version;
            step(&app, &ctx, id, version, make($b)).await
        }
    };
}

step_route!(
    /// Leaves the current method for a later one.
    move_on, "/api/v1/valuations/{id}/move", MoveIn,
    |b| Step::Move { to: svc::method(&b.to)?, reason: svc::move_reason(&b.reason)? }
);
step_route!(
    /// Records the parties' agreed price (当事人议价).
    agreement, "/api/v1/valuations/{id}/agreement", PriceIn,
    |b| Step::Agreement { price: svc::price(b.price_fen)?, valid_until: b.valid_until }
);
step_route!(
    /// Records the answer of the agency asked in a targeted enquiry (定向询价).
    targeted_answer, "/api/v1/valuations/{id}/targeted-answer", TargetedIn,
    |b| Step::TargetedAnswer { agency: b.agency, price: svc::price(b.price_fen)?, valid_until: b.valid_until }
);
step_route!(
    /// Commissions an online enquiry (网络询价) of the named platforms; they answer within the
    /// rule book's time limit (`auction.online_enquiry.report`).
    enquiry, "/api/v1/valuations/{id}/enquiry", EnquiryIn,
    |b| Step::CommissionEnquiry { platforms: b.platforms }
);
step_route!(
    /// Records a platform's answer, as received by the officer today; a late answer is kept
    /// but not averaged. (Platforms answering over the exchange protocol themselves is a later
    /// step: this route is then what their signed reply will call.)
    platform_answer, "/api/v1/valuations/{id}/platform-answers", PlatformAnswerIn,
    |b| Step::PlatformAnswer { platform: b.platform, price: svc::price(b.price_fen)?, valid_until: b.valid_until }
);
step_route!(
    /// Concludes the online enquiry: the average of the answers received in time, once every
    /// platform answered or the time limit passed; delivered today, which opens the objection
    /// period.
    conclusion, "/api/v1/valuations/{id}/conclusion", VersionIn,
    |_b| Step::ConcludeEnquiry
);
step_route!(
    /// Commissions an appraisal (委托评估); the report is due within `auction.appraisal.report`.
    appraisal, "/api/v1/valuations/{id}/appraisal", AppraisalIn,
    |b| Step::CommissionAppraisal { appraiser: b.appraiser }
);
step_route!(
    /// Records the appraisal report, delivered to the parties today (a late report is marked
    /// late); the objection period opens.
    appraisal_report, "/api/v1/valuations/{id}/appraisal-report", PriceIn,
    |b| Step::AppraisalReport { price: svc::price(b.price_fen)?, valid_until: b.valid_until }
);
step_route!(
    /// Records a party's objection to an online enquiry or appraisal report, within the
    /// objection period (`auction.price_report.objection`).
    objection, "/api/v1/valuations/{id}/objections", ObjectionIn,
    |b| Step::Objection { by: b.by }
);

/// The court's ruling on objection `no`: the report stands, or its price is corrected.
#[utoipa::path(post, path = "/api/v1/valuations/{id}/objections/{no}/ruling", params(("id" = i64, Path), ("no" = i64, Path)), request_body = RulingIn,
    responses((status = 200, body = crate::openapi::doc::ValuationView), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn ruling(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, i64)>,
    Json(b): Json<RulingIn>,
) -> Result<Json<ValuationView>, ApiError> {
    let corrected_price = b.corrected_price_fen.map(svc::price).transpose();
    let made = corrected_price.map(|corrected_price| Step::Ruling {
        no,
        corrected_price,
    });
    step(&app, &ctx, id, b.version, made).await
}
