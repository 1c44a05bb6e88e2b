//! What the command centre reads for its doors (the alerts API, the dashboard page and its live
//! stream): open alerts a page at a time, their counts rolled up the court tree, the way down
//! from the caller's court, and the head of the event log. Each read checks first that the
//! caller may read the court's case data; a court it may not read answers as one that does
//! not exist.

use std::collections::BTreeMap;

use serde::Serialize;
use zhixing_domain::access::{Action, Principal};
use zhixing_store::alerts::{AlertItem, AlertQuery};
use zhixing_store::courts::CourtRow;

use super::alerts::KINDS;
use crate::error::AppError;
use crate::state::App;

/// The most alerts one page answers.
const MAX_PAGE: i64 = 500;

/// The court `id` (the caller's own if none), if the caller may read it and its case data;
/// 404 otherwise, never revealing that another court exists.
pub async fn readable_court(
    app: &App,
    by: &Principal,
    id: Option<&str>,
) -> Result<CourtRow, AppError> {
    crate::case::query::court_with_cases(app, by, id.unwrap_or(&by.court_id)).await
}

/// The court a dashboard is drawn for, after the same check the indicator service makes (a
/// court the caller may not read is not found).
pub async fn dashboard_court(
    app: &App,
    by: &Principal,
    court_id: &str,
) -> Result<CourtRow, AppError> {
    app.store
        .court(court_id)
        .await?
        .filter(|c| by.may(Action::ReadCaseData, &c.path))
        .ok_or_else(|| AppError::not_found("court_not_found", format!("no court {court_id}")))
}

/// The way down to `court` from the top: each court on its path the caller may read.
pub async fn crumbs(
    app: &App,
    by: &Principal,
    court: &CourtRow,
) -> Result<Vec<CourtRow>, AppError> {
    let mut out = Vec::new();
    for cid in zhixing_store::indicators::path_ids(&court.path) {
        if let Some(c) = app.store.court(cid).await?
            && by.may(Action::ReadCaseData, &c.path)
        {
            out.push(c);
        }
    }
    Ok(out)
}

/// Open alerts per kind in the subtree of `court` (a court from [`dashboard_court`]).
pub async fn open_alert_counts(
    app: &App,
    court: &CourtRow,
) -> Result<Vec<(String, i64)>, AppError> {
    Ok(app.store.open_alert_counts(&court.path).await?)
}

/// The sequence number of the newest event: the live dashboard sends again only after it
/// moved.
pub async fn event_head(app: &App) -> Result<i64, AppError> {
    Ok(app.store.last_event_seq().await?)
}

/// A page of open alerts, as asked.
#[derive(Debug, Default)]
pub struct AlertList {
    /// A court the caller may read; default the caller's own.
    pub court: Option<String>,
    /// `self` or `subtree` (default).
    pub scope: Option<String>,
    /// One kind of alert.
    pub kind: Option<String>,
    /// At most this many (1–500, default 100).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of open alerts, newest first.
#[derive(Debug, Serialize)]
pub struct AlertPage {
    /// The scope applied: `self` or `subtree`.
    pub scope: String,
    pub items: Vec<AlertItem>,
    pub next_cursor: Option<String>,
}

/// Open alerts of a court and, for those who read below it, of the courts below; each names
/// its case (id and number) for the link. A caller who reads no court below gets the court's
/// own, and the answer says so.
pub async fn alert_page(app: &App, by: &Principal, q: &AlertList) -> Result<AlertPage, AppError> {
    let subtree_asked = match q.scope.as_deref() {
        None | Some("subtree") => true,
        Some("self") => false,
        Some(_) => {
            return Err(AppError::bad_request(
                "invalid_scope",
                "scope is `self` or `subtree`",
            ));
        }
    };
    if let Some(k) = q.kind.as_deref()
        && !KINDS.contains(&k)
    {
        return Err(AppError::bad_request(
            "unknown_alert_kind",
            format!("unknown alert kind {k:?}; known: {}", KINDS.join(", ")),
        ));
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::bad_request(
            "invalid_limit",
            format!("limit must be between 1 and {MAX_PAGE}"),
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
                    AppError::bad_request(
                        "invalid_cursor",
                        "the cursor is not one this API returned",
                    )
                })?,
        ),
    };
    let court = readable_court(app, by, q.court.as_deref()).await?;
    // The subtree only if the caller reads below the court; a court without children is its
    // own subtree, and the one-court query walks the narrower index.
    let children = app.store.court_children(&court.id).await?;
    let subtree = subtree_asked
        && !children.is_empty()
        && children
            .iter()
            .all(|c| by.may(Action::ReadCaseData, &c.path));
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
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        items.last().map(|a| hex::encode(a.id.to_string()))
    } else {
        None
    };
    Ok(AlertPage {
        scope: if subtree { "subtree" } else { "self" }.into(),
        items,
        next_cursor,
    })
}

