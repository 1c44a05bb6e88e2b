//! Entrusted tasks between courts (事项委托, DOMAIN §9): the court handling a case asks another
//! court to do one act for it; the receiving court accepts or declines, then returns the
//! result with its documents; the watch worker raises an alert at both courts when a task
//! runs past its last day (rule `commission.task`, in working days from the request).
//!
//! The receiving court sees only what the task needs — the case number, the act, the target
//! and the respondents with masked identifiers, copied into the task at the request — and
//! never gets read access to the case. Each status move is its own function with one
//! transaction (conditional update + audited event on the case's subject, so that the
//! entrusting court sees it on the case's timeline).

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Value, json};
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::PartyRole;
use zhixing_domain::entrusted::{self as en, EntrustedAct, Refusal, TaskStatus};
use zhixing_domain::supervision::{MAX_TEXT_CHARS, check_text};
use zhixing_store::NewEvent;
use zhixing_store::courts::CourtRow;
use zhixing_store::entrusted::{DocumentMeta, NewDocument, NewTask, TaskRow};

use crate::case::{self as svc};
use crate::control::field::{self, Upload};
use crate::error::{AppError, OrInternal};
use crate::state::App;
use zhixing_domain::indicators as ind;

/// The alert kind an overdue task raises, at the entrusting court (subject `entrusted:<id>`)
/// and at the receiving court (subject `entrusted:<id>:received`, without the case link).
pub const OVERDUE_ALERT: &str = "entrusted_overdue";

/// A new task as sent to the API.
pub struct RequestInput {
    pub to_court: String,
    /// freeze, renew, deduct, seal, investigate or serve.
    pub act: String,
    /// What to act on: the account, the property, the person to serve.
    pub target: String,
    /// Anything else the receiving court needs; may be empty.
    pub instructions: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DocumentView {
    pub no: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// Where to download it.
    pub url: String,
}

fn doc_view(d: &DocumentMeta) -> DocumentView {
    DocumentView {
        no: d.no,
        name: d.name.clone(),
        content_type: d.content_type.clone(),
        size: d.size,
        sha256: d.sha256.clone(),
        url: format!("/api/v1/entrusted-tasks/{}/documents/{}", d.task_id, d.no),
    }
}

/// A task as either court sees it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TaskView {
    pub id: i64,
    /// The case, only for those who may read it (never for the receiving court).
    pub case_id: Option<i64>,
    pub case_number: String,
    pub from_court_id: String,
    pub from_court_name: String,
    pub to_court_id: String,
    pub to_court_name: String,
    pub act: String,
    pub act_zh: String,
    pub target: String,
    pub instructions: String,
    /// The respondents: name, kind and masked identifier.
    #[schemars(with = "serde_json::Value")]
    pub respondents: Value,
    pub requested_on: String,
    /// The last day, by the rule book and the working-day calendar.
    pub due_on: String,
    /// requested, accepted, declined or completed.
    pub status: String,
    pub status_zh: String,
    pub overdue: bool,
    pub decline_reason: Option<String>,
    pub result: Option<String>,
    pub documents: Vec<DocumentView>,
    pub requested_at: String,
    pub answered_at: Option<String>,
    pub completed_at: Option<String>,
}

/// A refusal of the domain: its kind (invalid input or the task's state) was set where it was
/// made.
fn refused(r: Refusal) -> AppError {
    AppError::from(r)
}

fn text_refused(r: zhixing_domain::supervision::Refusal) -> AppError {
    AppError::from(r)
}

fn moved_meanwhile(id: i64) -> AppError {
    AppError::conflict(
        "concurrent_change",
        format!("entrusted task {id} changed meanwhile; read it again"),
    )
}

fn alert_subjects(id: i64) -> [String; 2] {
    [
        format!("entrusted:{id}"),
        format!("entrusted:{id}:received"),
    ]
}

async fn court(app: &App, id: &str) -> Result<CourtRow, AppError> {
    app.store
        .court(id)
        .await?
        .ok_or_else(|| AppError::not_found("court_not_found", format!("no court {id:?}")))
}

fn status_of(row: &TaskRow) -> Result<TaskStatus, AppError> {
    TaskStatus::parse(&row.status).or_internal("unknown task status")
}

