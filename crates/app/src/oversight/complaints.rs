//! Complaints (执行信访) and hotline reports: registered against a case with their working-day
//! deadlines from the rule book, resolved with the reply to the complainant, overdue ones
//! raised as alerts by the watch worker. Each step is one transaction with its audited event,
//! under the case's subject so that it shows on the case timeline.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::complaint::{self, Channel, Status};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_store::NewEvent;
use zhixing_store::complaints::{ComplaintRow, NewComplaint};

use crate::case::{self as svc};
use crate::error::{AppError, OrInternal};
use crate::oversight::recordings::RecordingView;
use crate::state::App;
use zhixing_domain::indicators as ind;

/// The most complaints one list answers.
const MAX_LIST: i64 = 500;

/// The code every context's list limit goes by; the reason says which list.
const INVALID_LIMIT: &str = "invalid_limit";

/// An invalid input under a code several contexts share: the words come from the reason.
fn refused_as(code: &'static str, reason: Reason) -> AppError {
    AppError::from(Refusal::of_reasons(
        code,
        RefusalKind::Invalid,
        vec![reason],
    ))
}

/// The alert kind of a complaint not resolved in time.
pub const OVERDUE_ALERT: &str = "complaint_overdue";

/// A complaint as typed in a form or sent to the API.
pub struct ComplaintInput {
    /// visit, letter, hotline or online.
    pub channel: String,
    pub complainant: String,
    pub summary: String,
    pub received_on: Date,
}

/// A complaint as the API shows it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ComplaintView {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    /// visit (来访), letter (来信), hotline (热线) or online (网上信访).
    pub channel: String,
    pub channel_zh: String,
    pub complainant: String,
    pub summary: String,
    /// registered (办理中) or resolved (已办结).
    pub status: String,
    pub status_zh: String,
    pub received_on: String,
    pub registered_on: String,
    /// The last day to register it (rule `complaints.register`, working days from receipt).
    pub register_due: String,
    pub registered_late: bool,
    /// The last day to resolve it (rule `complaints.resolve`, working days from registration).
    pub resolve_due: String,
    /// Open past its last day.
    pub overdue: bool,
    pub resolved_on: Option<String>,
    pub resolved_late: Option<bool>,
    /// The result and the reply to the complainant.
    pub result: Option<String>,
    /// The officer's account; 0 when the party submitted it online (`channel` online).
    pub registered_by: i64,
    pub resolved_by: Option<i64>,
    /// Its recordings (hotline audio, on-site video); only in the single-complaint view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recordings: Option<Vec<RecordingView>>,
}

/// The view of a stored complaint on `today`.
pub fn view(r: ComplaintRow, today: Date) -> ComplaintView {
    let status = Status::parse(&r.status).unwrap_or(Status::Registered);
    let resolve_due: Option<Date> = r.resolve_due.parse().ok();
    ComplaintView {
        channel_zh: Channel::parse(&r.channel)
            .map(Channel::name_zh)
            .unwrap_or_default()
            .to_owned(),
        status_zh: status.name_zh().to_owned(),
        registered_late: r.registered_on > r.register_due,
        overdue: resolve_due.is_some_and(|d| complaint::overdue(status, d, today)),
        resolved_late: r.resolved_on.as_ref().map(|on| *on > r.resolve_due),
        id: r.id,
        case_id: r.case_id,
        court_id: r.court_id,
        channel: r.channel,
        complainant: r.complainant,
        summary: r.summary,
        status: r.status,
        received_on: r.received_on,
        registered_on: r.registered_on,
        register_due: r.register_due,
        resolve_due: r.resolve_due,
        resolved_on: r.resolved_on,
        result: r.result,
        registered_by: r.registered_by,
        resolved_by: r.resolved_by,
        recordings: None,
    }
}

fn not_found(id: i64) -> AppError {
    AppError::not_found("complaint_not_found", format!("no complaint {id}"))
}

/// A case's 404 answered as the complaint's own, so that nothing is revealed either way.
fn as_complaint_404(id: i64) -> impl Fn(AppError) -> AppError {
    move |e| {
        if e.is_not_found() { not_found(id) } else { e }
    }
}

/// A change to a complaint (执行信访), as an officer asks for it from a form or a JSON body.
/// Executed by [`execute`].
pub enum ComplaintCommand {
    /// Registers a complaint or hotline report against case `case_id`.
    Register { case_id: i64, input: ComplaintInput },
    /// Resolves (办结) open complaint `id` with its result, the reply to the complainant.
    Resolve { id: i64, result: String },
}

/// Carries out a complaint command for `by`: the case loaded and the command authorised
/// through `access::Action` (`HandleCases` at the case's court), decided in the domain, the
/// row, the court's indicators, the alerts it settles and its audited event written in one
/// transaction. Returns the complaint as it now stands.
pub async fn execute(
    app: &App,
    by: &Principal,
    cmd: ComplaintCommand,
) -> Result<ComplaintView, AppError> {
    match cmd {
        ComplaintCommand::Register { case_id, input } => register(app, by, case_id, input).await,
        ComplaintCommand::Resolve { id, result } => resolve(app, by, id, &result).await,
    }
}