/// Open alerts counted per kind.
#[derive(Serialize, Default, Debug, Clone)]
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
#[derive(Serialize, Debug)]
pub struct ChildCounts {
    pub court_id: String,
    pub name: String,
    pub level: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The roll-up: the court's own alerts, each readable child's subtree, and the sum.
#[derive(Serialize, Debug)]
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
pub async fn alert_summary(
    app: &App,
    by: &Principal,
    court: Option<&str>,
) -> Result<AlertSummary, AppError> {
    let court = readable_court(app, by, court).await?;
    // The direct children whose data the caller may read (all or none under the current
    // roles; asked child by child so that `may` keeps the last word).
    let children: Vec<CourtRow> = app
        .store
        .court_children(&court.id)
        .await?
        .into_iter()
        .filter(|c| by.may(Action::ReadCaseData, &c.path))
        .collect();
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
    Ok(AlertSummary {
        court_id: court.id,
        name: court.name,
        own,
        children,
        total,
    })
}

/// The names of the courts `ids` (each looked up once), for lists that name an item's court.
pub async fn court_names(app: &App, ids: &[String]) -> Result<BTreeMap<String, String>, AppError> {
    let mut out = BTreeMap::new();
    for id in ids {
        if out.contains_key(id) {
            continue;
        }
        if let Some(c) = app.store.court(id).await? {
            out.insert(id.clone(), c.name);
        }
    }
    Ok(out)
}

/// Where a staff list of a court reads (alerts, listings, auctions): the court (the caller's
/// own if none; 404 if the caller may not read its case data) and whether the list takes in
/// the courts below — only if asked (`scope` `subtree`, the default), the court has any, and
/// the caller reads every one of them.
pub(crate) async fn list_scope(
    app: &App,
    by: &Principal,
    court: Option<&str>,
    scope: Option<&str>,
) -> Result<(CourtRow, bool), AppError> {
    let subtree_asked = match scope {
        None | Some("subtree") => true,
        Some("self") => false,
        Some(_) => {
            return Err(AppError::bad_request(
                "invalid_scope",
                "scope is `self` or `subtree`",
            ));
        }
    };
    let court = readable_court(app, by, court).await?;
    let children = app.store.court_children(&court.id).await?;
    let subtree = subtree_asked
        && !children.is_empty()
        && children
            .iter()
            .all(|c| by.may(Action::ReadCaseData, &c.path));
    Ok((court, subtree))
}

/// A page size asked of a staff list (1–500, default 100).
pub(crate) fn list_limit(limit: Option<i64>) -> Result<i64, AppError> {
    let limit = limit.unwrap_or(100);
    if (1..=MAX_PAGE).contains(&limit) {
        Ok(limit)
    } else {
        Err(AppError::bad_request(
            "invalid_limit",
            format!("limit must be between 1 and {MAX_PAGE}"),
        ))
    }
}

/// The id a keyset cursor stands for (the hex of the last id of the previous page).
pub(crate) fn list_cursor(cursor: Option<&str>) -> Result<Option<i64>, AppError> {
    cursor
        .map(|c| {
            hex::decode(c)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|t| t.parse::<i64>().ok())
                .ok_or_else(|| {
                    AppError::bad_request(
                        "invalid_cursor",
                        "the cursor is not one this API returned",
                    )
                })
        })
        .transpose()
}

/// The cursor of the page after `last_id`.
pub(crate) fn next_cursor(last_id: i64) -> String {
    hex::encode(last_id.to_string())
}
