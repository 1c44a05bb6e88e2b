//! What a party submits online (网上提交) with their case number and access code: a property
//! clue (财产线索) for the court to verify, or a complaint (网上信访). Neither has a door of its
//! own into the case: the clue is decided by the same `CaseCommand::SubmitClue` the staff's
//! form and API build (so it gets the same statutory verification deadline), the complaint
//! registered by the same write path as staff registration (with its working-day
//! deadlines); the audit chain names the party (`party:{case}/{no}`), not a user.
//!
//! The party gets a receipt number (回执号) and follows the clue's verification or the
//! complaint's status and answer with it — the receipt together with the access code, each use
//! of the code throttled by [`authenticate`] like the party's view.

use rand::Rng;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::case::{CaseEvent, CaseState, PartyRole};
use zhixing_domain::complaint::Status;
use zhixing_domain::refusal::Refusal;
use zhixing_store::NewEvent;
use zhixing_store::portal::{SubmissionRow, Submitted};

use super::{CODE_ALPHABET, authenticate, party_actor};
use crate::case::command::CaseCommand;
use crate::case::{self as svc, Actor, Shown, change_in_tx};
use crate::error::{AppError, OrInternal};
use crate::oversight::complaints::{self, ComplaintInput, Registrar};
use crate::state::App;

/// Characters of a receipt number (回执号), from the access codes' alphabet.
pub const RECEIPT_LEN: usize = 12;

fn new_receipt() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..RECEIPT_LEN)
        .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// A receipt number as typed: spaces and dashes dropped, letters upper-cased, bounded.
pub fn normalize_receipt(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .take(32)
        .collect()
}

/// A party's submission as they follow it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SubmissionView {
    /// The receipt number (回执号): with the access code, what follows it.
    pub receipt: String,
    pub case_number: String,
    /// `clue` (财产线索) or `complaint` (网上信访).
    pub kind: String,
    pub kind_zh: String,
    /// The day it was received, China time.
    pub submitted_on: String,
    /// The clue's description or the complaint's summary, as recorded.
    pub text: String,
    /// A clue: `pending` (待核查) or `verified` (已核查); a complaint: `registered` (办理中) or
    /// `resolved` (已办结).
    pub status: String,
    pub status_zh: String,
    /// The last day the court has: to verify the clue (rule `investigation.clue_verify`),
    /// or to resolve the complaint (rule `complaints.resolve`).
    pub due: Option<String>,
    /// The day the clue was verified or the complaint resolved.
    pub answered_on: Option<String>,
    /// The verification's result, or the reply to the complaint.
    pub answer: Option<String>,
}

fn not_found() -> AppError {
    // One answer for an unknown receipt and for another party's: nothing is revealed.
    AppError::not_found(
        "receipt_not_found",
        "no submission with this receipt number",
    )
}

/// Records a property clue the party (an applicant) gives, as a clue to verify on the case.
pub async fn submit_clue(
    app: &App,
    number: &str,
    code: &str,
    description: &str,
) -> Result<SubmissionView, AppError> {
    let (row, party_no) = authenticate(app, number, code).await?;
    let state = svc::state_of(&row)?;
    let applicant = state
        .parties
        .iter()
        .any(|p| i64::from(p.no) == party_no && p.role == PartyRole::Applicant);
    if !applicant {
        // A respondent declares their property in a report (报告财产令), not as a clue.
        return Err(Refusal::invalid("clue_applicant_only").into());
    }
    let actor = party_actor(row.id, party_no);
    let cmd = CaseCommand::SubmitClue {
        description: description.to_owned(),
        urgent: false,
    };
    let receipt = new_receipt();
    let mut tx = app.store.begin().await?;
    let changed = change_in_tx(&mut tx, app, Actor::System(&actor), row.id, None, |s, c| {
        cmd.decide(
            s,
            c,
            None,
            &actor,
            &zhixing_domain::closure::Holdings::default(),
            &mut Vec::new(),
        )
    })
    .await?;
    let no = changed
        .decided
        .iter()
        .find_map(|e| match e {
            CaseEvent::ClueSubmitted { no, .. } => Some(i64::from(*no)),
            _ => None,
        })
        .or_internal("the clue submitted")?;
    tx.insert_submission(
        &receipt,
        row.id,
        party_no,
        &Submitted::Clue(no),
        app.now_us(),
    )
    .await?;
    tx.commit().await?;
    follow_row(app, &receipt).await
}

/// Registers a complaint (网上信访) the party makes against the handling of their case.
pub async fn submit_complaint(
    app: &App,
    number: &str,
    code: &str,
    summary: &str,
) -> Result<SubmissionView, AppError> {
    let (row, party_no) = authenticate(app, number, code).await?;
    let state = svc::state_of(&row)?;
    let name = state
        .parties
        .iter()
        .find(|p| i64::from(p.no) == party_no)
        .map(|p| p.name.clone())
        .or_internal("the submitting party")?;
    let court = app
        .store
        .court(&row.court_id)
        .await?
        .or_internal("court(row.court_id)")?;
    let actor = party_actor(row.id, party_no);
    let receipt = new_receipt();
    let input = ComplaintInput {
        channel: "online".into(),
        complainant: name,
        summary: summary.to_owned(),
        received_on: app.today(),
    };
    let mut tx = app.store.begin().await?;
    let id =
        complaints::register_in_tx(&mut tx, app, &row, &court, input, Registrar::Party(&actor))
            .await?;
    tx.insert_submission(
        &receipt,
        row.id,
        party_no,
        &Submitted::Complaint(id),
        app.now_us(),
    )
    .await?;
    tx.commit().await?;
    follow_row(app, &receipt).await
}

