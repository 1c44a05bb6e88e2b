//! Audited reads: reading a sensitive field (a personal ID number, a balance) is itself an
//! event on the chain, naming who read what.

use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_store::NewEvent;

use crate::error::AppError;
use crate::state::App;

/// Records that `by` read `fields` of `subject` (e.g. `party:17`, `["id_number"]`).
pub async fn record_sensitive_read(
    app: &App,
    by: &Principal,
    court_id: &str,
    subject: &str,
    fields: &[&str],
) -> Result<(), AppError> {
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(court_id.to_owned()),
            kind: "read.sensitive".into(),
            subject: subject.to_owned(),
            payload: json!({"fields": fields}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What an auditor is told of the audit chain. The chain is one and is walked whole, but an
/// auditor below the SPC sees the figures of their own courts only: how many entries they
/// wrote, the hash of the last, and where it breaks only when the break is theirs; its
/// national size and head are the SPC's auditors' to see.
#[derive(Debug, Clone)]
pub struct ChainReport {
    /// `national`, or the court whose reach the figures cover.
    pub scope: String,
    pub intact: bool,
    pub entries: i64,
    /// The hash of the last entry in scope (the national head for the SPC).
    pub head_hash: Option<String>,
    /// The first bad entry and why, when it lies in scope.
    pub first_bad: Option<zhixing_domain::audit::ChainBreak>,
}

/// Verifies the audit chain for an auditor. Auditors only.
pub async fn chain(app: &App, by: &Principal) -> Result<ChainReport, AppError> {
    if !by.may(Action::ReadAudit, &by.court_path) {
        return Err(AppError::forbidden(
            "only an auditor may verify the audit chain",
        ));
    }
    if by.court_id == zhixing_domain::court::SPC_ID {
        let (entries, head) = app.store.chain_head().await?;
        let check = app.store.verify_chain_within(None).await?;
        return Ok(ChainReport {
            scope: "national".to_owned(),
            intact: check.verdict.is_ok(),
            entries,
            head_hash: Some(head),
            first_bad: check.verdict.err(),
        });
    }
    let courts: std::collections::HashSet<String> = app
        .store
        .courts_under(&by.court_path, "", i64::MAX)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let check = app.store.verify_chain_within(Some(&courts)).await?;
    Ok(ChainReport {
        scope: by.court_id.clone(),
        intact: check.verdict.is_ok(),
        entries: check.entries_within,
        head_hash: check.last_within.map(|(_, h)| h),
        first_bad: check.verdict.err().filter(|_| check.break_within),
    })
}

/// The length and head hash of the chain as an auditor may see them (their courts' entries
/// and the last one's hash below the SPC), for their home page; none for anyone else.
pub async fn head_for(app: &App, by: &Principal) -> Result<Option<(i64, String)>, AppError> {
    if !by.may(Action::ReadAudit, &by.court_path) {
        return Ok(None);
    }
    if by.court_id == zhixing_domain::court::SPC_ID {
        return Ok(Some(app.store.chain_head().await?));
    }
    let (n, last) = app.store.chain_figures_under(&by.court_path).await?;
    Ok(Some((n, last.unwrap_or_default())))
}

/// Events of the auditor's court and the courts below it, after `after`, at most `limit`
/// (1–1000), only about `subject` if one is named.
pub async fn events(
    app: &App,
    by: &Principal,
    q: &EventQuery,
) -> Result<Vec<zhixing_store::events::EventRecord>, AppError> {
    if !by.may(Action::ReadAudit, &by.court_path) {
        return Err(AppError::forbidden(
            "only an auditor may read the audit trail",
        ));
    }
    if !(1..=1000).contains(&q.limit) {
        return Err(AppError::bad_request(
            "invalid_limit",
            "limit must be between 1 and 1000",
        ));
    }
    // A court named must be within the auditor's reach; its subtree is searched.
    let path = match q.court.as_deref().filter(|c| !c.is_empty()) {
        None => by.court_path.clone(),
        Some(id) => match app.store.court(id).await? {
            Some(c) if c.path.starts_with(&by.court_path) => c.path,
            _ => {
                return Err(AppError::not_found(
                    "court_not_found",
                    format!("no court {id} within the auditor's courts"),
                ));
            }
        },
    };
    let day_start = |d: jiff::civil::Date| {
        d.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .map(|z| z.timestamp().as_microsecond())
            .map_err(|_| AppError::bad_request("invalid_date", "a day out of range"))
    };
    let from_us = q.from.map(day_start).transpose()?;
    let until_us =
        q.to.map(|d| {
            d.checked_add(jiff::Span::new().days(1))
                .map_err(|_| AppError::bad_request("invalid_date", "a day out of range"))
                .and_then(day_start)
        })
        .transpose()?;
    let newest_first = q.before.is_some();
    Ok(app
        .store
        .list_events(&zhixing_store::events::EventFilter {
            after_seq: q.after.unwrap_or(0),
            limit: q.limit,
            subject: q.subject.clone().filter(|s| !s.is_empty()),
            court_path_prefix: Some(path),
            newest_first,
            before_seq: q.before,
            kind_prefix: q.kind.clone().filter(|s| !s.is_empty()),
            from_us,
            until_us,
        })
        .await?)
}

/// A search of the audit trail, as the API's parameters and the audit page's form give it.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// Events after this sequence number, oldest first (the API's feed).
    pub after: Option<i64>,
    /// Events before this sequence number, newest first (the next page back).
    pub before: Option<i64>,
    pub limit: i64,
    /// Exactly this subject (`case:12`, `user:3`).
    pub subject: Option<String>,
    /// This court and the courts below it, within the auditor's.
    pub court: Option<String>,
    /// Kinds starting with this (`case.`, `funds.payout`).
    pub kind: Option<String>,
    /// Beijing days, inclusive.
    pub from: Option<jiff::civil::Date>,
    pub to: Option<jiff::civil::Date>,
}

/// The last `limit` events of the auditor's courts, oldest first.
pub async fn recent(
    app: &App,
    by: &Principal,
    limit: i64,
) -> Result<Vec<zhixing_store::events::EventRecord>, AppError> {
    if !by.may(Action::ReadAudit, &by.court_path) {
        return Err(AppError::forbidden(
            "only an auditor may read the audit trail",
        ));
    }
    let mut events = app
        .store
        .list_events(&zhixing_store::events::EventFilter {
            after_seq: 0,
            limit,
            subject: None,
            court_path_prefix: Some(by.court_path.clone()),
            newest_first: true,
            ..Default::default()
        })
        .await?;
    events.reverse();
    Ok(events)
}
