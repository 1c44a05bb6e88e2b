//! The audit trail (auditors).

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhixing_app::platform::audit;

use super::Ctx;
use crate::error::{ApiError, Json, Query};
use zhixing_app::state::App;

#[derive(Serialize, ToSchema)]
pub struct VerifyOut {
    /// `national` for the SPC's auditors; otherwise the auditor's court, whose reach (it and
    /// the courts below) the figures cover.
    pub scope: String,
    /// Whether the one chain verifies from its first entry to its head.
    pub intact: bool,
    /// Entries in scope.
    pub entries: i64,
    /// The hash of the last entry in scope (the chain's head, nationally).
    pub head_hash: Option<String>,
    /// The first entry that does not verify, when it lies in scope.
    pub first_bad_entry: Option<i64>,
    /// Why the chain does not verify: the entry's fault in scope, else that the break lies
    /// outside the auditor's courts.
    pub reason: Option<String>,
}

/// Verifies the audit chain; the figures are those of the auditor's courts (nationally for
/// the SPC's auditors).
#[utoipa::path(get, path = "/api/v1/audit/verify", responses((status = 200, body = VerifyOut), (status = 403, body = crate::error::Problem)))]
pub async fn verify(State(app): State<App>, ctx: Ctx) -> Result<Json<VerifyOut>, ApiError> {
    let r = audit::chain(&app, &ctx.principal).await?;
    let reason = match (&r.first_bad, r.intact) {
        (Some(b), _) => Some(b.reason.clone()),
        (None, false) => Some("the chain breaks at an entry outside your courts".to_owned()),
        (None, true) => None,
    };
    Ok(Json(VerifyOut {
        scope: r.scope,
        intact: r.intact,
        entries: r.entries,
        head_hash: r.head_hash,
        first_bad_entry: r.first_bad.map(|b| b.seq),
        reason,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventParams {
    /// Return events after this sequence number.
    pub after: Option<i64>,
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Only events about this subject, e.g. `user:3`, `case:12`.
    pub subject: Option<String>,
    /// Events before this sequence number, newest first (the next page back); otherwise
    /// events come oldest first after `after`.
    pub before: Option<i64>,
    /// Only events of this court and the courts below it (within the auditor's).
    pub court: Option<String>,
    /// Only events whose kind starts with this, e.g. `funds.payout` or `case.`.
    pub kind: Option<String>,
    /// Only events on or after this Beijing day, YYYY-MM-DD.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<jiff::civil::Date>,
    /// Only events on or before this Beijing day, YYYY-MM-DD.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<jiff::civil::Date>,
}

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub court_id: Option<String>,
    pub kind: String,
    pub subject: String,
    pub payload: serde_json::Value,
    pub hash: String,
}

/// Events of the auditor's court and the courts below it: oldest first after `after`, or
/// newest first before `before`; filtered by subject, court, kind and days.
#[utoipa::path(get, path = "/api/v1/events", params(EventParams), responses((status = 200, body = [EventOut]), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn events(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<EventParams>,
) -> Result<Json<Vec<EventOut>>, ApiError> {
    let query = audit::EventQuery {
        after: q.after,
        before: q.before,
        limit: q.limit.unwrap_or(100),
        subject: q.subject,
        court: q.court,
        kind: q.kind,
        from: q.from,
        to: q.to,
    };
    let rows = audit::events(&app, &ctx.principal, &query).await?;
    let mut out = Vec::with_capacity(rows.len());
    for e in rows {
        out.push(EventOut {
            seq: e.seq,
            at: zhixing_store::from_micros(e.at_us)?.to_string(),
            actor: e.actor,
            court_id: e.court_id,
            kind: e.kind,
            subject: e.subject,
            payload: serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null),
            hash: e.hash,
        });
    }
    Ok(Json(out))
}