/// Registers a complaint against a case: checked, its deadlines computed from the rule book
/// and the working-day calendar, stored with its event in one transaction.
async fn register(
    app: &App,
    by: &Principal,
    case_id: i64,
    input: ComplaintInput,
) -> Result<ComplaintView, AppError> {
    let (case, court) = svc::may_act(
        app,
        by,
        case_id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    let mut tx = app.store.begin().await?;
    let id = register_in_tx(&mut tx, app, &case, &court, input, Registrar::Staff(by)).await?;
    tx.commit().await?;
    let row = app
        .store
        .complaint(id)
        .await?
        .or_internal("complaint(id)")?;
    Ok(view(row, app.today()))
}

/// Who registers a complaint: an officer of the case's court, or a party of the case
/// submitting it online with their access code (`registered_by` is then 0: no account).
pub(crate) enum Registrar<'a> {
    Staff(&'a Principal),
    /// The party as the audit chain names them (`party:{case}/{no}`).
    Party(&'a str),
}

/// The registration's one write path, inside the caller's transaction: the complaint checked
/// (the same rules whoever registers it), its deadlines from the rule book and the
/// working-day calendar, the row, the court's indicators and the audited event. Returns the
/// complaint's id.
pub(crate) async fn register_in_tx(
    tx: &mut zhixing_store::Tx,
    app: &App,
    case: &zhixing_store::cases::CaseRow,
    court: &zhixing_store::courts::CourtRow,
    input: ComplaintInput,
    by: Registrar<'_>,
) -> Result<i64, AppError> {
    let today = app.today();
    let reg = complaint::check_registration(
        &input.channel,
        &input.complainant,
        &input.summary,
        input.received_on,
        today,
    )
    .map_err(svc::refused)?;
    let rules = app.rules.current(&app.store).await?;
    let due = complaint::deadlines(
        reg.received_on,
        today,
        &rules,
        app.calendar.current(&app.store).await?,
        &svc::region(court),
    )
    .map_err(svc::refused)?;
    let now_us = app.now_us();
    let (received_on, registered_on) = (reg.received_on.to_string(), today.to_string());
    let (register_due, resolve_due) = (due.register_by.to_string(), due.resolve_by.to_string());
    let (actor, registered_by) = match by {
        Registrar::Staff(p) => (crate::actor_of(p), p.user_id),
        Registrar::Party(actor) => (actor.to_owned(), 0),
    };
    let id = tx
        .insert_complaint(&NewComplaint {
            case_id: case.id,
            court_id: &court.id,
            channel: reg.channel.as_str(),
            complainant: &reg.complainant,
            summary: &reg.summary,
            received_on: &received_on,
            registered_on: &registered_on,
            register_due: &register_due,
            resolve_due: &resolve_due,
            registered_by,
            at_us: now_us,
        })
        .await?;
    // The court's complaint indicators, counted in the month of receipt.
    tx.add_to_rollups(
        &court.path,
        &ind::complaint(&case.case_type, &ind::month_of(reg.received_on), None),
    )
    .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor,
            court_id: Some(court.id.clone()),
            kind: "complaint.registered".into(),
            subject: format!("case:{}", case.id),
            payload: json!({
                "complaint": id,
                "channel": reg.channel.as_str(),
                "complainant": reg.complainant,
                "summary": reg.summary,
                "received_on": received_on,
                "registered_on": registered_on,
                "register_due": register_due,
                "resolve_due": resolve_due,
                "registered_late": today > due.register_by,
            }),
        }],
    )
    .await?;
    Ok(id)
}

/// Resolves an open complaint with its result (the reply to the complainant); clears its
/// overdue alert in the same transaction.
async fn resolve(
    app: &App,
    by: &Principal,
    id: i64,
    result: &str,
) -> Result<ComplaintView, AppError> {
    let found = app
        .store
        .complaint(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let (case, court) = svc::may_act(
        app,
        by,
        found.case_id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await
    .map_err(as_complaint_404(id))?;
    let today = app.today();
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    // Locked: of two resolutions at once, the second sees the first and is refused.
    let row = tx.lock_complaint(id).await?.ok_or_else(|| not_found(id))?;
    let status = Status::parse(&row.status).or_internal("Status::parse(row.status)")?;
    let text = complaint::check_resolution(status, result).map_err(svc::refused)?;
    let on = today.to_string();
    if !tx
        .resolve_complaint(id, &text, &on, by.user_id, now_us)
        .await?
    {
        return Err(Refusal::conflict("already_resolved").into());
    }
    tx.clear_alerts(&format!("complaint:{id}"), &[OVERDUE_ALERT], now_us)
        .await?;
    let month = row.received_on.get(..7).unwrap_or_default();
    tx.add_to_rollups(
        &court.path,
        &ind::delta(
            &ind::complaint(&case.case_type, month, None),
            &ind::complaint(&case.case_type, month, Some(on <= row.resolve_due)),
        ),
    )
    .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(court.id.clone()),
            kind: "complaint.resolved".into(),
            subject: format!("case:{}", row.case_id),
            payload: json!({
                "complaint": id,
                "result": text,
                "resolved_on": on,
                "resolve_due": row.resolve_due,
                "resolved_late": on > row.resolve_due,
            }),
        }],
    )
    .await?;
    tx.commit().await?;
    let row = app
        .store
        .complaint(id)
        .await?
        .or_internal("complaint(id)")?;
    Ok(view(row, today))
}

