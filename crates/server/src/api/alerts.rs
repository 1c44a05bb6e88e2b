//! The command centre's alerts over HTTP: the list of a court or its subtree, a page at a
//! time, and the counts rolled up the court hierarchy. The watch worker raises and clears them
//! (`command_centre::alerts`, `command_centre::watch`); these routes only read, through
//! `command_centre::query`.

use std::collections::BTreeMap;

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Ctx;
use crate::error::{ApiError, Json, Query};
use zhixing_app::command_centre::query::{self, AlertList};
use zhixing_app::state::App;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// A court the caller may read; default the caller's own.
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtId>)]
    pub court: Option<String>,
    /// `self` (the court's own alerts) or `subtree` (with every court below it; default).
    /// A caller who reads no court below gets `self`, and the answer says so.
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtScope>)]
    pub scope: Option<String>,
    /// One kind of alert, e.g. `node_overdue`.
    #[param(inline, value_type = Option<crate::openapi::vocab::AlertKind>)]
    pub kind: Option<String>,
    /// At most this many (1–500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of open alerts, newest first (the OpenAPI description of
/// `command_centre::query::AlertPage`).
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // a description for the OpenAPI document, never built
pub struct AlertPage {
    /// The scope applied: `self` or `subtree`.
    scope: String,
    #[schema(value_type = Vec<Object>)]
    items: Vec<()>,
    next_cursor: Option<String>,
}

/// Open alerts of a court and, for those who read below it, of the courts below; each names
/// its case (id and number) for the link.
#[utoipa::path(get, path = "/api/v1/alerts", params(ListParams),
    responses((status = 200, body = AlertPage), (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<ListParams>,
) -> Result<Json<query::AlertPage>, ApiError> {
    let asked = AlertList {
        court: q.court,
        scope: q.scope,
        kind: q.kind,
        limit: q.limit,
        cursor: q.cursor,
    };
    Ok(Json(query::alert_page(&app, &ctx.principal, &asked).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryParams {
    /// A court the caller may read; default the caller's own.
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtId>)]
    pub court: Option<String>,
}

/// Open alerts counted per kind.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // a description for the OpenAPI document, never built
pub struct Counts {
    total: i64,
    /// Kind → count; kinds without an open alert are left out.
    by_kind: BTreeMap<String, i64>,
}

/// A direct child court and the open alerts of its whole subtree.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // a description for the OpenAPI document, never built
pub struct ChildCounts {
    court_id: String,
    name: String,
    level: String,
    #[serde(flatten)]
    counts: Counts,
}

/// The roll-up: the court's own alerts, each readable child's subtree, and the sum (the
/// OpenAPI description of `command_centre::query::AlertSummary`).
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // a description for the OpenAPI document, never built
pub struct AlertSummary {
    court_id: String,
    name: String,
    /// Alerts raised at the court itself.
    own: Counts,
    /// One row per direct child the caller may read (all of them, zeros included, so that a
    /// dashboard can rank them); empty for a caller who reads no court below.
    children: Vec<ChildCounts>,
    /// `own` plus the children shown.
    total: Counts,
}

/// Open alerts per kind for a court and for each direct child's subtree, counted in one SQL
/// statement over the alerts and the courts' materialised paths.
#[utoipa::path(get, path = "/api/v1/alerts/summary", params(SummaryParams),
    responses((status = 200, body = AlertSummary), (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn summary(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<SummaryParams>,
) -> Result<Json<query::AlertSummary>, ApiError> {
    Ok(Json(
        query::alert_summary(&app, &ctx.principal, q.court.as_deref()).await?,
    ))
}
