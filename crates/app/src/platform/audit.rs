//! Audited reads: reading a sensitive field (a personal ID number, a balance) is itself an
//! event on the chain, naming who read what.

use serde_json::json;
use zhixing_domain::access::Principal;
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
