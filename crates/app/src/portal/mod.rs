//! The public side (公开查询): parties following their own case with an access code
//! (当事人查询码), court announcements (法院公告) and the published list of 终本 cases.
//! Nothing here needs a session; what it shows is limited to what a party or the public may
//! see, and every successful party access is an audited event.

use rand::Rng;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::{self, CaseEvent, CaseState, PartyRole};
use zhixing_domain::measure::MeasureKind;
use zhixing_domain::refusal::RefusalKind;
use zhixing_domain::refusal::{Problems, Reason};
use zhixing_store::NewEvent;

use crate::case::{self as svc, Shown};

pub mod inbox;
pub mod submissions;

use crate::error::{AppError, OrInternal};
use crate::state::App;
pub use inbox::{PartyDocument, PublicConsent, PublicDocument};
pub use submissions::SubmissionView;

/// Letters and digits that cannot be mistaken for each other when read from paper (no 0/O,
/// 1/I/L): 31 symbols, so 10 of them carry about 49 bits.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 10;
/// Wrong codes for one case number before it is locked, and the window and lock length.
pub const ACCESS_MAX_FAILURES: i64 = 5;
pub const ACCESS_LOCK_SECS: i64 = 15 * 60;

/// A new access code from the operating system's random source.
pub fn new_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..CODE_LEN)
        .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// A party's access code, shown once.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AccessCode {
    pub party_no: i64,
    pub name: String,
    pub code: String,
}

/// Issues a code to each party of a newly filed case, inside the filing's transaction.
pub async fn issue_in_tx(
    tx: &mut zhixing_store::Tx,
    app: &App,
    case_id: i64,
    parties: &[(i64, String)],
    actor: &str,
    at_us: i64,
) -> Result<Vec<AccessCode>, AppError> {
    let mut out = Vec::with_capacity(parties.len());
    for (no, name) in parties {
        let code = new_code();
        tx.put_access_code(
            case_id,
            *no,
            &app.cipher.access_code_hash(case_id, &code),
            actor,
            at_us,
        )
        .await?;
        out.push(AccessCode {
            party_no: *no,
            name: name.clone(),
            code,
        });
    }
    Ok(out)
}

/// Re-issuing a party's access code (查询码), as an officer of the case's court asks for it.
/// Executed by [`reissue_code`]; the code is shown once.
#[derive(Debug, Clone)]
pub enum AccessCodeCommand {
    Reissue { case_id: i64, party_no: i64 },
}

/// Carries out an access-code command for `by`: the new code.
pub async fn reissue_code(
    app: &App,
    by: &Principal,
    cmd: AccessCodeCommand,
) -> Result<AccessCode, AppError> {
    match cmd {
        AccessCodeCommand::Reissue { case_id, party_no } => {
            reissue(app, by, case_id, party_no).await
        }
    }
}

/// (Re)issues a party's code, for cases filed before codes existed or a lost code: the old
/// code stops working. Handlers of the case's court only; audited (the event never holds
/// the code).
async fn reissue(app: &App, by: &Principal, case_id: i64, no: i64) -> Result<AccessCode, AppError> {
    let (row, court) = svc::readable(app, by, case_id).await?;
    svc::handles(by, &court)?;
    let state = svc::state_of(&row)?;
    let party = state
        .parties
        .iter()
        .find(|p| i64::from(p.no) == no)
        .ok_or_else(|| {
            AppError::not_found(
                "party_not_found",
                format!("case {case_id} has no party {no}"),
            )
        })?;
    let now_us = app.now_us();
    let actor = crate::actor_of(by);
    let mut tx = app.store.begin().await?;
    let codes = issue_in_tx(
        &mut tx,
        app,
        case_id,
        &[(no, party.name.clone())],
        &actor,
        now_us,
    )
    .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor,
            court_id: Some(court.id.clone()),
            kind: "party.access_code_issued".into(),
            subject: format!("case:{case_id}"),
            payload: json!({"party_no": no}),
        }],
    )
    .await?;
    tx.commit().await?;
    codes
        .into_iter()
        .next()
        .or_internal("codes.into_iter().next()")
}

