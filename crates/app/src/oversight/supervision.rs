//! Supervision orders (督办): a supervisor or division head of a superior court orders a court
//! below it to act on one of its cases, or on a problem, by a deadline; the subordinate court
//! replies; the superior closes the order or sends it back; the watch worker escalates orders
//! left unanswered past their deadline. Each command is one transaction: the row's status
//! moves by a conditional update and an event records it on the audit chain — on the case's
//! subject (`case:<id>`) when the order is about a case, so that it shows on the case's
//! timeline, else on `supervision:<id>`.

use std::collections::HashMap;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::refusal::{Reason, RefusalKind};
use zhixing_domain::supervision::{
    self as sv, MAX_TEXT_CHARS, MAX_TITLE_CHARS, Refusal, SupervisionStatus,
};
use zhixing_store::NewEvent;
use zhixing_store::courts::CourtRow;
use zhixing_store::supervision::{NewSupervision, SupervisionRow};

use crate::error::{AppError, OrInternal};
use crate::state::App;

/// The code every context's unreadable date goes by; the reason says which date.
const INVALID_DATE: &str = "invalid_date";

/// The alert kind an escalated order raises at the issuing court.
pub const OVERDUE_ALERT: &str = "supervision_overdue";

/// A new order as sent to the API.
#[derive(Debug, Clone)]
pub struct IssueInput {
    /// The subordinate court ordered to act.
    pub court: String,
    /// A case of that court, or none for an order about a problem.
    pub case_id: Option<i64>,
    pub title: String,
    pub instructions: String,
    /// YYYY-MM-DD.
    pub deadline: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct NoteView {
    pub no: i64,
    /// reply (回复), return (退回) or close (办结).
    pub kind: String,
    pub body: String,
    pub court_id: String,
    pub written_by: i64,
    pub written_at: String,
}

/// A supervision order as the API shows it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SupervisionView {
    pub id: i64,
    pub issuer_court_id: String,
    pub issuer_court_name: String,
    pub target_court_id: String,
    pub target_court_name: String,
    pub case_id: Option<i64>,
    pub case_number: Option<String>,
    pub title: String,
    pub instructions: String,
    pub deadline: String,
    /// open, replied, returned or closed.
    pub status: String,
    pub status_zh: String,
    /// Past its deadline with no reply awaiting decision.
    pub overdue: bool,
    /// When the watch worker escalated it, if it did.
    pub escalated_at: Option<String>,
    pub issued_by: i64,
    pub issued_at: String,
    pub notes: Vec<NoteView>,
}

/// A refusal of the domain: its kind (invalid input or the order's state) was set where it
/// was made.
fn refused(r: Refusal) -> AppError {
    AppError::from(r)
}

fn subject_of(row_case: Option<i64>, id: i64) -> String {
    match row_case {
        Some(c) => format!("case:{c}"),
        None => format!("supervision:{id}"),
    }
}

fn alert_subject(id: i64) -> String {
    format!("supervision:{id}")
}

fn moved_meanwhile(id: i64) -> AppError {
    AppError::conflict(
        "concurrent_change",
        format!("supervision order {id} changed meanwhile; read it again"),
    )
}

async fn court(app: &App, id: &str) -> Result<CourtRow, AppError> {
    app.store
        .court(id)
        .await?
        .ok_or_else(|| AppError::not_found("court_not_found", format!("no court {id:?}")))
}

async fn own_court(app: &App, by: &Principal) -> Result<CourtRow, AppError> {
    app.store
        .court(&by.court_id)
        .await?
        .or_internal("court(by.court_id)")
}

fn status_of(row: &SupervisionRow) -> Result<SupervisionStatus, AppError> {
    SupervisionStatus::parse(&row.status).or_internal("unknown supervision status")
}

