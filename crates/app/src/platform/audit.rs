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

/// The state of the audit chain: its length, its head's hash, and whether it verifies (the
/// first entry that does not, otherwise). Auditors only.
pub async fn chain(
    app: &App,
    by: &Principal,
) -> Result<(i64, String, Result<i64, zhixing_domain::audit::ChainBreak>), AppError> {
    if !by.may(Action::ReadAudit, &by.court_path) {
        return Err(AppError::forbidden(
            "only an auditor may verify the audit chain",
        ));
    }
    let (entries, head) = app.store.chain_head().await?;
    let verdict = app.store.verify_chain().await?;
    Ok((entries, head, verdict))
}

/// The length and head hash of the chain, for the home page of an auditor (none otherwise).
pub async fn head_for(app: &App, by: &Principal) -> Result<Option<(i64, String)>, AppError> {
    if by.may(Action::ReadAudit, &by.court_path) {
        Ok(Some(app.store.chain_head().await?))
    } else {
        Ok(None)
    }
}

/// Events of the auditor's court and the courts below it, after `after`, at most `limit`
/// (1–1000), only about `subject` if one is named.
pub async fn events(
    app: &App,
    by: &Principal,
    after: i64,
    limit: i64,
    subject: Option<String>,
) -> Result<Vec<zhixing_store::events::EventRecord>, AppError> {
    if !by.may(Action::ReadAudit, &by.court_path) {
        return Err(AppError::forbidden(
            "only an auditor may read the audit trail",
        ));
    }
    if !(1..=1000).contains(&limit) {
        return Err(AppError::bad_request(
            "invalid_limit",
            "limit must be between 1 and 1000",
        ));
    }
    Ok(app
        .store
        .list_events(&zhixing_store::events::EventFilter {
            after_seq: after,
            limit,
            subject,
            court_path_prefix: Some(by.court_path.clone()),
        })
        .await?)
}
