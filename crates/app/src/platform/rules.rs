//! The rule book: shipped versions are synced into storage at start; administrators propose
//! versions and years' official calendars, and another administrator approves them (four
//! eyes), audited, in force without a restart.

use serde_json::json;
use zhixing_domain::access::{Action, Principal, Relation};
use zhixing_domain::calendar::WorkingCalendar;
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_domain::rules::{RuleError, RuleVersion};
use zhixing_store::NewEvent;
use zhixing_store::courts::CourtRow;
use zhixing_store::rules::{NewProposal, ProposalRow, RuleSource};

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
///
/// Four eyes (issue 14): nothing an administrator proposes takes effect until another
/// administrator — of the same court or of a court above it — approves it.
#[derive(Debug, Clone)]
pub enum RuleBookCommand {
    /// Proposes a version of an existing rule, in force from its date once approved.
    ProposeVersion(RuleVersion),
    /// Proposes a year's official working-day calendar (the State Council's holiday notice),
    /// as text in the format of `rules/calendar/YYYY.toml`.
    ProposeCalendar { text: String },
    /// Approves a pending proposal (it takes effect at once) or rejects it with the reason.
    Decide {
        proposal: i64,
        approve: bool,
        note: String,
    },
}

/// What a proposal is for.
pub const KIND_RULE_VERSION: &str = "rule_version";
pub const KIND_CALENDAR: &str = "calendar";

/// The fewest characters of the reason a rejection gives.
const MIN_REJECTION_CHARS: usize = 2;

/// A proposal as the doors show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Proposal {
    pub id: i64,
    /// `rule_version` or `calendar`.
    pub kind: String,
    /// The rule's id, or the calendar's year.
    pub subject: String,
    /// The proposed rule version, or for a calendar its year, source and text.
    pub body: serde_json::Value,
    pub court_id: String,
    pub proposed_by: String,
    pub proposed_at_us: i64,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at_us: Option<i64>,
    pub note: String,
}

impl Proposal {
    fn of(r: ProposalRow) -> Proposal {
        let body = if r.kind == KIND_RULE_VERSION {
            serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null)
        } else {
            let source = WorkingCalendar::year_of(&r.body)
                .map(|(_, s)| s)
                .unwrap_or_default();
            json!({"year": r.subject, "source": source, "text": r.body})
        };
        Proposal {
            id: r.id,
            kind: r.kind,
            subject: r.subject,
            body,
            court_id: r.court_id,
            proposed_by: r.proposed_by,
            proposed_at_us: r.proposed_at,
            status: r.status,
            decided_by: r.decided_by,
            decided_at_us: r.decided_at,
            note: r.note,
        }
    }

    /// The rule version a rule-version proposal carries.
    pub fn version(&self) -> Option<RuleVersion> {
        (self.kind == KIND_RULE_VERSION)
            .then(|| serde_json::from_value(self.body.clone()).ok())
            .flatten()
    }
}

/// Carries out a rule-book command for `by`: the proposal as it now stands.
pub async fn execute(
    app: &App,
    by: &Principal,
    cmd: RuleBookCommand,
) -> Result<Proposal, AppError> {
    match cmd {
        RuleBookCommand::ProposeVersion(v) => propose_version(app, by, v).await,
        RuleBookCommand::ProposeCalendar { text } => propose_calendar(app, by, &text).await,
        RuleBookCommand::Decide {
            proposal,
            approve,
            note,
        } => decide(app, by, proposal, approve, &note).await,
    }
}

/// The caller's court and the region its administrators write rules for; 403 unless an
/// administrator.
async fn administrator_region(app: &App, by: &Principal) -> Result<(CourtRow, String), AppError> {
    let court = app
        .store
        .court(&by.court_id)
        .await?
        .or_internal("court(by.court_id)")?;
    if !by.may(Action::ManageRules, &court.path) {
        return Err(AppError::forbidden(
            "only an administrator may propose or approve rule-book changes",
        ));
    }
    let region = region_of(&court.level, court.division_code.as_deref());
    Ok((court, region))
}