/// Issues an order to a court strictly below the caller's.
async fn issue(app: &App, by: &Principal, input: IssueInput) -> Result<SupervisionView, AppError> {
    let target = court(app, input.court.trim()).await?;
    let issuer = own_court(app, by).await?;
    // Upward or sideways is not a matter of input: the issuer has no such power (403).
    sv::check_downward(&issuer.path, &target.path).map_err(|r| {
        AppError::forbidden_as(
            r.code,
            "a supervision order goes only to a court below the issuing court",
        )
    })?;
    if !by.may(Action::Supervise, &target.path) {
        return Err(AppError::forbidden(
            "only a command-centre supervisor (指挥中心监督员) or division head (执行局长) of a superior court issues supervision orders",
        ));
    }
    let title = sv::check_text(&input.title, MAX_TITLE_CHARS).map_err(refused)?;
    let instructions = sv::check_text(&input.instructions, MAX_TEXT_CHARS).map_err(refused)?;
    let deadline: Date = input.deadline.trim().parse().map_err(|_| {
        AppError::from(Refusal::of_reasons(
            INVALID_DATE,
            RefusalKind::Invalid,
            vec![Reason::new("supervision_deadline_date").with("deadline", input.deadline.trim())],
        ))
    })?;
    let today = app.today();
    sv::check_deadline(deadline, today).map_err(refused)?;
    if let Some(case_id) = input.case_id {
        let case =
            app.store.case(case_id).await?.ok_or_else(|| {
                AppError::not_found("case_not_found", format!("no case {case_id}"))
            })?;
        // The issuer reads every case below it; a case elsewhere is not revealed.
        if !by.may(Action::ReadCaseData, &target.path) || case.court_id != target.id {
            return Err(Refusal::invalid("case_not_of_court")
                .with("case_id", case_id)
                .with("court", target.name.as_str())
                .into());
        }
    }
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let id = tx
        .insert_supervision(&NewSupervision {
            issuer_court_id: &issuer.id,
            target_court_id: &target.id,
            case_id: input.case_id,
            title: &title,
            instructions: &instructions,
            deadline: &deadline.to_string(),
            issued_by: by.user_id,
            at_us: now_us,
        })
        .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(issuer.id.clone()),
            kind: "supervision.issued".into(),
            subject: subject_of(input.case_id, id),
            payload: json!({
                "supervision": id, "to_court": target.id, "case": input.case_id,
                "title": title, "instructions": instructions, "deadline": deadline.to_string(),
            }),
        }],
    )
    .await?;
    tx.commit().await?;
    show(app, by, id).await
}

/// An order the caller may read (its issuing or its receiving court, or a court above either
/// for those who read below), with both courts; 404 otherwise.
async fn readable(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<(SupervisionRow, CourtRow, CourtRow), AppError> {
    let not_found = || {
        AppError::not_found(
            "supervision_not_found",
            format!("no supervision order {id}"),
        )
    };
    let row = app.store.supervision(id).await?.ok_or_else(not_found)?;
    let issuer = court(app, &row.issuer_court_id).await?;
    let target = court(app, &row.target_court_id).await?;
    if by.may(Action::ReadCaseData, &issuer.path) || by.may(Action::ReadCaseData, &target.path) {
        Ok((row, issuer, target))
    } else {
        Err(not_found())
    }
}

async fn view(
    app: &App,
    row: SupervisionRow,
    issuer: &CourtRow,
    target: &CourtRow,
) -> Result<SupervisionView, AppError> {
    let status = status_of(&row)?;
    let deadline: Option<Date> = row.deadline.parse().ok();
    let case_number = match row.case_id {
        Some(c) => app.store.case(c).await?.map(|c| c.number),
        None => None,
    };
    let notes = app
        .store
        .supervision_notes(row.id)
        .await?
        .into_iter()
        .map(|n| {
            Ok(NoteView {
                no: n.no,
                kind: n.kind,
                body: n.body,
                court_id: n.court_id,
                written_by: n.written_by,
                written_at: zhixing_store::from_micros(n.written_at)?.to_string(),
            })
        })
        .collect::<Result<Vec<_>, zhixing_store::StoreError>>()?;
    Ok(SupervisionView {
        id: row.id,
        issuer_court_id: issuer.id.clone(),
        issuer_court_name: issuer.name.clone(),
        target_court_id: target.id.clone(),
        target_court_name: target.name.clone(),
        case_id: row.case_id,
        case_number,
        title: row.title,
        instructions: row.instructions,
        overdue: deadline.is_some_and(|d| sv::is_overdue(status, d, app.today())),
        deadline: row.deadline,
        status: status.as_str().to_owned(),
        status_zh: status.name_zh().to_owned(),
        escalated_at: row
            .escalated_at
            .map(zhixing_store::from_micros)
            .transpose()?
            .map(|t| t.to_string()),
        issued_by: row.issued_by,
        issued_at: zhixing_store::from_micros(row.issued_at)?.to_string(),
        notes,
    })
}

/// One order with its notes.
pub async fn show(app: &App, by: &Principal, id: i64) -> Result<SupervisionView, AppError> {
    let (row, issuer, target) = readable(app, by, id).await?;
    view(app, row, &issuer, &target).await
}

/// The orders a court issued or received, newest first (at most 500).
pub async fn list(
    app: &App,
    by: &Principal,
    court_id: &str,
    issued: bool,
) -> Result<Vec<SupervisionView>, AppError> {
    let c = court(app, court_id).await?;
    if !by.may(Action::ReadCaseData, &c.path) {
        return Err(AppError::not_found(
            "court_not_found",
            format!("no court {court_id:?}"),
        ));
    }
    let rows = app.store.supervisions_of_court(&c.id, issued, 500).await?;
    views(app, rows).await
}

/// The orders about a case, for whoever may read the case.
pub async fn of_case(
    app: &App,
    by: &Principal,
    case_id: i64,
) -> Result<Vec<SupervisionView>, AppError> {
    crate::case::readable(app, by, case_id).await?;
    let rows = app.store.supervisions_of_case(case_id).await?;
    views(app, rows).await
}

async fn views(app: &App, rows: Vec<SupervisionRow>) -> Result<Vec<SupervisionView>, AppError> {
    let mut courts: HashMap<String, CourtRow> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        for id in [&r.issuer_court_id, &r.target_court_id] {
            if !courts.contains_key(id) {
                courts.insert(id.clone(), court(app, id).await?);
            }
        }
        let issuer = courts
            .get(&r.issuer_court_id)
            .cloned()
            .or_internal("courts.get(r.issuer_court_id).cloned()")?;
        let target = courts
            .get(&r.target_court_id)
            .cloned()
            .or_internal("courts.get(r.target_court_id).cloned()")?;
        out.push(view(app, r, &issuer, &target).await?);
    }
    Ok(out)
}