/// A submission followed by its receipt and the party's access code: only the party who
/// submitted it sees it.
pub async fn follow(
    app: &App,
    number: &str,
    code: &str,
    receipt: &str,
) -> Result<SubmissionView, AppError> {
    let (row, party_no) = authenticate(app, number, code).await?;
    let receipt = normalize_receipt(receipt);
    let found = app
        .store
        .submission_by_receipt(&receipt)
        .await?
        .filter(|s| s.case_id == row.id && s.party_no == party_no)
        .ok_or_else(not_found)?;
    let state = svc::state_of(&row)?;
    let (court_id, receipt) = (row.court_id.clone(), found.receipt.clone());
    let shown = view(app, &row, state, found).await?;
    // Every successful use of a code is on the audit chain, as the party view's is.
    let mut tx = app.store.begin().await?;
    tx.append_events(
        app.now_us(),
        &[NewEvent {
            actor: party_actor(row.id, party_no),
            court_id: Some(court_id),
            kind: "public.party_receipt".into(),
            subject: format!("case:{}", row.id),
            payload: json!({"party_no": party_no, "receipt": receipt}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(shown)
}

/// A party's submissions on their case, oldest first (for their view).
pub(crate) async fn of_party(
    app: &App,
    row: &zhixing_store::cases::CaseRow,
    state: &CaseState,
    party_no: i64,
) -> Result<Vec<SubmissionView>, AppError> {
    let mut out = Vec::new();
    for s in app.store.submissions_of(row.id, party_no).await? {
        out.push(view(app, row, state.clone(), s).await?);
    }
    Ok(out)
}

async fn follow_row(app: &App, receipt: &str) -> Result<SubmissionView, AppError> {
    let s = app
        .store
        .submission_by_receipt(receipt)
        .await?
        .or_internal("submission_by_receipt")?;
    let row = app
        .store
        .case(s.case_id)
        .await?
        .or_internal("case(s.case_id)")?;
    let state = svc::state_of(&row)?;
    view(app, &row, state, s).await
}

async fn view(
    app: &App,
    row: &zhixing_store::cases::CaseRow,
    state: CaseState,
    s: SubmissionRow,
) -> Result<SubmissionView, AppError> {
    let submitted_on = jiff::Timestamp::from_microsecond(s.submitted_at)
        .map(|t| crate::state::china_date(t).to_string())
        .unwrap_or_default();
    let today = app.today();
    match (s.clue_no, s.complaint_id) {
        (Some(no), _) => {
            let clue = state
                .clues
                .iter()
                .find(|c| i64::from(c.no) == no)
                .cloned()
                .or_internal("the submitted clue")?;
            let court = app
                .store
                .court(&row.court_id)
                .await?
                .or_internal("court(row.court_id)")?;
            let rules = app.rules.current(&app.store).await?;
            app.calendar.current(&app.store).await?;
            let case_view = svc::view(
                app,
                &court,
                state,
                today,
                &rules,
                Shown {
                    id: row.id,
                    version: None,
                    as_of: None,
                },
            )?;
            let node = format!("clue:{no}");
            let due = case_view
                .deadlines
                .iter()
                .find(|d| d.node == node)
                .map(|d| d.due.to_string());
            let verified = clue.verified_on.is_some();
            Ok(SubmissionView {
                receipt: s.receipt,
                case_number: row.number.clone(),
                kind: "clue".into(),
                kind_zh: "财产线索".into(),
                submitted_on,
                text: clue.description,
                status: if verified { "verified" } else { "pending" }.into(),
                status_zh: if verified { "已核查" } else { "待核查" }.into(),
                due,
                answered_on: clue.verified_on.map(|d| d.to_string()),
                answer: clue.result,
            })
        }
        (None, Some(id)) => {
            let c = app
                .store
                .complaint(id)
                .await?
                .or_internal("the submitted complaint")?;
            let status = Status::parse(&c.status).unwrap_or(Status::Registered);
            Ok(SubmissionView {
                receipt: s.receipt,
                case_number: row.number.clone(),
                kind: "complaint".into(),
                kind_zh: "网上信访".into(),
                submitted_on,
                text: c.summary,
                status: c.status.clone(),
                status_zh: status.name_zh().into(),
                due: Some(c.resolve_due),
                answered_on: c.resolved_on,
                answer: c.result,
            })
        }
        (None, None) => Err(AppError::internal(
            "a submission with neither clue nor complaint",
        )),
    }
}
