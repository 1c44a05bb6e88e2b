//! The platform's clock, and training mode's advance of it (演练模式).

use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use zhixing_app::platform::clock;

use super::Ctx;
use crate::error::{ApiError, Json};
use crate::openapi::doc;
use zhixing_app::state::App;

/// The platform's time now, and whether it is training mode's simulated clock.
#[utoipa::path(get, path = "/api/v1/clock", responses((status = 200, body = doc::ClockView)))]
pub async fn show(State(app): State<App>, _ctx: Ctx) -> Json<clock::ClockView> {
    Json(clock::view(&app))
}

/// How far to advance the clock: `days` or `to`, not both.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvanceBody {
    /// Days on, at the same time of day (1 to 3660).
    #[serde(default)]
    pub days: Option<i64>,
    /// The moment to move to: RFC 3339 with its offset, a Beijing wall time
    /// `YYYY-MM-DDTHH:MM`, or a date `YYYY-MM-DD` (09:00 Beijing time).
    #[serde(default)]
    pub to: Option<String>,
}

/// Advances training mode's clock (an administrator of the SPC; audited), then runs a pass of
/// the watch worker at the new time: measures expire, alerts rise, auctions close. Refused
/// `clock_not_simulated` on a real clock (`zhixing serve`), `clock_backwards` for a moment
/// not after now.
#[utoipa::path(post, path = "/api/v1/clock/advance", request_body = AdvanceBody,
    responses((status = 200, body = doc::Advanced), (status = 403, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn advance(
    State(app): State<App>,
    ctx: Ctx,
    Json(body): Json<AdvanceBody>,
) -> Result<Json<clock::Advanced>, ApiError> {
    let how = clock::advance_of(body.days, body.to.as_deref())?;
    Ok(Json(clock::advance(&app, &ctx.principal, how).await?))
}