/// One public step of a case, as its party sees it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PublicStep {
    pub on: String,
    /// The event kind (`case.filed`, `case.closed`, …).
    pub kind: String,
    /// The step in Chinese, as the API has always given it.
    pub title: String,
    /// The step as a message code of the catalogue (`step_*`) and its parameters, each a
    /// string — an amount in yuan, a date, a case number, a document's title, or the code of a
    /// domain value (`action`, `mode`, `method`) — which the party's page words in the
    /// reader's language. Not in the API's answer, which keeps `title`.
    #[serde(skip)]
    pub code: &'static str,
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PublicParty {
    pub no: u32,
    /// applicant or respondent
    pub role: String,
    /// The name as on the documents; no identifier, no address.
    pub name: String,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PublicDeadline {
    pub title: String,
    pub due: String,
    pub status: String,
}

/// A measure taken against property, as a party sees it: only once it has taken effect (a
/// request still out to an institution, or refused, is where the court is looking).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PublicMeasure {
    /// freeze, seize, detain, deduct
    pub kind: String,
    pub kind_zh: String,
    /// The property: its kind, where it is held and the last four characters of its account
    /// or certificate number — never the number in full (`银行存款（某银行，尾号 1234）`).
    pub asset: String,
    /// The same in parts, for the party's page to word in the reader's language: the asset's
    /// kind (the exchange protocol's code), the institution's name as registered (Chinese: a
    /// name, not a word) and the last four characters of the number (empty when the number is
    /// too short to show a part of it).
    #[serde(skip)]
    pub asset_parts: AssetParts,
    /// active, queued, done, released or expired.
    pub status: String,
    /// The amount frozen or deducted, where the measure is on money.
    pub amount_fen: Option<i64>,
    pub until: Option<String>,
}

/// How the debtor pays: the case account (一案一账号) and what is still owed.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct HowToPay {
    #[serde(flatten)]
    pub account: crate::disposal::funds::PaymentAccount,
    /// What is still to be performed, in fen.
    pub outstanding_fen: i64,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PublicPayment {
    pub amount_fen: i64,
    /// proposed, approved, rejected or paid
    pub status: String,
    pub proposed_on: String,
    pub paid_on: Option<String>,
}

/// A case as one of its parties sees it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PartyCaseView {
    pub number: String,
    pub court_name: String,
    pub status: String,
    pub status_zh: String,
    pub filed_on: String,
    /// The party the code belongs to.
    pub you: PublicParty,
    pub parties: Vec<PublicParty>,
    pub total_due_fen: i64,
    pub unpaid_fen: i64,
    pub timeline: Vec<PublicStep>,
    pub deadlines: Vec<PublicDeadline>,
    pub measures: Vec<PublicMeasure>,
    /// Payouts from the case account to this party.
    pub payments: Vec<PublicPayment>,
    /// The documents addressed to this party, with their service: served only once service is
    /// recorded.
    pub documents: Vec<PublicDocument>,
    /// The party's consent to electronic service through this inbox, if in force.
    pub electronic_consent: Option<PublicConsent>,
    /// For a respondent: where to pay and how much is owed; none for an applicant.
    pub how_to_pay: Option<HowToPay>,
    /// What this party submitted online (clues, complaints), each with its receipt.
    pub submissions: Vec<SubmissionView>,
    /// The review cases about this case (执异, 执复, 执监): where they stand and how they were
    /// ruled; the ruling itself is among `documents` once served.
    pub reviews: Vec<PublicReview>,
}

/// A review case as the parties see it: its number, kind, dates and outcome — not who applied
/// or why (an outsider is no party to the case).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PublicReview {
    pub number: String,
    pub kind_zh: String,
    pub status_zh: String,
    pub received_on: String,
    pub due_on: Option<String>,
    pub outcome_zh: Option<String>,
    pub ruled_on: Option<String>,
}

fn denied() -> AppError {
    // One answer whether the case does not exist or the code is wrong.
    AppError::forbidden_as(
        "access_denied",
        "the case number or the access code is wrong",
    )
}