/// Whether an administrator writing for `own_region` may write a version for `v`'s region.
fn ensure_region(own_region: &str, v: &RuleVersion) -> Result<(), AppError> {
    let target = v.region.clone().unwrap_or_default();
    if target.starts_with(own_region) {
        return Ok(());
    }
    Err(AppError::forbidden(if own_region.is_empty() {
        "invalid region".to_owned()
    } else {
        format!(
            "an administrator of this court may add rules only for region {own_region} or within it"
        )
    }))
}

/// Whether `v` can be added to the rule book as it stands.
async fn check_version(app: &App, v: &RuleVersion) -> Result<(), AppError> {
    let book = app.rules.current(&app.store).await?;
    book.check_new_version(v).map_err(|e| match e {
        RuleError::UnknownRule(id) => {
            AppError::not_found("unknown_rule", format!("no rule {id:?}"))
        }
        RuleError::Duplicate { .. } => version_exists(v),
        other => AppError::from(rule_refused(other.to_string())),
    })
}

/// Proposes a version of an existing rule.
async fn propose_version(app: &App, by: &Principal, v: RuleVersion) -> Result<Proposal, AppError> {
    let (court, own_region) = administrator_region(app, by).await?;
    ensure_region(&own_region, &v)?;
    check_version(app, &v).await?;
    let body = serde_json::to_string(&v).or_internal("rule version as JSON")?;
    let payload = json!({"version": &v});
    insert(app, by, &court, KIND_RULE_VERSION, &v.id, &body, payload).await
}

/// Proposes a year's official calendar: national (the State Council's notice), so proposed
/// and approved by administrators who write rules for the whole country.
async fn propose_calendar(app: &App, by: &Principal, text: &str) -> Result<Proposal, AppError> {
    let (court, own_region) = administrator_region(app, by).await?;
    if !own_region.is_empty() {
        return Err(AppError::forbidden(
            "the official calendar is national: an administrator of the Supreme People's Court loads it",
        ));
    }
    let (year, _) = calendar_of(text)?;
    ensure_no_calendar(app, year).await?;
    let payload = json!({"year": year});
    insert(
        app,
        by,
        &court,
        KIND_CALENDAR,
        &year.to_string(),
        text,
        payload,
    )
    .await
}

/// The year a calendar text is for, or why it is not a calendar.
fn calendar_of(text: &str) -> Result<(i16, String), AppError> {
    WorkingCalendar::year_of(text).map_err(|e| {
        Refusal::of_reasons(
            "invalid_calendar",
            RefusalKind::Invalid,
            vec![Reason::new("calendar_text_invalid").with("detail", e.to_string())],
        )
        .into()
    })
}

/// Refuses a calendar for a year that has one (shipped or loaded): an official calendar is
/// not replaced.
async fn ensure_no_calendar(app: &App, year: i16) -> Result<(), AppError> {
    if app.calendar.current(&app.store).await?.covers(year) {
        return Err(Refusal::conflict("calendar_exists")
            .with("year", i64::from(year))
            .into());
    }
    Ok(())
}

async fn insert(
    app: &App,
    by: &Principal,
    court: &CourtRow,
    kind: &str,
    subject: &str,
    body: &str,
    payload: serde_json::Value,
) -> Result<Proposal, AppError> {
    let now_us = app.now_us();
    let actor = crate::actor_of(by);
    let mut tx = app.store.begin().await?;
    let id = tx
        .insert_rule_proposal(&NewProposal {
            kind,
            subject,
            body,
            court_id: &court.id,
            proposed_by: &actor,
            at_us: now_us,
        })
        .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: actor.clone(),
            court_id: Some(court.id.clone()),
            kind: format!("rule.{kind}_proposed"),
            subject: format!("rule_proposal:{id}"),
            payload,
        }],
    )
    .await?;
    let row = tx
        .rule_proposal_for_update(id)
        .await?
        .or_internal("the proposal just stored")?;
    tx.commit().await?;
    Ok(Proposal::of(row))
}