fn time(us: Option<i64>) -> Result<Option<String>, AppError> {
    Ok(us
        .map(zhixing_store::from_micros)
        .transpose()?
        .map(|t| t.to_string()))
}

/// Asks another court to do one act on a case the caller handles.
async fn request(
    app: &App,
    by: &Principal,
    case_id: i64,
    input: RequestInput,
) -> Result<TaskView, AppError> {
    let (row, from) = svc::may_act(
        app,
        by,
        case_id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    if row.status == "closed" {
        return Err(Refusal::conflict("case_closed").into());
    }
    let act = EntrustedAct::parse(input.act.trim()).ok_or_else(|| {
        AppError::from(Refusal::invalid("unknown_act").with("act", input.act.trim()))
    })?;
    let to = court(app, input.to_court.trim()).await?;
    en::check_courts(&from.id, &to.id).map_err(refused)?;
    let target = check_text(&input.target, MAX_TEXT_CHARS).map_err(text_refused)?;
    let instructions = input.instructions.trim().to_owned();
    if instructions.chars().count() > MAX_TEXT_CHARS {
        return Err(text_refused(zhixing_domain::supervision::text_too_long(
            MAX_TEXT_CHARS,
        )));
    }
    let today = app.today();
    // The limit is the entrusting court's: its region's rule book version in force today.
    let rules = app.rules.current(&app.store).await?;
    let period = rules
        .value(en::DEADLINE_RULE, today, &svc::region(&from))
        .or_internal("rule commission.task missing")?;
    let calendar = app.calendar.current(&app.store).await?;
    let due =
        en::due_on(calendar, today, period).or_internal("no due day for an entrusted task")?;
    let state = svc::state_of(&row)?;
    let respondents: Vec<Value> = state
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Respondent)
        .map(|p| json!({"name": p.name, "kind": p.kind, "identifier": p.identifier}))
        .collect();
    let respondents = Value::Array(respondents).to_string();
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let id = tx
        .insert_entrusted_task(&NewTask {
            case_id,
            from_court_id: &from.id,
            to_court_id: &to.id,
            act: act.as_str(),
            case_number: &row.number,
            target: &target,
            instructions: &instructions,
            respondents: &respondents,
            requested_on: &today.to_string(),
            due_on: &due.to_string(),
            requested_by: by.user_id,
            at_us: now_us,
        })
        .await?;
    // Both courts count the task in their indicators, in this transaction.
    let (sent, received) = ind::entrusted(&row.case_type, &ind::month_of(today), None);
    tx.add_to_rollups(&from.path, &sent).await?;
    tx.add_to_rollups(&to.path, &received).await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(from.id.clone()),
            kind: "entrusted.requested".into(),
            subject: format!("case:{case_id}"),
            payload: json!({
                "task": id, "to_court": to.id, "act": act.as_str(), "target": target,
                "instructions": instructions, "due_on": due.to_string(),
                "rule": en::DEADLINE_RULE, "period": period.0, "unit": period.1.as_str(),
            }),
        }],
    )
    .await?;
    tx.commit().await?;
    show(app, by, id).await
}