/// A change to a supervision order (督办), as a supervisor or an officer asks for it from a
/// form or a JSON body. Executed by [`execute`].
#[derive(Debug)]
pub enum SupervisionCommand {
    /// The superior court issues an order to a court strictly below it.
    Issue(IssueInput),
    /// The subordinate court replies (several replies are allowed until it is closed).
    Reply { id: i64, text: String },
    /// The issuing court accepts the reply and closes the order (办结), with an optional
    /// comment.
    Close { id: i64, note: Option<String> },
    /// The issuing court sends the reply back (退回), with its reason.
    SendBack { id: i64, reason: String },
}

/// A command on an existing order, as [`step`] decides it.
#[derive(Clone, Copy)]
enum Change<'a> {
    Reply(&'a str),
    Close(Option<&'a str>),
    SendBack(&'a str),
}

/// What a command on an existing order does, once authorised and decided.
struct Step {
    from: SupervisionStatus,
    to: SupervisionStatus,
    /// The note it adds (its kind and text), if any, written as the court `by_court`.
    note: Option<(&'static str, String)>,
    by_court: String,
    /// Whether the escalation alert no longer holds.
    clears_alert: bool,
    event: &'static str,
    /// The name of the text in the event's payload.
    text_key: &'static str,
}

/// Authorises a command on order `row` for `by` and decides it in the domain.
fn step(
    by: &Principal,
    change: Change<'_>,
    row: &SupervisionRow,
    issuer: &CourtRow,
    target: &CourtRow,
) -> Result<Step, AppError> {
    let from = status_of(row)?;
    match change {
        Change::Reply(text) => {
            if !by.may(Action::HandleCases, &target.path) {
                return Err(AppError::forbidden(
                    "the division head or an officer of the court the order was sent to replies",
                ));
            }
            let body = sv::check_text(text, MAX_TEXT_CHARS).map_err(refused)?;
            Ok(Step {
                from,
                to: sv::reply(from).map_err(refused)?,
                note: Some(("reply", body)),
                by_court: target.id.clone(),
                clears_alert: true,
                event: "supervision.replied",
                text_key: "reply",
            })
        }
        Change::Close(note) => decision(by, true, note, from, issuer, target),
        Change::SendBack(reason) => decision(by, false, Some(reason), from, issuer, target),
    }
}

/// The issuing court's decision on a reply: accepted and closed (办结), or sent back (退回,
/// its reason required).
fn decision(
    by: &Principal,
    closing: bool,
    text: Option<&str>,
    from: SupervisionStatus,
    issuer: &CourtRow,
    target: &CourtRow,
) -> Result<Step, AppError> {
    // The order belongs to the court that issued it: a court further up reads it but does
    // not decide in the issuer's place.
    if by.court_id != issuer.id || !by.may(Action::Supervise, &target.path) {
        return Err(AppError::forbidden(
            "a supervisor or division head of the issuing court closes or sends back the order",
        ));
    }
    let body = match (closing, text.map(str::trim).filter(|t| !t.is_empty())) {
        (false, t) => Some(sv::check_text(t.unwrap_or(""), MAX_TEXT_CHARS).map_err(refused)?),
        (true, Some(t)) => Some(sv::check_text(t, MAX_TEXT_CHARS).map_err(refused)?),
        (true, None) => None,
    };
    let (to, kind, event) = if closing {
        (sv::close(from), "close", "supervision.closed")
    } else {
        (sv::send_back(from), "return", "supervision.returned")
    };
    Ok(Step {
        from,
        to: to.map_err(refused)?,
        note: body.map(|b| (kind, b)),
        by_court: issuer.id.clone(),
        clears_alert: closing,
        event,
        text_key: "text",
    })
}

/// Carries out a supervision command for `by`: the order loaded, the command authorised
/// through `access::Action` and decided in the domain, the status move, its note, the alerts
/// it settles and its audited event written in one transaction. Returns the order as it now
/// stands.
pub async fn execute(
    app: &App,
    by: &Principal,
    cmd: SupervisionCommand,
) -> Result<SupervisionView, AppError> {
    match cmd {
        SupervisionCommand::Issue(input) => issue(app, by, input).await,
        SupervisionCommand::Reply { id, text } => apply(app, by, id, Change::Reply(&text)).await,
        SupervisionCommand::Close { id, note } => {
            apply(app, by, id, Change::Close(note.as_deref())).await
        }
        SupervisionCommand::SendBack { id, reason } => {
            apply(app, by, id, Change::SendBack(&reason)).await
        }
    }
}

/// Loads order `id`, authorises and decides `change`, and writes the status move, its note,
/// the alerts it settles and its event in one transaction.
async fn apply(
    app: &App,
    by: &Principal,
    id: i64,
    change: Change<'_>,
) -> Result<SupervisionView, AppError> {
    let (row, issuer, target) = readable(app, by, id).await?;
    let s = step(by, change, &row, &issuer, &target)?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    if !tx
        .move_supervision(id, s.from.as_str(), s.to.as_str(), now_us)
        .await?
    {
        return Err(moved_meanwhile(id));
    }
    let no = match &s.note {
        Some((kind, body)) => Some(
            tx.add_supervision_note(id, kind, body, &s.by_court, by.user_id, now_us)
                .await?,
        ),
        None => None,
    };
    if s.clears_alert {
        tx.clear_alerts(&alert_subject(id), &[OVERDUE_ALERT], now_us)
            .await?;
    }
    let text = s.note.as_ref().map(|(_, b)| b.as_str());
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(s.by_court.clone()),
            kind: s.event.into(),
            subject: subject_of(row.case_id, id),
            payload: {
                let mut p = json!({"supervision": id, "note": no});
                p[s.text_key] = json!(text);
                p
            },
        }],
    )
    .await?;
    tx.commit().await?;
    let row = app
        .store
        .supervision(id)
        .await?
        .or_internal("supervision(id)")?;
    view(app, row, &issuer, &target).await
}

