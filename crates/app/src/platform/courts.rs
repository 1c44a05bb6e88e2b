//! Loading the court hierarchy from the administrative divisions.

use serde_json::json;
use zhixing_domain::court::Scope;
use zhixing_store::NewEvent;

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