/// Approves or rejects a pending proposal: an administrator of the proposing court or of a
/// court above it, never the one who proposed it.
async fn decide(
    app: &App,
    by: &Principal,
    id: i64,
    approve: bool,
    note: &str,
) -> Result<Proposal, AppError> {
    let (_, own_region) = administrator_region(app, by).await?;
    let not_found = || AppError::not_found("proposal_not_found", format!("no proposal {id}"));
    let note = note.trim();
    let now_us = app.now_us();
    let actor = crate::actor_of(by);
    let mut tx = app.store.begin().await?;
    let p = tx
        .rule_proposal_for_update(id)
        .await?
        .ok_or_else(not_found)?;
    let proposing = app
        .store
        .court(&p.court_id)
        .await?
        .or_internal("court(proposal.court_id)")?;
    if !by.may(Action::ManageRules, &proposing.path)
        || by.relation_to(&proposing.path) == Relation::Unrelated
    {
        return Err(not_found());
    }
    if p.status != "pending" {
        return Err(Refusal::conflict("proposal_decided")
            .with("status", p.status.as_str())
            .into());
    }
    // Four eyes: approving one's own proposal is no approval, and rejecting it is withdrawing.
    if p.proposed_by == actor {
        return Err(Refusal::conflict("own_proposal")
            .with("what", p.kind.as_str())
            .into());
    }
    if !approve && note.chars().count() < MIN_REJECTION_CHARS {
        return Err(shared_refusal(
            "reason_required",
            Reason::new("rejection_reason").with("min", MIN_REJECTION_CHARS),
        ));
    }
    let mut events = Vec::new();
    if approve {
        match p.kind.as_str() {
            KIND_RULE_VERSION => {
                let v: RuleVersion =
                    serde_json::from_str(&p.body).or_internal("stored rule proposal")?;
                ensure_region(&own_region, &v)?;
                check_version(app, &v).await?;
                tx.put_rule_version(&v, RuleSource::Api)
                    .await
                    .map_err(|e| match e {
                        zhixing_store::StoreError::Conflict(_) => version_exists(&v),
                        other => other.into(),
                    })?;
                events.push(NewEvent {
                    actor: actor.clone(),
                    court_id: Some(by.court_id.clone()),
                    kind: "rule.version_added".into(),
                    subject: format!("rule:{}", v.id),
                    payload: json!({"version": &v, "proposal": id, "proposed_by": &p.proposed_by}),
                });
            }
            _ => {
                if !own_region.is_empty() {
                    return Err(AppError::forbidden(
                        "the official calendar is national: an administrator of the Supreme People's Court approves it",
                    ));
                }
                let (year, source) = calendar_of(&p.body)?;
                ensure_no_calendar(app, year).await?;
                tx.put_calendar_year(i64::from(year), &p.body, id)
                    .await
                    .map_err(|e| match e {
                        zhixing_store::StoreError::Conflict(_) => AppError::from(
                            Refusal::conflict("calendar_exists").with("year", i64::from(year)),
                        ),
                        other => other.into(),
                    })?;
                tx.clear_alerts(&calendar_subject(year), &[CALENDAR_ALERT], now_us)
                    .await?;
                events.push(NewEvent {
                    actor: actor.clone(),
                    court_id: Some(by.court_id.clone()),
                    kind: "rule.calendar_loaded".into(),
                    subject: format!("calendar:{year}"),
                    payload: json!({"year": year, "source": source, "proposal": id, "proposed_by": &p.proposed_by}),
                });
            }
        }
    }
    tx.decide_rule_proposal(id, approve, &actor, now_us, note)
        .await?;
    events.insert(
        0,
        NewEvent {
            actor: actor.clone(),
            court_id: Some(by.court_id.clone()),
            kind: if approve {
                "rule.proposal_approved".into()
            } else {
                "rule.proposal_rejected".into()
            },
            subject: format!("rule_proposal:{id}"),
            payload: json!({"kind": &p.kind, "subject": &p.subject, "note": note}),
        },
    );
    tx.append_events(now_us, &events).await?;
    let row = tx
        .rule_proposal_for_update(id)
        .await?
        .or_internal("the proposal just decided")?;
    tx.commit().await?;
    Ok(Proposal::of(row))
}

/// A refusal under a code other answers share (`reason_required`): its words are those of
/// its one reason, whose code is this answer's own.
fn shared_refusal(code: &'static str, reason: Reason) -> AppError {
    Refusal::of_reasons(code, RefusalKind::Invalid, vec![reason]).into()
}

