//! The court directory, as far as the caller may see it.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhixing_app::platform::courts;
use zhixing_domain::court::CourtCode;
use zhixing_store::courts::CourtRow;

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use zhixing_app::state::App;

#[derive(Serialize, ToSchema)]
pub struct CourtOut {
    /// Stable ASCII id, e.g. `b110105`.
    pub id: String,
    /// Court code used in case numbers, e.g. `京0105`.
    pub code: String,
    pub name: String,
    /// supreme | high | intermediate | basic
    pub level: String,
    pub parent_id: Option<String>,
    /// GB/T 2260 division code.
    pub division_code: Option<String>,
}

impl From<CourtRow> for CourtOut {
    fn from(c: CourtRow) -> Self {
        CourtOut {
            id: c.id,
            code: c.code,
            name: c.name,
            level: c.level,
            parent_id: c.parent_id,
            division_code: c.division_code,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CourtPage {
    pub items: Vec<CourtOut>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Page size, 1–1000 (default 200).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// `next_cursor` of the page before (opaque: any other value is refused, 400
    /// `invalid_cursor`).
    pub cursor: Option<String>,
    /// Only courts of this level.
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtLevel>)]
    pub level: Option<String>,
    /// The court with this case-number code, e.g. `京0105`.
    pub code: Option<String>,
}

/// A court the caller may read, or 404 (never revealing that another court's exists).
pub async fn visible_court(app: &App, ctx: &Ctx, id: &str) -> Result<CourtRow, ApiError> {
    Ok(courts::visible(app, &ctx.principal, id).await?)
}

/// Courts visible to the caller: its own court, and for supervisory roles every court below.
#[utoipa::path(get, path = "/api/v1/courts", params(ListParams),
    responses((status = 200, body = CourtPage), (status = 401, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<ListParams>,
) -> Result<Json<CourtPage>, ApiError> {
    let limit = q.limit.unwrap_or(200);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            "limit must be between 1 and 1000",
        ));
    }
    if let Some(l) = &q.level
        && zhixing_domain::court::CourtLevel::parse(l).is_none()
    {
        return Err(ApiError::bad_request(
            "invalid_level",
            "level is supreme, high, intermediate or basic",
        ));
    }
    if let Some(code) = &q.code {
        let code = CourtCode::parse(code)
            .map_err(|e| ApiError::bad_request("invalid_court_code", e.to_string()))?;
        let found = courts::by_code(&app, &ctx.principal, code.as_str()).await?;
        let items = found.map(CourtOut::from).into_iter().collect();
        return Ok(Json(CourtPage {
            items,
            next_cursor: None,
        }));
    }
    let after = match &q.cursor {
        None => String::new(),
        Some(c) => hex::decode(c)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| {
                ApiError::bad_request("invalid_cursor", "the cursor is not one this API returned")
            })?,
    };
    let rows = courts::visible_under(&app, &ctx.principal, &after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    let mut items: Vec<CourtRow> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more {
        items.last().map(|c| hex::encode(c.path.as_bytes()))
    } else {
        None
    };
    if let Some(l) = &q.level {
        items.retain(|c| &c.level == l);
    }
    Ok(Json(CourtPage {
        items: items.into_iter().map(CourtOut::from).collect(),
        next_cursor,
    }))
}

/// One court.
#[utoipa::path(get, path = "/api/v1/courts/{id}", params(("id" = inline(crate::openapi::vocab::CourtId), Path, description = "court id")),
    responses((status = 200, body = CourtOut), (status = 404, body = crate::error::Problem)))]
pub async fn get_one(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<CourtOut>, ApiError> {
    Ok(Json(visible_court(&app, &ctx, &id).await?.into()))
}

/// The courts directly below a court, as far as the caller may see them.
#[utoipa::path(get, path = "/api/v1/courts/{id}/children", params(("id" = inline(crate::openapi::vocab::CourtId), Path, description = "court id")),
    responses((status = 200, body = [CourtOut]), (status = 404, body = crate::error::Problem)))]
pub async fn children(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<Vec<CourtOut>>, ApiError> {
    let kids = courts::children(&app, &ctx.principal, &id).await?;
    Ok(Json(kids.into_iter().map(CourtOut::from).collect()))
}