/// A task the caller may read (at the entrusting or the receiving court, or above either
/// for those who read below), with both courts; 404 otherwise.
async fn readable(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<(TaskRow, CourtRow, CourtRow), AppError> {
    let not_found = || AppError::not_found("task_not_found", format!("no entrusted task {id}"));
    let row = app.store.entrusted_task(id).await?.ok_or_else(not_found)?;
    let from = court(app, &row.from_court_id).await?;
    let to = court(app, &row.to_court_id).await?;
    if by.may(Action::ReadCaseData, &from.path) || by.may(Action::ReadCaseData, &to.path) {
        Ok((row, from, to))
    } else {
        Err(not_found())
    }
}

async fn view(
    app: &App,
    by: &Principal,
    row: TaskRow,
    from: &CourtRow,
    to: &CourtRow,
) -> Result<TaskView, AppError> {
    let status = status_of(&row)?;
    let documents = app
        .store
        .entrusted_documents(row.id)
        .await?
        .iter()
        .map(doc_view)
        .collect();
    let overdue = row
        .due_on
        .parse()
        .is_ok_and(|d| en::is_overdue(status, d, app.today()));
    let act = EntrustedAct::parse(&row.act);
    Ok(TaskView {
        id: row.id,
        case_id: by
            .may(Action::ReadCaseData, &from.path)
            .then_some(row.case_id),
        case_number: row.case_number,
        from_court_id: from.id.clone(),
        from_court_name: from.name.clone(),
        to_court_id: to.id.clone(),
        to_court_name: to.name.clone(),
        act_zh: act
            .map(EntrustedAct::name_zh)
            .unwrap_or_default()
            .to_owned(),
        act: row.act,
        target: row.target,
        instructions: row.instructions,
        respondents: serde_json::from_str(&row.respondents).unwrap_or(Value::Null),
        requested_on: row.requested_on,
        due_on: row.due_on,
        status: status.as_str().to_owned(),
        status_zh: status.name_zh().to_owned(),
        overdue,
        decline_reason: row.decline_reason,
        result: row.result,
        documents,
        requested_at: zhixing_store::from_micros(row.requested_at)?.to_string(),
        answered_at: time(row.answered_at)?,
        completed_at: time(row.completed_at)?,
    })
}

/// One task.
pub async fn show(app: &App, by: &Principal, id: i64) -> Result<TaskView, AppError> {
    let (row, from, to) = readable(app, by, id).await?;
    view(app, by, row, &from, &to).await
}

async fn views(app: &App, by: &Principal, rows: Vec<TaskRow>) -> Result<Vec<TaskView>, AppError> {
    let mut courts: HashMap<String, CourtRow> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        for id in [&r.from_court_id, &r.to_court_id] {
            if !courts.contains_key(id) {
                courts.insert(id.clone(), court(app, id).await?);
            }
        }
        let from = courts
            .get(&r.from_court_id)
            .cloned()
            .or_internal("courts.get(r.from_court_id).cloned()")?;
        let to = courts
            .get(&r.to_court_id)
            .cloned()
            .or_internal("courts.get(r.to_court_id).cloned()")?;
        out.push(view(app, by, r, &from, &to).await?);
    }
    Ok(out)
}

/// The tasks entrusted for a case, for whoever may read the case.
pub async fn of_case(app: &App, by: &Principal, case_id: i64) -> Result<Vec<TaskView>, AppError> {
    svc::readable(app, by, case_id).await?;
    let rows = app.store.entrusted_tasks_of_case(case_id).await?;
    views(app, by, rows).await
}

/// A court's inbox (received) or outbox (sent), newest first (at most 500).
pub async fn list(
    app: &App,
    by: &Principal,
    court_id: &str,
    sent: bool,
) -> Result<Vec<TaskView>, AppError> {
    let c = court(app, court_id).await?;
    if !by.may(Action::ReadCaseData, &c.path) {
        return Err(AppError::not_found(
            "court_not_found",
            format!("no court {court_id:?}"),
        ));
    }
    let rows = app.store.entrusted_tasks_of_court(&c.id, sent, 500).await?;
    views(app, by, rows).await
}