/// Escalates every order left unanswered past its deadline: marks it, raises an alert at the
/// issuing court and records the escalation, in one transaction. Idempotent (an order is
/// escalated once; the alert is unique per order), so several workers may run it. Returns how
/// many orders it escalated.
pub async fn escalate_overdue(app: &App) -> Result<usize, AppError> {
    let today = app.today();
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let rows = tx.escalate_supervisions(&today.to_string(), now_us).await?;
    let mut events = Vec::with_capacity(rows.len());
    for r in &rows {
        tx.raise_alert(
            &r.issuer_court_id,
            r.case_id,
            OVERDUE_ALERT,
            &alert_subject(r.id),
            &format!(
                "督办事项“{}”已于 {} 到期，{} 未回复",
                r.title, r.deadline, r.target_court_id
            ),
            &crate::command_centre::alerts::words(
                "alert_supervision_overdue",
                &[
                    ("title", r.title.clone()),
                    ("deadline", r.deadline.to_string()),
                    ("court", r.target_court_id.clone()),
                ],
            ),
            Some(&r.deadline),
            now_us,
        )
        .await?;
        events.push(NewEvent {
            actor: "system:watch".into(),
            court_id: Some(r.issuer_court_id.clone()),
            kind: "supervision.escalated".into(),
            subject: subject_of(r.case_id, r.id),
            payload: json!({"supervision": r.id, "to_court": r.target_court_id, "deadline": r.deadline}),
        });
    }
    tx.append_events(now_us, &events).await?;
    tx.commit().await?;
    Ok(rows.len())
}
