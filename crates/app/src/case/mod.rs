//! Case handling: filing, every change to a case, and the views of it. One transaction per
//! command: load the case, let the domain decide, write the new state, the events and any
//! documents together — or nothing.

pub mod command;
pub mod debtor;
pub mod documents;
pub mod draft;
pub mod query;
pub mod service;
pub mod web;

pub use command::{CaseCommand, Executed, FileCase, Filed, execute, file};

use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::{
    self, CaseEvent, CaseState, CaseStatus, Deadline, PartyRecord, Refusal,
};
use zhixing_domain::case_number::CaseNumber;
use zhixing_domain::court::CourtCode;
use zhixing_domain::filing::{self, FilingInput, ValidFiling};
use zhixing_domain::indicators::CaseFacts;
use zhixing_domain::rules::RuleBook;
use zhixing_store::NewEvent;
use zhixing_store::cases::{CaseRow, CaseUpdate, NewCase, NewParty};
use zhixing_store::courts::CourtRow;

use crate::error::{AppError, OrInternal};
use crate::state::App;

/// A refusal of the domain as the service's answer: its kind was set where it was made.
#[track_caller]
pub fn refused(r: Refusal) -> AppError {
    AppError::from(r)
}

/// The region (division-code prefix) rules are looked up for at a court.
pub fn region(court: &CourtRow) -> String {
    crate::platform::rules::region_of(&court.level, court.division_code.as_deref())
}

/// Normalises a basis document number for duplicate detection (bracket styles, spaces).
pub fn normalize_doc(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' | '〔' | '[' | '【' => '(',
            '）' | '〕' | ']' | '】' => ')',
            other => other,
        })
        .collect()
}

pub(crate) async fn own_court(app: &App, by: &Principal) -> Result<CourtRow, AppError> {
    app.store
        .court(&by.court_id)
        .await?
        .or_internal("court(by.court_id)")
}

pub fn handles(by: &Principal, court: &CourtRow) -> Result<(), AppError> {
    if by.may(Action::HandleCases, &court.path) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only officers, judges and division heads of this court handle its cases",
        ))
    }
}

/// A filing the domain accepted, with the rule book and the day it was judged by.
pub(crate) struct CheckedFiling {
    valid: ValidFiling,
    rules: Arc<RuleBook>,
    today: Date,
}

/// Checks a filing at `court` (the caller's own) before its transaction: whether `by` files
/// there, and every problem of the input at once. `resuming`: a 执恢 case, filed by resuming.
pub(crate) async fn check_filing(
    app: &App,
    by: &Principal,
    court: &CourtRow,
    input: &FilingInput,
    resuming: bool,
) -> Result<CheckedFiling, AppError> {
    handles(by, court)?;
    let today = app.today();
    let rules = app.rules.current(&app.store).await?;
    let calendar = app.calendar.current(&app.store).await?;
    let valid = filing::validate(input, today, &rules, calendar, &region(court))?;
    filing::check_origin(valid.case_type, resuming)?;
    Ok(CheckedFiling {
        valid,
        rules,
        today,
    })
}