/// Case numbers as typed by people: full-width brackets and spaces are accepted.
pub fn normalize_number(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .take(64)
        .collect()
}

/// A party's view of its case, given the case number and the party's code.
pub async fn party_access(app: &App, number: &str, code: &str) -> Result<PartyCaseView, AppError> {
    let (row, party_no) = authenticate(app, number, code).await?;
    let state = svc::state_of(&row)?;
    let court = app
        .store
        .court(&row.court_id)
        .await?
        .or_internal("court(row.court_id)")?;
    let view = build(app, &row, &court, state, party_no).await?;
    let mut tx = app.store.begin().await?;
    tx.append_events(
        app.now_us(),
        &[NewEvent {
            actor: party_actor(row.id, party_no),
            court_id: Some(court.id.clone()),
            kind: "public.party_access".into(),
            subject: format!("case:{}", row.id),
            payload: json!({"party_no": party_no}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(view)
}

/// How the log names a party acting with their access code.
pub(crate) fn party_actor(case_id: i64, party_no: i64) -> String {
    format!("party:{case_id}/{party_no}")
}

/// The case and the party a case number and an access code open, with the same throttle for
/// every use of a code: a case number locked after too many wrong codes answers nothing.
pub(crate) async fn authenticate(
    app: &App,
    number: &str,
    code: &str,
) -> Result<(zhixing_store::cases::CaseRow, i64), AppError> {
    let number = normalize_number(number);
    let code: String = code.trim().chars().take(64).collect();
    let now_us = app.now_us();
    if let Some(until) = app.store.access_locked_until(&number, now_us).await? {
        let secs = u64::try_from(((until - now_us) / 1_000_000).max(1)).unwrap_or(1);
        return Err(AppError::throttled(
            "access_locked",
            "too many wrong codes for this case number; try again later",
            secs,
        ));
    }
    let row = app.store.case_by_number(&number).await?;
    let hash = app
        .cipher
        .access_code_hash(row.as_ref().map_or(0, |r| r.id), &code);
    let party_no = match &row {
        Some(r) if !code.is_empty() => app.store.party_with_code(r.id, &hash).await?,
        _ => None,
    };
    let (Some(row), Some(party_no)) = (row, party_no) else {
        record_failure(app, &number, now_us).await?;
        return Err(denied());
    };
    Ok((row, party_no))
}

async fn record_failure(app: &App, number: &str, now_us: i64) -> Result<(), AppError> {
    let window = ACCESS_LOCK_SECS * 1_000_000;
    let mut tx = app.store.begin().await?;
    let failures = tx
        .record_access_failure(number, now_us, now_us.saturating_sub(window))
        .await?;
    if failures >= ACCESS_MAX_FAILURES {
        let until = now_us.saturating_add(window);
        tx.lock_access(number, until).await?;
        tx.append_events(
            now_us,
            &[NewEvent {
                actor: "anonymous".into(),
                court_id: None,
                kind: "public.party_access_locked".into(),
                subject: format!("case_number:{number}"),
                payload: json!({"locked_until_us": until}),
            }],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

fn role_str(r: PartyRole) -> &'static str {
    match r {
        PartyRole::Applicant => "applicant",
        PartyRole::Respondent => "respondent",
    }
}

/// The steps of a case party `you` is told about: no internal notes, clues or closure drafts;
/// no investigation under way (a debtor must not learn where the court looks); of service,
/// only their own.
fn public_step(e: &CaseEvent, at: &str, you: u32, state: &CaseState) -> Option<PublicStep> {
    let title_of = |id: i64| {
        state
            .documents
            .iter()
            .find(|d| d.document_id == id)
            .map(|d| d.title.clone())
            .unwrap_or_default()
    };
    let coded =
        |on: String, title: String, code: &'static str, args: Vec<(&'static str, String)>| {
            PublicStep {
                on,
                kind: e.kind().to_owned(),
                title,
                code,
                args,
            }
        };
    let step =
        |on: String, title: &str, code: &'static str| coded(on, title.into(), code, Vec::new());
    Some(match e {
        CaseEvent::Filed { filed_on, .. } => step(filed_on.to_string(), "立案受理", "step_filed"),
        CaseEvent::OfficerAssigned { on, .. } => {
            step(on.to_string(), "确定承办人", "step_officer_assigned")
        }
        CaseEvent::ActionRecorded { action, on, .. } => match action {
            case::ActionKind::NoticeIssued
            | case::ActionKind::ConsumptionRestriction
            | case::ActionKind::DishonestListing
            | case::ActionKind::Interview
            | case::ActionKind::DutiesPerformed => coded(
                on.to_string(),
                action.name_zh().into(),
                "step_action",
                vec![("action", action.as_str().into())],
            ),
            _ => return None,
        },
        CaseEvent::PaymentRecorded { amount, on, .. } => coded(
            on.to_string(),
            format!("履行 {amount} 元"),
            "step_payment",
            vec![("amount", amount.to_string())],
        ),
        CaseEvent::FundsReceived { amount, on, .. } => coded(
            on.to_string(),
            format!("案款到账 {amount} 元"),
            "step_funds_received",
            vec![("amount", amount.to_string())],
        ),
        CaseEvent::Suspended { on, .. } => step(on.to_string(), "中止执行", "step_suspended"),
        CaseEvent::SuspensionEnded { on } => step(
            on.to_string(),
            "恢复执行（中止结束）",
            "step_suspension_ended",
        ),
        CaseEvent::ExtensionApproved { months, on, .. } => coded(
            on.to_string(),
            format!("执行期限延长 {months} 个月"),
            "step_extended",
            vec![("months", months.to_string())],
        ),
        CaseEvent::Closed { mode, on, .. } => coded(
            on.to_string(),
            format!("结案：{}", mode.name_zh()),
            "step_closed",
            vec![("mode", mode.as_str().into())],
        ),
        CaseEvent::DocumentServed { record } if record.party_no == you => match record.announced_on
        {
            Some(announced) => coded(
                announced.to_string(),
                format!(
                    "公告送达：{}（视为送达日 {}）",
                    title_of(record.document_id),
                    record.served_on
                ),
                "step_served_by_announcement",
                vec![
                    ("document", title_of(record.document_id)),
                    ("served", record.served_on.to_string()),
                ],
            ),
            None => coded(
                record.served_on.to_string(),
                format!(
                    "送达：{}（{}）",
                    title_of(record.document_id),
                    record.method.name_zh()
                ),
                "step_served",
                vec![
                    ("document", title_of(record.document_id)),
                    ("method", record.method.as_str().into()),
                ],
            ),
        },
        CaseEvent::ElectronicConsentGiven { party_no, on, .. } if *party_no == you => {
            step(on.to_string(), "同意电子送达", "step_consent_given")
        }
        CaseEvent::ElectronicConsentRevoked { party_no, on } if *party_no == you => {
            step(on.to_string(), "撤回电子送达同意", "step_consent_revoked")
        }
        CaseEvent::ResumedAs { number, .. } => coded(
            at.to_owned(),
            format!("恢复执行，新案号 {number}"),
            "step_resumed_as",
            vec![("number", number.to_string())],
        ),
        CaseEvent::DishonestListed { .. } => step(
            at.to_owned(),
            "纳入失信被执行人名单",
            "step_dishonest_listed",
        ),
        CaseEvent::DishonestExtended { .. } => {
            step(at.to_owned(), "失信期限延长", "step_dishonest_extended")
        }
        CaseEvent::DishonestRemoved { .. } => step(
            at.to_owned(),
            "移出失信被执行人名单",
            "step_dishonest_removed",
        ),
        CaseEvent::RestrictionOrdered { .. } => {
            step(at.to_owned(), "发出限制消费令", "step_restriction_ordered")
        }
        CaseEvent::RestrictionLifted { .. } => {
            step(at.to_owned(), "解除限制消费令", "step_restriction_lifted")
        }
        CaseEvent::SecurityProvided { on, .. } => {
            step(on.to_string(), "提供执行担保", "step_security_provided")
        }
        CaseEvent::CreditWarningIssued { on, until, .. } => coded(
            on.to_string(),
            format!("信用惩戒预警（期限至 {until}）"),
            "step_credit_warning",
            vec![("until", until.to_string())],
        ),
        CaseEvent::DishonestAmended { .. }
        | CaseEvent::CorrectionRequested { .. }
        | CaseEvent::CorrectionDecided { .. }
        | CaseEvent::ClueSubmitted { .. }
        | CaseEvent::ClueVerified { .. }
        | CaseEvent::ClosureRequested { .. }
        | CaseEvent::ClosureRejected { .. }
        | CaseEvent::ExtensionRequested { .. }
        | CaseEvent::ExtensionRefused { .. }
        | CaseEvent::DocumentIssued { .. }
        | CaseEvent::DocumentServed { .. }
        | CaseEvent::ServiceFailed { .. }
        | CaseEvent::ElectronicConsentGiven { .. }
        | CaseEvent::ElectronicConsentRevoked { .. }
        | CaseEvent::DocumentOpened { .. } => return None,
    })
}

async fn build(
    app: &App,
    row: &zhixing_store::cases::CaseRow,
    court: &zhixing_store::courts::CourtRow,
    state: CaseState,
    party_no: i64,
) -> Result<PartyCaseView, AppError> {
    let parties: Vec<PublicParty> = state
        .parties
        .iter()
        .map(|p| PublicParty {
            no: p.no,
            role: role_str(p.role).into(),
            name: p.name.clone(),
        })
        .collect();
    let you = parties
        .iter()
        .find(|p| i64::from(p.no) == party_no)
        .map(|p| PublicParty {
            no: p.no,
            role: p.role.clone(),
            name: p.name.clone(),
        })
        .or_internal("})")?;
    let you_no = you.no;
    let events = app.store.case_events(row.id, app.now_us()).await?;
    let timeline = events
        .iter()
        .filter_map(|e| {
            let parsed: CaseEvent = serde_json::from_str(&e.payload).ok()?;
            let at = jiff::Timestamp::from_microsecond(e.at_us)
                .map(|t| crate::state::china_date(t).to_string())
                .unwrap_or_default();
            public_step(&parsed, &at, you_no, &state)
        })
        .collect();
    let rules = app.rules.current(&app.store).await?;
    app.calendar.current(&app.store).await?;
    let documents = inbox::documents_for(&state, you_no, app.today());
    let submitted_state = state.clone();
    let electronic_consent = inbox::consent_of(&state, you_no);
    let status = state.status;
    let filed_on = state.filed_on.to_string();
    let view = svc::view(
        app,
        court,
        state,
        app.today(),
        &rules,
        Shown {
            id: row.id,
            version: None,
            as_of: None,
        },
    )?;
    let respondent = you.role == "respondent";
    let deadlines = view
        .deadlines
        .iter()
        .filter(|d| d.status != "moot")
        // The court's own investigation deadlines tell a debtor where it looks and when.
        .filter(|d| !(respondent && reveals_investigation(&d.node)))
        .map(|d| PublicDeadline {
            title: d.title.clone(),
            due: d.due.to_string(),
            status: d.status.clone(),
        })
        .collect();
    let measures = public_measures(app, row.id, respondent).await?;
    let payments = if you.role == "applicant" {
        app.store
            .payouts_of(row.id)
            .await?
            .into_iter()
            .filter(|p| p.party_no == party_no)
            .map(|p| PublicPayment {
                amount_fen: p.amount,
                status: p.status,
                proposed_on: p.proposed_on,
                paid_on: p.paid_on,
            })
            .collect()
    } else {
        Vec::new()
    };
    let how_to_pay = respondent.then(|| HowToPay {
        account: crate::disposal::funds::payment_account(court, row),
        outstanding_fen: view.unpaid,
    });
    let submissions = submissions::of_party(app, row, &submitted_state, party_no).await?;
    let reviews = app
        .store
        .reviews_of_case(row.id)
        .await?
        .into_iter()
        .map(|r| {
            use zhixing_domain::review::{Outcome, ReviewKind, ReviewStatus};
            PublicReview {
                kind_zh: ReviewKind::parse(&r.kind)
                    .map_or("执行审查", ReviewKind::name_zh)
                    .to_owned(),
                status_zh: ReviewStatus::parse(&r.status)
                    .map_or("", ReviewStatus::name_zh)
                    .to_owned(),
                outcome_zh: r
                    .outcome
                    .as_deref()
                    .and_then(Outcome::parse)
                    .map(|o| o.name_zh().to_owned()),
                number: r.number,
                received_on: r.received_on,
                due_on: r.due_on,
                ruled_on: r.ruled_on,
            }
        })
        .collect();
    Ok(PartyCaseView {
        number: view.number,
        court_name: court.name.clone(),
        status: status.as_str().into(),
        status_zh: status.name_zh().into(),
        filed_on,
        you,
        parties,
        total_due_fen: view.total_due,
        unpaid_fen: view.unpaid,
        timeline,
        deadlines,
        measures,
        payments,
        documents,
        electronic_consent,
        how_to_pay,
        submissions,
        reviews,
    })
}

/// Whether a deadline is of the court's investigation (the first online investigation, the
/// verification of a clue).
fn reveals_investigation(node: &str) -> bool {
    node == "first_online_investigation" || node.starts_with("clue:")
}

/// The measures a party is shown: those in effect or ended, never one still requested or
/// refused; the property described without its account or certificate number in full. An
/// applicant sees the requested ones too: they asked for them.
async fn public_measures(
    app: &App,
    case_id: i64,
    respondent: bool,
) -> Result<Vec<PublicMeasure>, AppError> {
    use zhixing_domain::measure::MeasureStatus;
    let assets = app.store.assets_of(case_id).await?;
    let mut out = Vec::new();
    for m in app.store.measures_of(case_id).await? {
        let status = crate::control::measures::status_of(&m);
        if respondent && matches!(status, MeasureStatus::Requested | MeasureStatus::Refused) {
            continue;
        }
        let asset = match assets.iter().find(|a| a.id == m.asset_id) {
            Some(a) => {
                let held_at = app
                    .store
                    .institution(&a.institution_id)
                    .await?
                    .map(|i| i.name)
                    .unwrap_or_default();
                describe_asset(&a.kind, &held_at, &a.reference)
            }
            None => (String::new(), AssetParts::default()),
        };
        out.push(PublicMeasure {
            kind: m.kind.clone(),
            kind_zh: MeasureKind::parse(&m.kind)
                .map_or("", MeasureKind::name_zh)
                .to_owned(),
            asset: asset.0,
            asset_parts: asset.1,
            status: status.as_str().to_owned(),
            amount_fen: m.held_fen.or(m.amount_fen),
            until: m.until.clone(),
        });
    }
    Ok(out)
}

/// A measure's property in parts (see `PublicMeasure::asset_parts`).
#[derive(Debug, Clone, Default)]
pub struct AssetParts {
    pub kind: String,
    pub held_at: String,
    pub tail: String,
}

/// `银行存款（某银行，尾号 1234）`: the kind, where it is held and the last four characters
/// of its number; and the same in parts.
fn describe_asset(kind: &str, held_at: &str, reference: &str) -> (String, AssetParts) {
    let chars: Vec<char> = reference.trim().chars().collect();
    let shown = chars.len() > 4;
    let tail: String = if shown {
        chars[chars.len().saturating_sub(4)..].iter().collect()
    } else {
        String::new()
    };
    let kind_zh = zhixing_domain::measure::asset_kind_zh(kind);
    let words = match (held_at.is_empty(), tail.is_empty()) {
        (false, false) => format!("{kind_zh}（{held_at}，尾号 {tail}）"),
        (false, true) => format!("{kind_zh}（{held_at}）"),
        (true, false) => format!("{kind_zh}（尾号 {tail}）"),
        (true, true) => kind_zh.to_owned(),
    };
    let parts = AssetParts {
        kind: kind.to_owned(),
        held_at: held_at.to_owned(),
        tail,
    };
    (words, parts)
}

/// 法院公告 as published.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Announcement {
    pub id: i64,
    pub court_id: String,
    pub court_name: String,
    pub title: String,
    pub body: String,
    pub posted_at: String,
}

pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 20_000;

/// Posting an announcement (公告) of a court. Executed by [`post_announcement`].
#[derive(Debug, Clone)]
pub enum AnnouncementCommand {
    /// Posts one for `court_id` (the caller's own court if none); answers its id.
    Post {
        court_id: Option<String>,
        title: String,
        body: String,
    },
}

/// Carries out an announcement command for `by`: the announcement's id.
pub async fn post_announcement(
    app: &App,
    by: &Principal,
    cmd: AnnouncementCommand,
) -> Result<i64, AppError> {
    match cmd {
        AnnouncementCommand::Post {
            court_id,
            title,
            body,
        } => announce(app, by, court_id.as_deref(), &title, &body).await,
    }
}

/// Posts an announcement for a court the caller handles cases of or administers.
async fn announce(
    app: &App,
    by: &Principal,
    court_id: Option<&str>,
    title: &str,
    body: &str,
) -> Result<i64, AppError> {
    let court_id = court_id.unwrap_or(&by.court_id);
    let court =
        app.store.court(court_id).await?.ok_or_else(|| {
            AppError::not_found("court_not_found", format!("no court {court_id}"))
        })?;
    let allowed =
        by.may(Action::HandleCases, &court.path) || by.may(Action::ManageUsers, &court.path);
    if !allowed {
        // One who posts for their own court but named another is told which courts they may
        // post for; anyone else is simply not allowed.
        let posts_at_all = by.may(Action::HandleCases, &by.court_path)
            || by.may(Action::ManageUsers, &by.court_path);
        return Err(if posts_at_all {
            AppError::forbidden_as(
                "announcement_court_forbidden",
                "announcements are posted for the caller's own court (administrators: or a court below it)",
            )
        } else {
            AppError::forbidden(
                "only officers and administrators of a court post its announcements",
            )
        });
    }
    let (title, body) = (title.trim(), body.trim());
    let mut problems = Problems::new();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        problems.push(Reason::new("announcement_title_invalid").with("max", MAX_TITLE));
    }
    if body.is_empty() || body.chars().count() > MAX_BODY {
        problems.push(Reason::new("announcement_body_invalid").with("max", MAX_BODY));
    }
    problems.finish("invalid_announcement", RefusalKind::Invalid)?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let id = tx
        .insert_announcement(&court.id, title, body, by.user_id, now_us)
        .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(court.id.clone()),
            kind: "announcement.posted".into(),
            subject: format!("announcement:{id}"),
            payload: json!({"title": title}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn time_of(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The longest text a public search takes (a title part, a name, a case number): the
/// search stays a bounded LIKE over one page's worth of rows.
pub const MAX_SEARCH_CHARS: usize = 64;
/// The most items one page of a public list holds.
pub const MAX_PAGE: i64 = 100;

/// A search text, trimmed; none when empty; refused when longer than [`MAX_SEARCH_CHARS`].
fn search_part(s: Option<&str>) -> Result<Option<String>, AppError> {
    let s = s.map(str::trim).unwrap_or_default();
    if s.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::bad_request(
            "search_too_long",
            format!("a search text has at most {MAX_SEARCH_CHARS} characters"),
        ));
    }
    Ok((!s.is_empty()).then(|| s.to_owned()))
}

/// What a reader of the announcements asks for: all filters optional.
#[derive(Debug, Clone, Default)]
pub struct AnnouncementQuery {
    /// Below this id (the `next` of the previous page).
    pub before: Option<i64>,
    pub limit: i64,
    /// One court's announcements only.
    pub court_id: Option<String>,
    /// A part of the title.
    pub title: Option<String>,
}

fn announcement_of(r: zhixing_store::portal::AnnouncementRow) -> Announcement {
    Announcement {
        id: r.id,
        court_id: r.court_id,
        court_name: r.court_name,
        title: r.title,
        body: r.body,
        posted_at: time_of(r.posted_at),
    }
}

/// A page of announcements, newest first, and the cursor of the next page.
pub async fn announcements(
    app: &App,
    q: &AnnouncementQuery,
) -> Result<(Vec<Announcement>, Option<i64>), AppError> {
    let limit = q.limit.clamp(1, MAX_PAGE);
    let title = search_part(q.title.as_deref())?;
    let court = search_part(q.court_id.as_deref())?;
    let rows = app
        .store
        .announcements(q.before, limit, court.as_deref(), title.as_deref())
        .await?;
    let next = (i64::try_from(rows.len()).unwrap_or(0) == limit)
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    Ok((rows.into_iter().map(announcement_of).collect(), next))
}

/// One announcement in full.
pub async fn announcement(app: &App, id: i64) -> Result<Announcement, AppError> {
    app.store
        .announcement(id)
        .await?
        .map(announcement_of)
        .ok_or_else(|| {
            AppError::not_found("announcement_not_found", format!("no announcement {id}"))
        })
}

/// The courts that have posted announcements, (id, name), by name.
pub async fn announcing_courts(app: &App) -> Result<Vec<(String, String)>, AppError> {
    Ok(app.store.announcing_courts().await?)
}

/// A respondent of a 终本 case as published: the name and the masked identifier.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PublishedRespondent {
    pub name: String,
    /// Masked (e.g. `1101**********002X`); the full number or code is never published.
    pub id_masked: String,
}

/// A case closed by 终结本次执行程序, as published.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TerminatedCase {
    pub number: String,
    pub court_id: String,
    pub court_name: String,
    pub respondents: Vec<PublishedRespondent>,
    pub closed_on: Option<String>,
    pub unpaid_fen: i64,
}

/// What a reader of the 终本 list asks for: all filters optional.
#[derive(Debug, Clone, Default)]
pub struct TerminatedQuery {
    /// Below this case id (the `next` of the previous page).
    pub before: Option<i64>,
    pub limit: i64,
    /// A part of the case number (`执50`); full-width brackets and spaces as typed are read.
    pub number: Option<String>,
    /// A part of a respondent's name as published.
    pub name: Option<String>,
}

/// A page of 终本 cases, newest first, and the cursor of the next page. A case already
/// resumed (执恢) is no longer 终本 in substance and is left out.
pub async fn terminated(
    app: &App,
    q: &TerminatedQuery,
) -> Result<(Vec<TerminatedCase>, Option<i64>), AppError> {
    let limit = q.limit.clamp(1, MAX_PAGE);
    let number = search_part(q.number.as_deref())?.map(|n| normalize_number(&n));
    let name = search_part(q.name.as_deref())?;
    let rows = app
        .store
        .terminated_cases(q.before, limit, number.as_deref(), name.as_deref())
        .await?;
    let next = (i64::try_from(rows.len()).unwrap_or(0) == limit)
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let respondents = app.store.respondents_of(&ids).await?;
    let items = rows
        .into_iter()
        .filter(|r| {
            serde_json::from_str::<CaseState>(&r.state)
                .map(|s| s.resumed_as.is_none())
                .unwrap_or(true)
        })
        .map(|r| TerminatedCase {
            respondents: respondents
                .iter()
                .filter(|p| p.case_id == r.id)
                .map(|p| PublishedRespondent {
                    name: p.name.clone(),
                    // Records keep organisations' credit codes whole; DOMAIN §7 publishes
                    // every identifier masked. Masking a masked number changes nothing.
                    id_masked: zhixing_domain::identity::mask(&p.id_shown),
                })
                .collect(),
            number: r.number,
            court_id: r.court_id,
            court_name: r.court_name,
            closed_on: r.closed_on,
            unpaid_fen: (r.total_due - r.paid).max(0),
        })
        .collect();
    Ok((items, next))
}
