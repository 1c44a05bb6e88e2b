//! The rule book: shipped versions are synced into storage at start; administrators add
//! versions through the API, audited, without a restart.

use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_domain::rules::{RuleError, RuleVersion};
use zhixing_store::NewEvent;
use zhixing_store::rules::RuleSource;

use crate::error::{AppError, OrInternal};
use crate::state::App;

/// Copies the shipped `rules/*.toml` into storage; returns how many versions were new or
/// changed. Each one is an event.
pub async fn sync_shipped(app: &App, actor: &str) -> Result<usize, AppError> {
    let book = crate::embedded::rule_book().or_internal("shipped rule book is invalid")?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let mut events = Vec::new();
    for v in book.versions() {
        if tx.put_rule_version(v, RuleSource::File).await? {
            events.push(NewEvent {
                actor: actor.to_owned(),
                court_id: None,
                kind: "rule.version_loaded".into(),
                subject: format!("rule:{}", v.id),
                payload: serde_json::to_value(v).unwrap_or_default(),
            });
        }
    }
    tx.append_events(now_us, &events).await?;
    tx.commit().await?;
    Ok(events.len())
}

/// The region prefix a court's administrator may write rules for: "" at the SPC, the
/// province's two digits at a high court, four at an intermediate court, six at a basic court.
pub fn region_of(level: &str, division_code: Option<&str>) -> String {
    let d = division_code.unwrap_or("");
    let n = match level {
        "high" => 2,
        "intermediate" => 4,
        "basic" => 6,
        _ => 0,
    };
    d.get(..n).unwrap_or("").to_owned()
}

/// A change to the rule book (规则库) an administrator can make. Executed by [`execute`].
#[derive(Debug, Clone)]
pub enum RuleBookCommand {
    /// Adds a version of an existing rule, in force from its date without a restart.
    AddVersion(RuleVersion),
}

/// Carries out a rule-book command for `by`.
pub async fn execute(app: &App, by: &Principal, cmd: RuleBookCommand) -> Result<(), AppError> {
    match cmd {
        RuleBookCommand::AddVersion(v) => add_version(app, by, v).await,
    }
}

/// Adds a version of an existing rule.
async fn add_version(app: &App, by: &Principal, v: RuleVersion) -> Result<(), AppError> {
    let court = app
        .store
        .court(&by.court_id)
        .await?
        .or_internal("court(by.court_id)")?;
    if !by.may(Action::ManageRules, &court.path) {
        return Err(AppError::forbidden(
            "only an administrator may add rule versions",
        ));
    }
    let own_region = region_of(&court.level, court.division_code.as_deref());
    let target = v.region.clone().unwrap_or_default();
    if !target.starts_with(&own_region) {
        return Err(AppError::forbidden(if own_region.is_empty() {
            "invalid region".to_owned()
        } else {
            format!(
                "an administrator of this court may add rules only for region {own_region} or within it"
            )
        }));
    }
    let book = app.rules.current(&app.store).await?;
    book.check_new_version(&v).map_err(|e| match e {
        RuleError::UnknownRule(id) => {
            AppError::not_found("unknown_rule", format!("no rule {id:?}"))
        }
        RuleError::Duplicate { .. } => version_exists(&v),
        other => AppError::from(rule_refused(other.to_string())),
    })?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    tx.put_rule_version(&v, RuleSource::Api)
        .await
        .map_err(|e| match e {
            zhixing_store::StoreError::Conflict(_) => version_exists(&v),
            other => other.into(),
        })?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(by.court_id.clone()),
            kind: "rule.version_added".into(),
            subject: format!("rule:{}", v.id),
            payload: json!(v),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A version of the rule from that day (for that region) exists already.
fn version_exists(v: &RuleVersion) -> AppError {
    Refusal::conflict("rule_version_exists")
        .with("rule", v.id.as_str())
        .with("effective_from", v.effective_from)
        .into()
}

/// A rule version that cannot be taken, with what is wrong with it (`detail`, the rule book's
/// own words).
pub fn rule_refused(detail: impl Into<String>) -> Refusal {
    Refusal::of_reasons(
        "invalid_rule",
        RefusalKind::Invalid,
        vec![Reason::new("rule_version_invalid").with("detail", detail.into())],
    )
}

/// The rule book as it stands (shipped versions and those added since).
pub async fn book(app: &App) -> Result<std::sync::Arc<zhixing_domain::rules::RuleBook>, AppError> {
    app.rules.current(&app.store).await
}

/// Whether the database answers (readiness).
pub async fn ping(app: &App) -> Result<(), AppError> {
    Ok(app.store.ping().await?)
}

/// The years from this one to the next that have no official holiday calendar loaded: a
/// deadline reaching into one is reckoned on weekends alone and shown as provisional. Said at
/// start-up and by `/readyz` so that it is never silent.
pub async fn calendar_gaps(app: &App) -> Result<Vec<i16>, AppError> {
    let calendar = app.calendar.current(&app.store).await?;
    let this = app.today().year();
    Ok((this..=this.saturating_add(1))
        .filter(|y| !calendar.covers(*y))
        .collect())
}
