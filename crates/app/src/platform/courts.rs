//! Loading the court hierarchy from the administrative divisions.

use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::court::{CourtId, Scope};
use zhixing_store::NewEvent;
use zhixing_store::courts::CourtRow;

use zhixing_domain::refusal::Refusal;

use crate::error::{AppError, OrInternal};
use crate::state::App;

/// Creates or refreshes the courts of a scope; returns (courts in scope, newly created).
pub async fn generate(app: &App, scope: &Scope, actor: &str) -> Result<(usize, u64), AppError> {
    let divisions = crate::embedded::divisions().or_internal("division data")?;
    let courts = divisions.courts(scope).map_err(|e| {
        AppError::from(Refusal::invalid("invalid_scope").with("detail", e.to_string()))
    })?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let created = tx.upsert_courts(&courts).await?;
    let scope_name = match scope {
        Scope::National => "national".to_owned(),
        Scope::Province(p) => p.clone(),
    };
    tx.append_events(now_us, &[NewEvent {
        actor: actor.to_owned(),
        court_id: Some(zhixing_domain::court::SPC_ID.to_owned()),
        kind: "courts.generated".into(),
        subject: "courts".into(),
        payload: json!({"scope": scope_name, "courts": courts.len(), "created": created, "source": "china-division 2.7.0 (GB/T 2260)"}),
    }])
    .await?;
    tx.commit().await?;
    Ok((courts.len(), created))
}

fn court_not_found(id: &str) -> AppError {
    AppError::not_found("court_not_found", format!("no court {id:?}"))
}

/// A court the caller may read; not found otherwise (never revealing that another court's
/// exists).
pub async fn visible(app: &App, by: &Principal, id: &str) -> Result<CourtRow, AppError> {
    CourtId::parse(id).map_err(|e| AppError::bad_request("invalid_court_id", e.to_string()))?;
    let court = app
        .store
        .court(id)
        .await?
        .ok_or_else(|| court_not_found(id))?;
    if by.may(Action::ReadCourt, &court.path) {
        Ok(court)
    } else {
        Err(court_not_found(id))
    }
}

/// The caller's own court.
pub async fn own(app: &App, by: &Principal) -> Result<CourtRow, AppError> {
    app.store
        .court(&by.court_id)
        .await?
        .or_internal("court(by.court_id)")
}

/// The court with case-number code `code`, if the caller may read it.
pub async fn by_code(app: &App, by: &Principal, code: &str) -> Result<Option<CourtRow>, AppError> {
    Ok(app
        .store
        .court_by_code(code)
        .await?
        .filter(|c| by.may(Action::ReadCourt, &c.path)))
}

/// The courts the caller may see in path order after `after`: its own and, for supervisory
/// roles, every court below; at most `limit`.
pub async fn visible_under(
    app: &App,
    by: &Principal,
    after: &str,
    limit: i64,
) -> Result<Vec<CourtRow>, AppError> {
    let own = &by.court_path;
    Ok(if by.reads_below() {
        app.store.courts_under(own, after, limit).await?
    } else {
        app.store
            .courts_under(own, after, 1)
            .await?
            .into_iter()
            .filter(|c| &c.path == own)
            .collect()
    })
}

/// How many courts lie below the caller's, for a supervisory role (0 otherwise).
pub async fn count_below(app: &App, by: &Principal) -> Result<usize, AppError> {
    Ok(if by.reads_below() {
        app.store
            .courts_under(&by.court_path, "", 10_000)
            .await?
            .len()
            .saturating_sub(1)
    } else {
        0
    })
}

/// The courts directly below court `id` (which the caller may read) that the caller may see.
pub async fn children(app: &App, by: &Principal, id: &str) -> Result<Vec<CourtRow>, AppError> {
    let court = visible(app, by, id).await?;
    Ok(app
        .store
        .court_children(&court.id)
        .await?
        .into_iter()
        .filter(|c| by.may(Action::ReadCourt, &c.path))
        .collect())
}

/// The courts directly below court `id`, each with how many courts it has below it. The
/// caller's own court's children only for a supervisory role.
pub async fn children_counts(
    app: &App,
    by: &Principal,
    court: &CourtRow,
) -> Result<Vec<(CourtRow, i64)>, AppError> {
    if court.id == by.court_id && !by.reads_below() {
        return Ok(Vec::new());
    }
    Ok(app
        .store
        .court_children_counts(&court.id)
        .await?
        .into_iter()
        .filter(|(c, _)| by.may(Action::ReadCourt, &c.path))
        .collect())
}