/// Files a checked case at `court` inside the caller's transaction and issues each party its
/// access code (当事人查询码): only their keyed hashes are stored. `resumed_from` (id, number)
/// names the terminated case a 执恢 case resumes.
pub(crate) async fn file_in_tx(
    tx: &mut zhixing_store::Tx,
    app: &App,
    by: &Principal,
    court: &CourtRow,
    checked: CheckedFiling,
    resumed_from: Option<(i64, String)>,
) -> Result<Filed, AppError> {
    let CheckedFiling {
        valid,
        rules,
        today,
    } = checked;
    let basis_doc = normalize_doc(&valid.basis.document_number);
    let now_us = app.now_us();
    if resumed_from.is_none() {
        for p in valid
            .parties
            .iter()
            .filter(|p| p.role == case::PartyRole::Respondent)
        {
            let idx = app.cipher.index(p.identifier.normalized());
            if let Some(existing) = tx.duplicate_case(&court.id, &basis_doc, &idx).await? {
                return Err(AppError::conflict(
                    "duplicate_case",
                    format!(
                        "case {existing} already enforces {} against {}",
                        valid.basis.document_number, p.name
                    ),
                )
                .with_details(vec![existing]));
            }
        }
    }
    let year = i64::from(today.year());
    let seq = tx
        .next_case_seq(&court.id, valid.case_type.code(), year)
        .await?;
    let code = CourtCode::parse(&court.code).or_internal("CourtCode::parse(court.code)")?;
    let number = CaseNumber {
        year: today.year(),
        court: code,
        case_type: valid.case_type,
        seq: u32::try_from(seq).or_internal("u32::try_from(seq)")?,
    }
    .to_string();
    let parties: Vec<PartyRecord> = valid
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| PartyRecord {
            no: u32::try_from(i + 1).unwrap_or(u32::MAX),
            role: p.role,
            kind: p.kind().to_owned(),
            name: p.name.clone(),
            identifier: p.identifier.shown(),
            legal_representative: p.legal_representative.clone(),
        })
        .collect();
    let filed = CaseEvent::Filed {
        number: number.clone(),
        case_type: valid.case_type,
        court_id: court.id.clone(),
        filed_on: today,
        parties,
        basis: valid.basis.clone(),
        amounts: valid.amounts,
        duties: valid.duties.clone(),
        late_reason: valid.late_reason.clone(),
        resumed_from: resumed_from.as_ref().map(|r| r.1.clone()),
    };
    let state = CaseState::from_filed(&filed).or_internal("CaseState::from_filed(filed)")?;
    let next_due = next_due(app, &state, court, today, &rules)?;
    let state_json = serde_json::to_string(&state).or_internal("serde_json::to_string(state)")?;
    let facts = facts_of(app, &state, court, &rules)?;
    let id = tx
        .insert_case(&NewCase {
            court_id: &court.id,
            case_type: valid.case_type.code(),
            year,
            seq,
            number: &number,
            status: CaseStatus::Open.as_str(),
            filed_on: &today.to_string(),
            next_due: next_due.as_deref(),
            total_due: state.total_due().get(),
            basis_doc: &basis_doc,
            resumed_from: resumed_from.as_ref().map(|r| r.0),
            state: &state_json,
            at_us: now_us,
            court_path: &court.path,
            facts: &facts,
        })
        .await?;
    for (i, p) in valid.parties.iter().enumerate() {
        let sealed = app.cipher.seal(p.identifier.normalized())?;
        let address = p
            .address
            .as_deref()
            .map(|a| app.cipher.seal(a))
            .transpose()?;
        tx.insert_party(&NewParty {
            address_cipher: address.as_deref(),
            case_id: id,
            court_id: &court.id,
            no: i64::try_from(i + 1).unwrap_or(i64::MAX),
            role: match p.role {
                case::PartyRole::Applicant => "applicant",
                case::PartyRole::Respondent => "respondent",
            },
            kind: p.kind(),
            name: &p.name,
            id_cipher: &sealed,
            id_index: &app.cipher.index(p.identifier.normalized()),
            id_shown: &p.identifier.shown(),
            legal_rep: p.legal_representative.as_deref(),
        })
        .await?;
    }
    let mut events = vec![filed];
    // The acceptance notice is issued with the filing.
    let mut state = state;
    let doc_events = documents::issue_for(tx, app, court, id, &state, &events, by).await?;
    for e in &doc_events {
        state.apply(e);
    }
    let region_code = region(court);
    let ctx = rule_ctx(app, &rules, &region_code, today);
    service::track_unserved(tx, id, court, &state, &doc_events, &ctx, app.now_us()).await?;
    events.extend(doc_events);
    let state_json = serde_json::to_string(&state).or_internal("serde_json::to_string(state)")?;
    tx.update_case(
        id,
        1,
        &update_of(
            &state,
            &state_json,
            next_due.as_deref(),
            None,
            now_us,
            &court.path,
            &facts_of(app, &state, court, &rules)?,
        ),
    )
    .await?;
    append(tx, now_us, by, &court.id, id, &events).await?;
    let named: Vec<(i64, String)> = state
        .parties
        .iter()
        .map(|p| (i64::from(p.no), p.name.clone()))
        .collect();
    let access_codes =
        crate::portal::issue_in_tx(tx, app, id, &named, &crate::actor_of(by), now_us).await?;
    Ok(Filed {
        id,
        number,
        access_codes,
    })
}

/// The rules of the rule book as they apply at a court of `region` on `today`.
pub(crate) fn rule_ctx<'a>(
    app: &'a App,
    rules: &'a RuleBook,
    region: &'a str,
    today: Date,
) -> case::Ctx<'a> {
    case::Ctx {
        rules,
        calendar: app.calendar.last(),
        region,
        today,
    }
}

/// What the case contributes to the indicators (DOMAIN §10) as it now stands.
pub(crate) fn facts_of(
    app: &App,
    state: &CaseState,
    court: &CourtRow,
    rules: &RuleBook,
) -> Result<CaseFacts, AppError> {
    let region = region(court);
    Ok(CaseFacts::of(
        state,
        &rule_ctx(app, rules, &region, app.today()),
    )?)
}

