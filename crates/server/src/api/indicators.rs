//! Indicators of the command centre over HTTP (DOMAIN §10), read from the rollups.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use super::Ctx;
use crate::error::{ApiError, Json, Query};
use zhixing_app::command_centre::indicators::{self as svc, Ranking, Request, Summary, Trend};
use zhixing_app::state::App;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IndicatorParams {
    /// A court the caller may read; default the caller's own.
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtId>)]
    pub court: Option<String>,
    /// `self` (the court's own cases) or `subtree` (with every court below; the default).
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtScope>)]
    pub scope: Option<String>,
    /// First month, `YYYY-MM`, not after `to` and at most 120 months before it; default
    /// January of `to`'s year.
    #[param(inline, value_type = Option<crate::openapi::vocab::Month>)]
    pub from: Option<String>,
    /// Last month, `YYYY-MM`; default this month.
    #[param(inline, value_type = Option<crate::openapi::vocab::Month>)]
    pub to: Option<String>,
    /// One case type (执, 执恢, 执保, …); default (or empty) all.
    #[param(inline, value_type = Option<crate::openapi::vocab::CaseTypeOrAll>)]
    pub case_type: Option<String>,
    /// Ranking only: the indicator key to rank by (default `on_time_with_property`); an
    /// unknown key is refused on every indicator route, 400 `invalid_indicator`.
    #[param(inline, value_type = Option<crate::openapi::vocab::Indicator>)]
    pub by: Option<String>,
}

impl IndicatorParams {
    /// The application's request; an unknown `by` is refused on every route, so that a typo
    /// is not silently ignored.
    fn request(&self) -> Result<Request, ApiError> {
        if let Some(by) = self.by.as_deref()
            && !zhixing_domain::indicators::keys().contains(&by)
        {
            return Err(ApiError::bad_request(
                "invalid_indicator",
                format!("no indicator {by:?}"),
            ));
        }
        Ok(Request {
            court_id: self.court.clone(),
            scope: self.scope.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            case_type: self.case_type.clone(),
        })
    }
}

/// The indicators of a court, alone or with every court below it, over a period.
#[utoipa::path(get, path = "/api/v1/indicators", params(IndicatorParams), responses((status = 200, body = Object)))]
pub async fn summary(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<IndicatorParams>,
) -> Result<Json<Summary>, ApiError> {
    Ok(Json(
        svc::summary(&app, &ctx.principal, &q.request()?).await?,
    ))
}

/// The indicators month by month.
#[utoipa::path(get, path = "/api/v1/indicators/trend", params(IndicatorParams), responses((status = 200, body = Object)))]
pub async fn trend(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<IndicatorParams>,
) -> Result<Json<Trend>, ApiError> {
    Ok(Json(svc::trend(&app, &ctx.principal, &q.request()?).await?))
}

/// The courts directly below, ranked by one indicator over their subtrees.
#[utoipa::path(get, path = "/api/v1/indicators/ranking", params(IndicatorParams), responses((status = 200, body = Object)))]
pub async fn ranking(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<IndicatorParams>,
) -> Result<Json<Ranking>, ApiError> {
    Ok(Json(
        svc::ranking(&app, &ctx.principal, &q.request()?, q.by.as_deref()).await?,
    ))
}
