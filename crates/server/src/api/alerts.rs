//! The command centre's alerts over HTTP: the list of a court or its subtree, a page at a
//! time, and the counts rolled up the court hierarchy. The watch worker raises and clears them
//! (`service::alerts`, `service::watch`); these routes only read.

use std::collections::BTreeMap;

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhixing_domain::access::Action;
use zhixing_store::alerts::{AlertItem, AlertQuery};
use zhixing_store::courts::CourtRow;

use super::Ctx;
use crate::error::{ApiError, Json, Query};
use zhixing_app::command_centre::alerts::KINDS;
use zhixing_app::state::App;

/// The court named by `court` (default the caller's), if the caller may read its case data:
/// a court it may not read is answered as one that does not exist.
async fn readable_court(app: &App, ctx: &Ctx, court: Option<&str>) -> Result<CourtRow, ApiError> {
    let id = court.unwrap_or(&ctx.principal.court_id);
    let court = super::courts::visible_court(app, ctx, id).await?;
    if !ctx.principal.may(Action::ReadCaseData, &court.path) {
        return Err(ApiError::not_found(
            "court_not_found",
            format!("no court {id:?}"),
        ));
    }
    Ok(court)
}

/// The direct children of a court whose data the caller may read (all or none under the
/// current roles; asked child by child so that `may` keeps the last word).
async fn readable_children(
    app: &App,
    ctx: &Ctx,
    court: &CourtRow,
) -> Result<Vec<CourtRow>, ApiError> {
    Ok(app
        .store
        .court_children(&court.id)
        .await?
        .into_iter()
        .filter(|c| ctx.principal.may(Action::ReadCaseData, &c.path))
        .collect())
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// A court the caller may read; default the caller's own.
    pub court: Option<String>,
    /// `self` (the court's own alerts) or `subtree` (with every court below it; default).
    /// A caller who reads no court below gets `self`, and the answer says so.
    pub scope: Option<String>,
    /// One kind of alert, e.g. `node_overdue`.
    pub kind: Option<String>,
    /// At most this many (1–500, default 100).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of open alerts, newest first.
#[derive(Serialize, ToSchema)]
pub struct AlertPage {
    /// The scope applied: `self` or `subtree`.
    pub scope: String,
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<AlertItem>,
    pub next_cursor: Option<String>,
}

/// Open alerts of a court and, for those who read below it, of the courts below; each names
/// its case (id and number) for the link.
#[utoipa::path(get, path = "/api/v1/alerts", params(ListParams),
    responses((status = 200, body = AlertPage), (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<ListParams>,
) -> Result<Json<AlertPage>, ApiError> {
    let subtree_asked = match q.scope.as_deref() {
        None | Some("subtree") => true,
        Some("self") => false,
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_scope",
                "scope is `self` or `subtree`",
            ));
        }
    };
    if let Some(k) = q.kind.as_deref()
        && !KINDS.contains(&k)
    {
        return Err(ApiError::bad_request(
            "unknown_alert_kind",
            format!("unknown alert kind {k:?}; known: {}", KINDS.join(", ")),
        ));
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            "limit must be between 1 and 500",
        ));
    }
    let before_id = match q.cursor.as_deref() {
        None => None,
        Some(c) => Some(
            hex::decode(c)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|t| t.parse::<i64>().ok())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_cursor",
                        "the cursor is not one this API returned",
                    )
                })?,
        ),
    };
    let court = readable_court(&app, &ctx, q.court.as_deref()).await?;
    // The subtree only if the caller reads below the court; a court without children is its
    // own subtree, and the one-court query walks the narrower index.
    let children = app.store.court_children(&court.id).await?;
    let subtree = subtree_asked
        && !children.is_empty()
        && children
            .iter()
            .all(|c| ctx.principal.may(Action::ReadCaseData, &c.path));
    let mut items = app
        .store
        .alert_page(&AlertQuery {
            court_id: &court.id,
            subtree: subtree.then_some(court.path.as_str()),
            kind: q.kind.as_deref(),
            before_id,
            limit: limit + 1,
        })
        .await?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = if more {
        items.last().map(|a| hex::encode(a.id.to_string()))
    } else {
        None
    };
    Ok(Json(AlertPage {
        scope: if subtree { "subtree" } else { "self" }.into(),
        items,
        next_cursor,
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SummaryParams {
    /// A court the caller may read; default the caller's own.
    pub court: Option<String>,
}

/// Open alerts counted per kind.
#[derive(Serialize, ToSchema, Default, Debug, Clone)]
pub struct Counts {
    pub total: i64,
    /// Kind → count; kinds without an open alert are left out.
    pub by_kind: BTreeMap<String, i64>,
}

impl Counts {
    fn add(&mut self, kind: &str, n: i64) {
        self.total += n;
        *self.by_kind.entry(kind.to_owned()).or_default() += n;
    }
}

/// A direct child court and the open alerts of its whole subtree.
#[derive(Serialize, ToSchema)]
pub struct ChildCounts {
    pub court_id: String,
    pub name: String,
    pub level: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The roll-up: the court's own alerts, each readable child's subtree, and the sum.
#[derive(Serialize, ToSchema)]
pub struct AlertSummary {
    pub court_id: String,
    pub name: String,
    /// Alerts raised at the court itself.
    pub own: Counts,
    /// One row per direct child the caller may read (all of them, zeros included, so that a
    /// dashboard can rank them); empty for a caller who reads no court below.
    pub children: Vec<ChildCounts>,
    /// `own` plus the children shown.
    pub total: Counts,
}

/// Open alerts per kind for a court and for each direct child's subtree, counted in one SQL
/// statement over the alerts and the courts' materialised paths.
#[utoipa::path(get, path = "/api/v1/alerts/summary", params(SummaryParams),
    responses((status = 200, body = AlertSummary), (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn summary(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<SummaryParams>,
) -> Result<Json<AlertSummary>, ApiError> {
    let court = readable_court(&app, &ctx, q.court.as_deref()).await?;
    let children = readable_children(&app, &ctx, &court).await?;
    let mut own = Counts::default();
    let mut per_child: BTreeMap<String, Counts> = BTreeMap::new();
    for c in app.store.alert_counts(&court.id).await? {
        if c.scope == court.id {
            own.add(&c.kind, c.n);
        } else {
            per_child.entry(c.scope).or_default().add(&c.kind, c.n);
        }
    }
    let mut total = own.clone();
    let children: Vec<ChildCounts> = children
        .into_iter()
        .map(|ch| {
            let counts = per_child.remove(&ch.id).unwrap_or_default();
            for (k, n) in &counts.by_kind {
                total.add(k, *n);
            }
            ChildCounts {
                court_id: ch.id,
                name: ch.name,
                level: ch.level,
                counts,
            }
        })
        .collect();
    Ok(Json(AlertSummary {
        court_id: court.id,
        name: court.name,
        own,
        children,
        total,
    }))
}