pub(crate) fn update_of<'a>(
    state: &'a CaseState,
    state_json: &'a str,
    next_due: Option<&'a str>,
    closed_on: Option<&'a str>,
    at_us: i64,
    court_path: &'a str,
    facts: &'a CaseFacts,
) -> CaseUpdate<'a> {
    CaseUpdate {
        status: state.status.as_str(),
        closure_mode: state.closure.as_ref().map(|c| c.0.as_str()),
        officer_id: state.officer.as_ref().map(|o| o.0),
        closed_on,
        next_due,
        paid: state.paid.get(),
        state: state_json,
        at_us,
        court_path,
        facts,
    }
}

async fn append(
    tx: &mut zhixing_store::Tx,
    at_us: i64,
    by: &Principal,
    court_id: &str,
    case_id: i64,
    events: &[CaseEvent],
) -> Result<(), AppError> {
    append_as(tx, at_us, &crate::actor_of(by), court_id, case_id, events).await
}

async fn append_as(
    tx: &mut zhixing_store::Tx,
    at_us: i64,
    actor: &str,
    court_id: &str,
    case_id: i64,
    events: &[CaseEvent],
) -> Result<(), AppError> {
    let records: Vec<NewEvent> = events
        .iter()
        .map(|e| NewEvent {
            actor: actor.to_owned(),
            court_id: Some(court_id.to_owned()),
            kind: e.kind().to_owned(),
            subject: format!("case:{case_id}"),
            payload: serde_json::to_value(e).unwrap_or_default(),
        })
        .collect();
    tx.append_events(at_us, &records).await?;
    Ok(())
}

/// The earliest open deadline, for sorting and the overdue filter.
fn next_due(
    app: &App,
    state: &CaseState,
    court: &CourtRow,
    today: Date,
    rules: &RuleBook,
) -> Result<Option<String>, AppError> {
    if state.status == CaseStatus::Closed {
        return Ok(None);
    }
    let region = region(court);
    let ds = case::deadlines(state, &rule_ctx(app, rules, &region, today))?;
    Ok(case::next_actions(&ds).first().map(|d| d.due.to_string()))
}

/// Who acts on a case.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// A signed-in user, who must be allowed `Action` at the case's court.
    User(&'a Principal, Action),
    /// The platform itself (a worker), as the log names it (`system:watch`).
    System(&'a str),
}

impl Actor<'_> {
    fn name(&self) -> String {
        match self {
            Actor::User(p, _) => crate::actor_of(p),
            Actor::System(a) => (*a).to_owned(),
        }
    }
}

/// A case and its court, whoever asks.
async fn load(app: &App, id: i64) -> Result<(CaseRow, CourtRow), AppError> {
    let row = app
        .store
        .case(id)
        .await?
        .ok_or_else(|| case_not_found(id))?;
    let court = court_of(app, &row).await?;
    Ok((row, court))
}

async fn court_of(app: &App, row: &CaseRow) -> Result<CourtRow, AppError> {
    app.store
        .court(&row.court_id)
        .await?
        .or_internal("court of a case")
}

/// Loads a case the caller may read, or 404.
pub async fn readable(app: &App, by: &Principal, id: i64) -> Result<(CaseRow, CourtRow), AppError> {
    let (row, court) = load(app, id).await?;
    if by.may(Action::ReadCaseData, &court.path) {
        Ok((row, court))
    } else {
        Err(case_not_found(id))
    }
}

fn case_not_found(id: i64) -> AppError {
    AppError::not_found("case_not_found", format!("no case {id}"))
}

pub fn state_of(row: &CaseRow) -> Result<CaseState, AppError> {
    serde_json::from_str(&row.state)
        .map_err(|e| AppError::internal(format_args!("unreadable state of case {}: {e}", row.id)))
}

/// Whether `by` may do `action` on a case at `court`: 404 if it may not even read the case
/// (its existence is not revealed), 403 if it may read but not do this.
pub fn authorise(
    by: &Principal,
    court: &CourtRow,
    id: i64,
    action: Action,
) -> Result<(), AppError> {
    if !by.may(Action::ReadCaseData, &court.path) {
        return Err(case_not_found(id));
    }
    if by.may(action, &court.path) {
        return Ok(());
    }
    Err(match action {
        Action::Approve => AppError::forbidden("only the division head (执行局长) decides this"),
        Action::ApproveExtension => {
            AppError::forbidden("only the court president (院长) decides an extension")
        }
        _ => AppError::forbidden(
            "only officers, judges and division heads of this court handle its cases",
        ),
    })
}