/// The proposals an administrator sees: those of its court and the courts below it, pending
/// ones first, then the latest decided.
pub async fn proposals(app: &App, by: &Principal) -> Result<Vec<Proposal>, AppError> {
    administrator_region(app, by).await?;
    let mut out = Vec::new();
    let mut paths: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for p in app.store.rule_proposals(200).await? {
        let path = match paths.get(&p.court_id) {
            Some(path) => path.clone(),
            None => {
                let path = app
                    .store
                    .court(&p.court_id)
                    .await?
                    .map(|c| c.path)
                    .unwrap_or_default();
                paths.insert(p.court_id.clone(), path.clone());
                path
            }
        };
        if by.relation_to(&path) != Relation::Unrelated {
            out.push(Proposal::of(p));
        }
    }
    Ok(out)
}

/// The years whose official calendar is loaded, with the notice each follows, and the years
/// near today that have none.
pub async fn calendars(app: &App) -> Result<(Vec<(i16, String)>, Vec<i16>), AppError> {
    let calendar = app.calendar.current(&app.store).await?;
    let years = calendar.years().map(|(y, s)| (y, s.to_owned())).collect();
    Ok((years, calendar_gaps(app).await?))
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

/// The alert on the administrators' queue while a year near today has no official calendar.
pub const CALENDAR_ALERT: &str = "calendar_missing";
/// The court the calendar alert is raised at: the calendar is national.
const NATIONAL_COURT: &str = "spc";

fn calendar_subject(year: i16) -> String {
    format!("calendar:{year}")
}

/// The watch worker's step: an alert for each year from this one to the next without an
/// official calendar (deadlines reaching into it are provisional), cleared once it is loaded
/// — here, or by another process. Returns how many alerts were newly raised.
pub async fn sweep_calendar_gaps(app: &App) -> Result<usize, AppError> {
    let gaps = calendar_gaps(app).await?;
    let this = app.today().year();
    let now_us = app.now_us();
    if app.store.court(NATIONAL_COURT).await?.is_none() {
        return Ok(0);
    }
    let mut tx = app.store.begin().await?;
    let mut raised = 0;
    let mut events = Vec::new();
    for year in this..=this.saturating_add(1) {
        let subject = calendar_subject(year);
        if !gaps.contains(&year) {
            tx.clear_alerts(&subject, &[CALENDAR_ALERT], now_us).await?;
            continue;
        }
        let message = format!(
            "尚未载入 {year} 年的官方节假日安排：涉及该年的期限暂按周末计算、标为暂定。请在国务院办公厅公布通知后载入该年工作日历（须另一名系统管理员批准）"
        );
        let first = jiff::civil::date(year, 1, 1).to_string();
        if tx
            .raise_alert(
                NATIONAL_COURT,
                None,
                CALENDAR_ALERT,
                &subject,
                &message,
                &crate::command_centre::alerts::words(
                    "alert_calendar_missing",
                    &[("year", year.to_string())],
                ),
                Some(&first),
                now_us,
            )
            .await?
        {
            raised += 1;
            events.push(NewEvent {
                actor: "system:watch".into(),
                court_id: Some(NATIONAL_COURT.into()),
                kind: format!("alert.{CALENDAR_ALERT}"),
                subject: subject.clone(),
                payload: json!({"year": year}),
            });
        }
    }
    tx.append_events(now_us, &events).await?;
    tx.commit().await?;
    Ok(raised)
}

/// What waits for an administrator: the years without an official calendar (open alerts) and
/// the rule-book proposals awaiting a decision by someone other than the caller.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AdminQueue {
    pub calendar_alerts: Vec<zhixing_store::alerts::AlertItem>,
    pub proposals_to_decide: usize,
}

pub async fn admin_queue(app: &App, by: &Principal) -> Result<AdminQueue, AppError> {
    administrator_region(app, by).await?;
    let calendar_alerts = app
        .store
        .alert_page(&zhixing_store::alerts::AlertQuery {
            court_id: NATIONAL_COURT,
            subtree: None,
            kind: Some(CALENDAR_ALERT),
            before_id: None,
            limit: 10,
        })
        .await?;
    let me = crate::actor_of(by);
    let proposals_to_decide = proposals(app, by)
        .await?
        .iter()
        .filter(|p| p.status == "pending" && p.proposed_by != me)
        .count();
    Ok(AdminQueue {
        calendar_alerts,
        proposals_to_decide,
    })
}