/// One complaint with its recordings, for whoever may read its case (404 otherwise).
pub async fn show(app: &App, by: &Principal, id: i64) -> Result<ComplaintView, AppError> {
    let row = app
        .store
        .complaint(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    svc::readable(app, by, row.case_id)
        .await
        .map_err(as_complaint_404(id))?;
    let recordings = app
        .store
        .recordings_of_complaint(id)
        .await?
        .into_iter()
        .map(RecordingView::from)
        .collect();
    let mut v = view(row, app.today());
    v.recordings = Some(recordings);
    Ok(v)
}

/// A case's complaints, oldest first.
pub async fn of_case(
    app: &App,
    by: &Principal,
    case_id: i64,
) -> Result<Vec<ComplaintView>, AppError> {
    svc::readable(app, by, case_id).await?;
    let today = app.today();
    Ok(app
        .store
        .complaints_of_case(case_id)
        .await?
        .into_iter()
        .map(|r| view(r, today))
        .collect())
}

/// The complaints of a court and, for those who read below it, of the courts below; newest
/// first. A court the caller may not read answers 404.
pub async fn of_court(
    app: &App,
    by: &Principal,
    court_id: Option<&str>,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<ComplaintView>, AppError> {
    let court_id = court_id.unwrap_or(&by.court_id);
    let not_found = || AppError::not_found("court_not_found", format!("no court {court_id}"));
    let court = app.store.court(court_id).await?.ok_or_else(not_found)?;
    if !by.may(Action::ReadCaseData, &court.path) {
        return Err(not_found());
    }
    if let Some(s) = status
        && Status::parse(s).is_none()
    {
        return Err(Refusal::invalid("unknown_status").with("status", s).into());
    }
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(refused_as(
            INVALID_LIMIT,
            Reason::new("complaint_limit")
                .with("min", 1)
                .with("max", MAX_LIST),
        ));
    }
    let rows = app
        .store
        .complaints_under(&court.path, status, limit)
        .await?;
    // The subtree query is a superset: the one authorization function has the last word.
    let mut allowed: HashMap<String, bool> = HashMap::new();
    let today = app.today();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let ok = match allowed.get(&r.court_id) {
            Some(ok) => *ok,
            None => {
                let ok = match app.store.court(&r.court_id).await? {
                    Some(c) => by.may(Action::ReadCaseData, &c.path),
                    None => false,
                };
                allowed.insert(r.court_id.clone(), ok);
                ok
            }
        };
        if ok {
            out.push(view(r, today));
        }
    }
    Ok(out)
}

/// The watch step: an open complaint past its last day raises a `complaint_overdue` alert
/// (once; raising again only refreshes it); an alert whose complaint is no longer overdue is
/// cleared. Returns how many alerts were newly raised.
pub async fn sweep(app: &App, today: Date, now_us: i64) -> Result<usize, AppError> {
    let late = app.store.complaints_overdue(&today.to_string()).await?;
    let still: HashSet<String> = late.iter().map(|c| format!("complaint:{}", c.id)).collect();
    let mut tx = app.store.begin().await?;
    let mut raised = 0;
    let mut events = Vec::new();
    for c in &late {
        let new = tx
            .raise_alert(
                &c.court_id,
                Some(c.case_id),
                OVERDUE_ALERT,
                &format!("complaint:{}", c.id),
                &format!(
                    "执行信访（{}，{} 收到）应于 {} 前办结，已逾期",
                    Channel::parse(&c.channel).map_or("信访", Channel::name_zh),
                    c.received_on,
                    c.resolve_due
                ),
                &crate::command_centre::alerts::words(
                    "alert_complaint_overdue",
                    &[
                        ("channel", c.channel.clone()),
                        ("received", c.received_on.to_string()),
                        ("due", c.resolve_due.to_string()),
                    ],
                ),
                Some(&c.resolve_due),
                now_us,
            )
            .await?;
        if new {
            raised += 1;
            events.push(NewEvent {
                actor: "system:watch".into(),
                court_id: Some(c.court_id.clone()),
                kind: "alert.complaint_overdue".into(),
                subject: format!("case:{}", c.case_id),
                payload: json!({"complaint": c.id, "resolve_due": c.resolve_due}),
            });
        }
    }
    for a in app.store.open_alerts_of_kind(OVERDUE_ALERT).await? {
        if !still.contains(&a.subject) {
            tx.clear_alerts(&a.subject, &[OVERDUE_ALERT], now_us)
                .await?;
        }
    }
    tx.append_events(now_us, &events).await?;
    tx.commit().await?;
    Ok(raised)
}