/// Loads a case `by` may do `action` on (see [`authorise`]).
pub async fn may_act(
    app: &App,
    by: &Principal,
    id: i64,
    action: Action,
) -> Result<(CaseRow, CourtRow), AppError> {
    let (row, court) = load(app, id).await?;
    authorise(by, &court, id, action)?;
    Ok((row, court))
}

/// What a change did to a case.
#[derive(Debug)]
pub struct Changed {
    /// The case's row as it was before the change.
    pub row: CaseRow,
    pub court: CourtRow,
    /// The state before the change.
    pub before: CaseState,
    /// The events the domain decided (empty: nothing to do, and nothing was written).
    pub decided: Vec<CaseEvent>,
    /// Everything recorded: the decided events and the documents they issued.
    pub recorded: Vec<CaseEvent>,
    /// The case's version now.
    pub version: i64,
}

/// The one write path of a case, inside the caller's transaction: lock and load the case,
/// authorise the actor, check the version the caller saw, let the domain decide, issue the
/// documents the events call for, write the new state with its deadline and indicator facts,
/// append the events. The caller writes whatever else belongs to the command in the same
/// transaction, then commits.
pub async fn change_in_tx<F>(
    tx: &mut zhixing_store::Tx,
    app: &App,
    actor: Actor<'_>,
    id: i64,
    expected_version: Option<i64>,
    decide: F,
) -> Result<Changed, AppError>
where
    F: FnOnce(&CaseState, &case::Ctx<'_>) -> Result<Vec<CaseEvent>, Refusal>,
{
    let row = tx.case_tx(id).await?.ok_or_else(|| case_not_found(id))?;
    let court = court_of(app, &row).await?;
    if let Actor::User(by, action) = actor {
        authorise(by, &court, id, action)?;
    }
    if let Some(v) = expected_version
        && v != row.version
    {
        return Err(version_conflict(row.version));
    }
    let before = state_of(&row)?;
    let rules = app.rules.current(&app.store).await?;
    app.calendar.current(&app.store).await?;
    let today = app.today();
    let region = region(&court);
    let ctx = rule_ctx(app, &rules, &region, today);
    let decided = decide(&before, &ctx)?;
    if decided.is_empty() {
        let version = row.version;
        return Ok(Changed {
            row,
            court,
            before,
            decided,
            recorded: Vec::new(),
            version,
        });
    }
    let mut state = before.clone();
    for e in &decided {
        state.apply(e);
    }
    let by = actor.name();
    let docs = documents::issue_for_actor(tx, app, &court, id, &state, &decided, &by).await?;
    for e in &docs {
        state.apply(e);
    }
    // A document reaches at once the inbox of a recipient who consented to electronic service.
    let issued: Vec<CaseEvent> = decided.iter().chain(&docs).cloned().collect();
    let served = service::serve_on_issue(tx, app, id, &court, &state, &issued, &ctx).await?;
    for e in &served {
        state.apply(e);
    }
    let mut recorded = decided.clone();
    recorded.extend(docs);
    recorded.extend(served);
    service::track_unserved(tx, id, &court, &state, &recorded, &ctx, app.now_us()).await?;
    let due = next_due(app, &state, &court, today, &rules)?;
    let closed_on = state.closure.as_ref().map(|c| c.2.to_string());
    let json = serde_json::to_string(&state).or_internal("case state as JSON")?;
    let now_us = app.now_us();
    let facts = facts_of(app, &state, &court, &rules)?;
    let update = update_of(
        &state,
        &json,
        due.as_deref(),
        closed_on.as_deref(),
        now_us,
        &court.path,
        &facts,
    );
    if !tx.update_case(id, row.version, &update).await? {
        return Err(version_conflict(row.version));
    }
    // Closed as 终本: the watch worker owes it a re-investigation every interval from the
    // closure day (its mark, which any investigation moves on).
    for e in &decided {
        if let CaseEvent::Closed {
            mode: case::ClosureMode::Zhongben,
            on,
            ..
        } = e
        {
            let since = crate::state::china_day_start_us(*on).or_internal("closure day start")?;
            tx.mark_zhongben_recheck(id, &court.id, &on.to_string(), since)
                .await?;
        }
    }
    append_as(tx, now_us, &by, &court.id, id, &recorded).await?;
    let version = row.version + 1;
    Ok(Changed {
        row,
        court,
        before,
        decided,
        recorded,
        version,
    })
}

/// [`change_in_tx`] in a transaction of its own.
pub async fn change<F>(
    app: &App,
    actor: Actor<'_>,
    id: i64,
    expected_version: Option<i64>,
    decide: F,
) -> Result<Changed, AppError>
where
    F: FnOnce(&CaseState, &case::Ctx<'_>) -> Result<Vec<CaseEvent>, Refusal>,
{
    let mut tx = app.store.begin().await?;
    let changed = change_in_tx(&mut tx, app, actor, id, expected_version, decide).await?;
    if !changed.decided.is_empty() {
        tx.commit().await?;
    }
    Ok(changed)
}

pub(crate) fn version_conflict(current: i64) -> AppError {
    AppError::conflict(
        "version_conflict",
        "the case was changed by someone else meanwhile; reload it and try again",
    )
    .with_details(vec![format!("current version: {current}")])
}

/// A case as the API and pages show it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CaseView {
    pub id: i64,
    pub number: String,
    pub court_id: String,
    pub status: String,
    /// Send back as `version` with a change, to refuse it if someone else changed the case.
    pub version: Option<i64>,
    #[schemars(with = "serde_json::Value")]
    pub case: CaseState,
    pub total_due: i64,
    pub unpaid: i64,
    #[schemars(with = "Vec<serde_json::Value>")]
    pub deadlines: Vec<Deadline>,
    #[schemars(with = "Vec<serde_json::Value>")]
    pub next_actions: Vec<Deadline>,
    /// Set when the case is shown as it stood at a past moment.
    pub as_of: Option<String>,
}

/// Which case is shown, and whether as it stands now (with its version) or at a past moment.
pub struct Shown {
    pub id: i64,
    pub version: Option<i64>,
    pub as_of: Option<String>,
}

pub fn view(
    app: &App,
    court: &CourtRow,
    state: CaseState,
    today: Date,
    rules: &RuleBook,
    shown: Shown,
) -> Result<CaseView, AppError> {
    let Shown { id, version, as_of } = shown;
    let region = region(court);
    let ds = case::deadlines(&state, &rule_ctx(app, rules, &region, today))?;
    let next: Vec<Deadline> = case::next_actions(&ds).into_iter().cloned().collect();
    Ok(CaseView {
        id,
        number: state.number.clone(),
        court_id: state.court_id.clone(),
        status: state.status.as_str().to_owned(),
        version,
        total_due: state.total_due().get(),
        unpaid: state.unpaid().get(),
        case: state,
        deadlines: ds,
        next_actions: next,
        as_of,
    })
}

/// The case now, or as it stood at `as_of` (rebuilt from its events up to then).
pub async fn show(
    app: &App,
    by: &Principal,
    id: i64,
    as_of: Option<jiff::Timestamp>,
) -> Result<CaseView, AppError> {
    let (row, court) = readable(app, by, id).await?;
    let rules = app.rules.current(&app.store).await?;
    app.calendar.current(&app.store).await?;
    match as_of {
        None => view(
            app,
            &court,
            state_of(&row)?,
            app.today(),
            &rules,
            Shown {
                id,
                version: Some(row.version),
                as_of: None,
            },
        ),
        Some(t) => {
            let events = app.store.case_events(id, t.as_microsecond()).await?;
            let parsed: Vec<CaseEvent> = events
                .iter()
                .filter_map(|e| serde_json::from_str(&e.payload).ok())
                .collect();
            let state = CaseState::fold(&parsed).ok_or_else(|| {
                AppError::not_found(
                    "not_yet_filed",
                    format!("case {id} had not been filed at {t}"),
                )
            })?;
            let day = crate::state::china_date(t);
            view(
                app,
                &court,
                state,
                day,
                &rules,
                Shown {
                    id,
                    version: None,
                    as_of: Some(t.to_string()),
                },
            )
        }
    }
}

/// The full identifier of a party: an audited read.
pub async fn reveal_identifier(
    app: &App,
    by: &Principal,
    id: i64,
    no: i64,
) -> Result<String, AppError> {
    let (_, court) = readable(app, by, id).await?;
    handles(by, &court)?;
    let sealed = app.store.party_cipher(id, no).await?.ok_or_else(|| {
        AppError::not_found("party_not_found", format!("case {id} has no party {no}"))
    })?;
    let plain = app.cipher.open(&sealed)?;
    crate::platform::audit::record_sensitive_read(
        app,
        by,
        &court.id,
        &format!("case:{id}"),
        &[&format!("party:{no}.identifier")],
    )
    .await?;
    Ok(plain)
}