/// Loads a task the caller may act on as the receiving court: 404 if it may not read it,
/// 403 if it reads it but is not an officer, judge or division head of the receiving court.
pub async fn for_receiver(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<(TaskRow, CourtRow, CourtRow), AppError> {
    let (row, from, to) = readable(app, by, id).await?;
    if !by.may(Action::HandleCases, &to.path) {
        return Err(AppError::forbidden(
            "the receiving court's officers accept, decline and return entrusted tasks",
        ));
    }
    Ok((row, from, to))
}

/// A change to an entrusted task (事项委托), as an officer asks for it from a form or a JSON
/// body. Executed by [`execute`].
pub enum EntrustedCommand {
    /// The court handling case `case_id` asks another court to do one act.
    Request { case_id: i64, input: RequestInput },
    /// The receiving court accepts the task (接收).
    Accept { id: i64 },
    /// The receiving court declines the task (拒收), with its reason.
    Decline { id: i64, reason: String },
    /// The receiving court returns the result (办结) with its documents.
    Complete {
        id: i64,
        result: String,
        uploads: Vec<Upload>,
    },
}

/// Carries out an entrusted-task command for `by`: the task (or the case) loaded, the command
/// authorised through `access::Action` and decided in the domain, the row, the rollups, the
/// alerts it settles and its audited event written in one transaction. Returns the task as
/// it now stands.
pub async fn execute(
    app: &App,
    by: &Principal,
    cmd: EntrustedCommand,
) -> Result<TaskView, AppError> {
    match cmd {
        EntrustedCommand::Request { case_id, input } => request(app, by, case_id, input).await,
        EntrustedCommand::Accept { id } => answer(app, by, id, None).await,
        EntrustedCommand::Decline { id, reason } => answer(app, by, id, Some(&reason)).await,
        EntrustedCommand::Complete {
            id,
            result,
            uploads,
        } => complete(app, by, id, &result, uploads).await,
    }
}

/// The receiving court's answer to a request: accepted (接收), or declined (拒收) with its
/// reason.
async fn answer(
    app: &App,
    by: &Principal,
    id: i64,
    decline: Option<&str>,
) -> Result<TaskView, AppError> {
    let (row, from, to) = for_receiver(app, by, id).await?;
    let (next, reason) = match decline {
        None => (en::accept(status_of(&row)?).map_err(refused)?, None),
        Some(reason) => {
            let reason = check_text(reason, MAX_TEXT_CHARS).map_err(text_refused)?;
            (
                en::decline(status_of(&row)?).map_err(refused)?,
                Some(reason),
            )
        }
    };
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    if !tx
        .answer_entrusted_task(id, next.as_str(), reason.as_deref(), by.user_id, now_us)
        .await?
    {
        return Err(moved_meanwhile(id));
    }
    let (kind, payload) = match &reason {
        None => ("entrusted.accepted", json!({"task": id})),
        Some(reason) => {
            // Declined: the task no longer runs against its last day.
            for s in alert_subjects(id) {
                tx.clear_alerts(&s, &[OVERDUE_ALERT], now_us).await?;
            }
            ("entrusted.declined", json!({"task": id, "reason": reason}))
        }
    };
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(to.id.clone()),
            kind: kind.into(),
            subject: format!("case:{}", row.case_id),
            payload,
        }],
    )
    .await?;
    tx.commit().await?;
    reload(app, by, id, &from, &to).await
}

/// The receiving court returns the result (办结) with its documents: the result, the files
/// and the event naming each file's SHA-256 in one transaction.
async fn complete(
    app: &App,
    by: &Principal,
    id: i64,
    result: &str,
    uploads: Vec<Upload>,
) -> Result<TaskView, AppError> {
    let (row, from, to) = for_receiver(app, by, id).await?;
    let result = check_text(result, MAX_TEXT_CHARS).map_err(text_refused)?;
    field::check_count(uploads.len())?;
    let mut files = Vec::with_capacity(uploads.len());
    for (i, u) in uploads.into_iter().enumerate() {
        if u.bytes.is_empty() {
            return Err(Refusal::invalid("empty_document")
                .with("no", i + 1)
                .with("name", u.name.as_str())
                .into());
        }
        files.push(field::check(i + 1, u)?);
    }
    en::complete(status_of(&row)?, files.len()).map_err(refused)?;
    let case_type = app
        .store
        .case(row.case_id)
        .await?
        .or_internal("case(row.case_id)")?
        .case_type;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    if !tx
        .complete_entrusted_task(id, &result, by.user_id, now_us)
        .await?
    {
        return Err(moved_meanwhile(id));
    }
    let mut docs = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        let no = i64::try_from(i + 1).unwrap_or(i64::MAX);
        tx.insert_entrusted_document(&NewDocument {
            task_id: id,
            no,
            name: &f.name,
            content_type: f.kind.content_type(),
            sha256: &f.sha256,
            content: &f.bytes,
        })
        .await?;
        docs.push(json!({
            "no": no, "name": f.name, "content_type": f.kind.content_type(),
            "size": f.bytes.len(), "sha256": f.sha256,
        }));
    }
    for s in alert_subjects(id) {
        tx.clear_alerts(&s, &[OVERDUE_ALERT], now_us).await?;
    }
    // The receiving court's indicators: done, and whether within the last day.
    let month = row.requested_on.get(..7).unwrap_or_default();
    let in_time = app.today().to_string() <= row.due_on;
    let (_, before) = ind::entrusted(&case_type, month, None);
    let (_, after) = ind::entrusted(&case_type, month, Some(in_time));
    tx.add_to_rollups(&to.path, &ind::delta(&before, &after))
        .await?;
    // The chain names every document by its hash, as for field investigations.
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(to.id.clone()),
            kind: "entrusted.completed".into(),
            subject: format!("case:{}", row.case_id),
            payload: json!({"task": id, "result": result, "documents": docs}),
        }],
    )
    .await?;
    tx.commit().await?;
    reload(app, by, id, &from, &to).await
}

async fn reload(
    app: &App,
    by: &Principal,
    id: i64,
    from: &CourtRow,
    to: &CourtRow,
) -> Result<TaskView, AppError> {
    let row = app
        .store
        .entrusted_task(id)
        .await?
        .or_internal("entrusted_task(id)")?;
    view(app, by, row, from, to).await
}

/// A returned document's bytes, for whoever may read the task (404 otherwise); each read is
/// recorded on the audit chain.
pub async fn document(
    app: &App,
    by: &Principal,
    id: i64,
    no: i64,
) -> Result<(DocumentMeta, Vec<u8>), AppError> {
    let not_found = || {
        AppError::not_found(
            "document_not_found",
            format!("no document {no} of entrusted task {id}"),
        )
    };
    let (row, _, _) = readable(app, by, id)
        .await
        .map_err(|e| if e.is_not_found() { not_found() } else { e })?;
    let (meta, bytes) = app
        .store
        .entrusted_document_content(id, no)
        .await?
        .ok_or_else(not_found)?;
    crate::platform::audit::record_sensitive_read(
        app,
        by,
        &by.court_id,
        &format!("case:{}", row.case_id),
        &[&format!("entrusted_document:{}", meta.id)],
    )
    .await?;
    Ok((meta, bytes))
}

/// Marks every open task past its last day, raises an alert at both courts and records it, in
/// one transaction. Idempotent (a task is marked once; alerts are unique per subject), so
/// several workers may run it. Returns how many tasks became overdue.
pub async fn flag_overdue(app: &App) -> Result<usize, AppError> {
    let today = app.today();
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let rows = tx
        .mark_entrusted_overdue(&today.to_string(), now_us)
        .await?;
    let mut events = Vec::with_capacity(rows.len());
    for r in &rows {
        let act = EntrustedAct::parse(&r.act).map_or("", EntrustedAct::name_zh);
        let [sent, received] = alert_subjects(r.id);
        tx.raise_alert(
            &r.from_court_id,
            Some(r.case_id),
            OVERDUE_ALERT,
            &sent,
            &format!(
                "委托{}事项（{}）应于 {} 前办结，{} 尚未回复结果",
                act, r.case_number, r.due_on, r.to_court_id
            ),
            &crate::command_centre::alerts::words(
                "alert_entrusted_overdue",
                &[
                    ("act", r.act.clone()),
                    ("number", r.case_number.clone()),
                    ("due", r.due_on.to_string()),
                    ("court", r.to_court_id.clone()),
                ],
            ),
            Some(&r.due_on),
            now_us,
        )
        .await?;
        // The receiving court's alert carries no case link: it may not read the case.
        tx.raise_alert(
            &r.to_court_id,
            None,
            OVERDUE_ALERT,
            &received,
            &format!(
                "受托{}事项（{}，{} 委托）应于 {} 前办结，已超期",
                act, r.case_number, r.from_court_id, r.due_on
            ),
            &crate::command_centre::alerts::words(
                "alert_entrusted_overdue_received",
                &[
                    ("act", r.act.clone()),
                    ("number", r.case_number.clone()),
                    ("court", r.from_court_id.clone()),
                    ("due", r.due_on.to_string()),
                ],
            ),
            Some(&r.due_on),
            now_us,
        )
        .await?;
        events.push(NewEvent {
            actor: "system:watch".into(),
            court_id: Some(r.from_court_id.clone()),
            kind: "entrusted.overdue".into(),
            subject: format!("case:{}", r.case_id),
            payload: json!({"task": r.id, "to_court": r.to_court_id, "due_on": r.due_on}),
        });
    }
    tx.append_events(now_us, &events).await?;
    tx.commit().await?;
    Ok(rows.len())
}
