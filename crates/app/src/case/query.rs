//! What the API and the pages read of cases: a court's cases, filtered and paged; a case's
//! timeline; the closure checklist; issued documents; everything the case page shows of the
//! case itself. Each read checks that the caller may see what it reads.

use std::sync::Arc;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::{
    self, CaseEvent, CaseState, CaseStatus, ClosureMode, Condition, PartyRole,
};
use zhixing_domain::case_number::{CaseNumber, CaseType};
use zhixing_domain::court::CourtId;
use zhixing_domain::rules::RuleBook;
use zhixing_store::cases::{CaseFilter, CaseOrder, CaseRow, NO_DEADLINE};
use zhixing_store::courts::CourtRow;

use super::{CaseView, readable, region, rule_ctx, state_of};
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// Which cases of a court to list, as the caller asked (every field is optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Court id (default: the caller's).
    pub court: Option<String>,
    /// open, suspended, pending_closure, closed
    pub status: Option<String>,
    /// A user id, or `me`.
    pub officer: Option<String>,
    /// 执, 执恢, 执保
    #[serde(rename = "type")]
    pub case_type: Option<String>,
    /// Only cases with a missed deadline.
    pub overdue: Option<bool>,
    pub filed_from: Option<String>,
    pub filed_to: Option<String>,
    /// A case number, a party's name (prefix), or an ID number / credit code.
    pub q: Option<String>,
    /// `due` (next deadline first), `filed` (newest first, default), `amount` (largest amount
    /// to enforce first) or `amount_asc`.
    pub sort: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// A case in a list.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CaseSummary {
    pub id: i64,
    pub number: String,
    pub case_type: String,
    pub status: String,
    pub closure_mode: Option<String>,
    pub officer_id: Option<i64>,
    pub officer_name: Option<String>,
    pub filed_on: String,
    pub next_due: Option<String>,
    pub overdue: bool,
    pub applicants: Vec<String>,
    pub respondents: Vec<String>,
    pub total_due: i64,
    pub paid: i64,
}

/// A page of a court's cases.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    /// Send back as `cursor` for the next page; none on the last.
    pub next_cursor: Option<String>,
}

/// The cases listed, and the court they are of.
#[derive(Debug)]
pub struct Listed {
    pub court_id: String,
    pub court_name: String,
    pub page: CasePage,
}

fn summary(row: &CaseRow, today: Date) -> CaseSummary {
    let state: Option<CaseState> = serde_json::from_str(&row.state).ok();
    let names = |role: PartyRole| -> Vec<String> {
        state
            .as_ref()
            .map(|s| {
                s.parties
                    .iter()
                    .filter(|p| p.role == role)
                    .map(|p| p.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    CaseSummary {
        id: row.id,
        number: row.number.clone(),
        case_type: row.case_type.clone(),
        status: row.status.clone(),
        closure_mode: row.closure_mode.clone(),
        officer_id: row.officer_id,
        officer_name: state
            .as_ref()
            .and_then(|s| s.officer.as_ref().map(|o| o.1.clone())),
        filed_on: row.filed_on.clone(),
        next_due: Some(row.next_due.clone()).filter(|d| d != NO_DEADLINE),
        overdue: row.status != CaseStatus::Closed.as_str()
            && row.next_due.as_str() < today.to_string().as_str(),
        applicants: names(PartyRole::Applicant),
        respondents: names(PartyRole::Respondent),
        total_due: row.total_due,
        paid: row.paid,
    }
}

/// A court whose cases the caller may read; any other answers 404, as if it did not exist.
pub(crate) async fn court_with_cases(
    app: &App,
    by: &Principal,
    id: &str,
) -> Result<CourtRow, AppError> {
    let not_found = || AppError::not_found("court_not_found", format!("no court {id:?}"));
    CourtId::parse(id).map_err(|e| AppError::bad_request("invalid_court_id", e.to_string()))?;
    let court = app.store.court(id).await?.ok_or_else(not_found)?;
    if by.may(Action::ReadCourt, &court.path) && by.may(Action::ReadCaseData, &court.path) {
        Ok(court)
    } else {
        Err(not_found())
    }
}

/// The store's filter for a list, or what is malformed in the query.
async fn filter_of(
    app: &App,
    by: &Principal,
    court: &CourtRow,
    q: &ListQuery,
) -> Result<CaseFilter, AppError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(AppError::bad_request(
            "invalid_limit",
            "limit must be between 1 and 500",
        ));
    }
    if let Some(s) = &q.status
        && CaseStatus::parse(s).is_none()
    {
        return Err(AppError::bad_request(
            "invalid_status",
            "status is open, suspended, pending_closure or closed",
        ));
    }
    if let Some(t) = &q.case_type
        && CaseType::parse(t).is_none()
    {
        return Err(AppError::bad_request(
            "unknown_case_type",
            format!("unknown case type {t:?}"),
        ));
    }
    let officer_id = match q.officer.as_deref() {
        None => None,
        Some("me") => Some(by.user_id),
        Some(s) => Some(s.parse().map_err(|_| {
            AppError::bad_request("invalid_officer", "officer is a user id or `me`")
        })?),
    };
    for (name, v) in [("filed_from", &q.filed_from), ("filed_to", &q.filed_to)] {
        if let Some(d) = v {
            d.parse::<Date>().map_err(|_| {
                AppError::bad_request("invalid_date", format!("{name} must be YYYY-MM-DD"))
            })?;
        }
    }
    let order = match q.sort.as_deref() {
        None | Some("filed") => CaseOrder::Newest,
        Some("due") => CaseOrder::Due,
        Some("amount") => CaseOrder::AmountDesc,
        Some("amount_asc") => CaseOrder::AmountAsc,
        Some(_) => {
            return Err(AppError::bad_request(
                "invalid_sort",
                "sort is `due`, `filed`, `amount` or `amount_asc`",
            ));
        }
    };
    let after = match &q.cursor {
        None => None,
        Some(c) => Some(cursor_of(c).ok_or_else(|| {
            AppError::bad_request("invalid_cursor", "the cursor is not one this API returned")
        })?),
    };
    let ids = match q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => Some(search(app, &court.id, text).await?),
    };
    Ok(CaseFilter {
        court_id: court.id.clone(),
        status: q.status.clone(),
        officer_id,
        case_type: q.case_type.clone(),
        overdue_before: q.overdue.filter(|o| *o).map(|_| app.today().to_string()),
        filed_from: q.filed_from.clone(),
        filed_to: q.filed_to.clone(),
        ids,
        order,
        after,
        limit: limit + 1,
    })
}

/// The keyset position a cursor of [`CasePage`] stands for: (next due or "", id).
fn cursor_of(c: &str) -> Option<(String, i64)> {
    let text = String::from_utf8(hex::decode(c).ok()?).ok()?;
    let (key, id) = text.split_once('|')?;
    Some((key.to_owned(), id.parse().ok()?))
}

/// Case ids matching a search: a case number, an identifier (blind index) or a name prefix.
async fn search(app: &App, court_id: &str, text: &str) -> Result<Vec<i64>, AppError> {
    if let Ok(n) = CaseNumber::parse(text) {
        return Ok(app
            .store
            .case_by_number(&n.to_string())
            .await?
            .filter(|c| c.court_id == court_id)
            .map(|c| vec![c.id])
            .unwrap_or_default());
    }
    // An ID number or credit code is found by its blind index, computed from the canonical
    // form as at filing (a lowercase `x` or spaces typed around it still find the party);
    // the plaintext is never compared.
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(normalised) = zhixing_domain::identity::normalise(&compact) {
        return Ok(app
            .store
            .cases_by_identifier(court_id, &app.cipher.index(&normalised), 500)
            .await?);
    }
    let looks_like_id = compact.len() == 18 && compact.chars().all(|c| c.is_ascii_alphanumeric());
    if looks_like_id {
        // Eighteen characters that are no valid identifier (a wrong check digit): no party
        // can have it, and it is no name or case number either.
        return Ok(Vec::new());
    }
    // A piece of a case number (`执50`, `(2026)京0105`, `50号`): people type what they remember.
    let number_like = text.contains('执')
        || text.contains('(')
        || text.contains('（')
        || text.ends_with('号')
        || text.chars().all(|c| c.is_ascii_digit());
    if number_like {
        let part = crate::portal::normalize_number(text);
        let found = app.store.cases_by_number_part(court_id, &part, 500).await?;
        // 执 is also a letter of names (张执中): what is no piece of any number is a name.
        if !found.is_empty() || text.chars().all(|c| c.is_ascii_digit()) {
            return Ok(found);
        }
    }
    Ok(app.store.cases_by_party_name(court_id, text, 500).await?)
}

/// The cases of a court (the caller's unless named), filtered, a page at a time.
pub async fn list(app: &App, by: &Principal, q: &ListQuery) -> Result<Listed, AppError> {
    let court_id = q.court.clone().unwrap_or_else(|| by.court_id.clone());
    let court = court_with_cases(app, by, &court_id).await?;
    let f = filter_of(app, by, &court, q).await?;
    let mut rows = app.store.list_cases(&f).await?;
    let shown = usize::try_from(f.limit - 1).unwrap_or(0);
    let more = rows.len() > shown;
    rows.truncate(shown);
    let next_cursor = rows.last().filter(|_| more).map(|r| {
        let key = match f.order {
            CaseOrder::Due => r.next_due.clone(),
            CaseOrder::Newest => String::new(),
            CaseOrder::AmountDesc | CaseOrder::AmountAsc => r.total_due.to_string(),
        };
        hex::encode(format!("{key}|{}", r.id))
    });
    let today = app.today();
    Ok(Listed {
        court_id: court.id,
        court_name: court.name,
        page: CasePage {
            items: rows.iter().map(|r| summary(r, today)).collect(),
            next_cursor,
        },
    })
}

/// One event of a case's timeline.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TimelineEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub payload: serde_json::Value,
}

/// The sequence number of the newest event that changed the case (not a read of it): the
/// open case page asks for it and refreshes when it moved.
pub async fn last_change(app: &App, by: &Principal, id: i64) -> Result<i64, AppError> {
    readable(app, by, id).await?;
    Ok(app.store.case_last_change(id).await?)
}

/// Every event of the case, in order, with actor and time — including those of its price
/// determinations (`valuation.*`).
pub async fn timeline(app: &App, by: &Principal, id: i64) -> Result<Vec<TimelineEntry>, AppError> {
    readable(app, by, id).await?;
    timeline_of(app, id).await
}

async fn timeline_of(app: &App, id: i64) -> Result<Vec<TimelineEntry>, AppError> {
    let events = app.store.case_timeline(id).await?;
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        out.push(TimelineEntry {
            seq: e.seq,
            at: zhixing_store::from_micros(e.at_us)?.to_string(),
            actor: e.actor,
            kind: e.kind,
            payload: serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null),
        });
    }
    Ok(out)
}

/// The preconditions of a closure mode and whether each is met, as the case stands.
#[derive(Debug, Serialize)]
pub struct Checklist {
    pub mode: ClosureMode,
    pub needs_approval: bool,
    /// Every condition but the reason, which is given with the closure itself.
    pub conditions: Vec<Condition>,
    /// What the closure would do, were it to take effect today (DOMAIN §4a).
    pub effects: ClosureEffects,
}

/// What a closure ends elsewhere on the case.
#[derive(Debug, Serialize, Default, schemars::JsonSchema)]
pub struct ClosureEffects {
    /// Measures whose release orders go to their institutions.
    pub releases: Vec<i64>,
    /// Listings removed from the dishonest list (their numbers on the case).
    pub listings_removed: Vec<u32>,
    /// Consumption restriction orders lifted.
    pub orders_lifted: Vec<u32>,
}

/// A closure awaiting the division head, in full: what was proposed, by whom and why, and the
/// case's own conditions of that mode as they stood when it was proposed (rebuilt from the
/// case's events up to the request, judged on its day).
#[derive(Debug, Serialize)]
pub struct ProposedClosure {
    pub mode: ClosureMode,
    pub reason: String,
    pub proposed_on: Date,
    pub proposed_by: Option<String>,
    pub conditions: Vec<zhixing_domain::case::Condition>,
}

pub async fn proposed_closure(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<Option<ProposedClosure>, AppError> {
    let (row, court) = readable(app, by, id).await?;
    let state = state_of(&row)?;
    let Some((mode, reason, on)) = state.closure_request.clone() else {
        return Ok(None);
    };
    let events: Vec<CaseEvent> = app
        .store
        .case_events(id, i64::MAX)
        .await?
        .iter()
        .filter_map(|e| serde_json::from_str(&e.payload).ok())
        .collect();
    let upto = events
        .iter()
        .rposition(|e| matches!(e, CaseEvent::ClosureRequested { .. }))
        .map_or(events.len(), |i| i + 1);
    let then = CaseState::fold(&events[..upto]).unwrap_or(state.clone());
    let rules = app.rules.current(&app.store).await?;
    app.calendar.current(&app.store).await?;
    let region = region(&court);
    let cx = rule_ctx(app, &rules, &region, on);
    let conditions = case::closure_checklist(&then, mode, &reason, &cx)?;
    let proposed_by = match &state.closure_proposer {
        Some(u) => Some(display_name(app, u).await?),
        None => None,
    };
    Ok(Some(ProposedClosure {
        mode,
        reason,
        proposed_on: on,
        proposed_by,
        conditions,
    }))
}

/// The closure checklist of `mode` for case `id`.
pub async fn checklist(
    app: &App,
    by: &Principal,
    id: i64,
    mode: ClosureMode,
) -> Result<Checklist, AppError> {
    let (row, court) = readable(app, by, id).await?;
    let state = state_of(&row)?;
    let rules = app.rules.current(&app.store).await?;
    app.calendar.current(&app.store).await?;
    let region = region(&court);
    let cx = rule_ctx(app, &rules, &region, app.today());
    let held = holdings(app, id).await?;
    let mut conditions = case::closure_checklist(&state, mode, "", &cx)?;
    conditions.retain(|c| c.code != "closure_reason");
    conditions.extend(zhixing_domain::closure::conditions(mode, &held));
    let fx = zhixing_domain::closure::effects(&state, mode, &held, &cx)?;
    let mut effects = ClosureEffects {
        releases: fx.releases,
        ..ClosureEffects::default()
    };
    for e in &fx.events {
        match e {
            CaseEvent::DishonestRemoved { no, .. } => effects.listings_removed.push(*no),
            CaseEvent::RestrictionLifted { no, .. } => effects.orders_lifted.push(*no),
            _ => {}
        }
    }
    Ok(Checklist {
        mode,
        needs_approval: mode.needs_approval(),
        conditions,
        effects,
    })
}

/// What the case holds outside its state (measures, account), as it stands: for showing. The
/// closure itself reads them again under the case's lock.
async fn holdings(app: &App, id: i64) -> Result<zhixing_domain::closure::Holdings, AppError> {
    let measures = app
        .store
        .measures_of(id)
        .await?
        .iter()
        .map(|m| {
            Ok(zhixing_domain::closure::HeldMeasure {
                id: m.id,
                kind: zhixing_domain::measure::MeasureKind::parse(&m.kind)
                    .or_internal("MeasureKind::parse(m.kind)")?,
                status: crate::control::measures::status_of(m),
                awaiting: m.pending.is_some(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let (held, undistributed) = crate::disposal::funds::settlement(app, id).await?;
    Ok(zhixing_domain::closure::Holdings {
        measures,
        held,
        undistributed,
    })
}

/// An issued document (法律文书): print-ready HTML and its SHA-256, as stored.
#[derive(Debug)]
pub struct IssuedDocument {
    pub html: String,
    pub sha256: String,
}

/// Document `id`, if the caller may read the cases of its court (else 404, as if none).
pub async fn document(app: &App, by: &Principal, id: i64) -> Result<IssuedDocument, AppError> {
    let not_found = || AppError::not_found("document_not_found", format!("no document {id}"));
    let doc = app.store.document(id).await?.ok_or_else(not_found)?;
    let court = app
        .store
        .court(&doc.court_id)
        .await?
        .ok_or_else(not_found)?;
    if !by.may(Action::ReadCaseData, &court.path) {
        return Err(not_found());
    }
    Ok(IssuedDocument {
        html: doc.html,
        sha256: doc.sha256,
    })
}

/// What the case page shows of the case itself: the case with its deadlines, its court, its
/// timeline, and the rule book in force with the court's region.
pub struct CaseFile {
    pub view: CaseView,
    pub court: CourtRow,
    pub timeline: Vec<TimelineEntry>,
    pub rules: Arc<RuleBook>,
    pub region: String,
}

/// The case `id` as its page shows it.
pub async fn case_file(app: &App, by: &Principal, id: i64) -> Result<CaseFile, AppError> {
    let view = super::show(app, by, id, None).await?;
    let (_, court) = readable(app, by, id).await?;
    Ok(CaseFile {
        view,
        timeline: timeline_of(app, id).await?,
        rules: app.rules.current(&app.store).await?,
        region: region(&court),
        court,
    })
}

/// A request to extend the time to conclude awaiting the court president.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PendingExtension {
    pub case_id: i64,
    pub number: String,
    pub months: i64,
    pub reason: String,
    pub requested_on: jiff::civil::Date,
    pub requested_by: String,
}

/// The president's queue: the extension requests of the caller's court still awaiting a
/// decision (of the latest hundred requests; one is decided within days). Empty for anyone
/// who does not decide extensions there.
pub async fn pending_extensions(
    app: &App,
    by: &Principal,
) -> Result<Vec<PendingExtension>, AppError> {
    if !by.may(Action::ApproveExtension, &by.court_path) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for subject in app
        .store
        .extension_request_subjects(&by.court_id, 100)
        .await?
    {
        let Some(id) = subject
            .strip_prefix("case:")
            .and_then(|s| s.parse::<i64>().ok())
        else {
            continue;
        };
        let Some(row) = app.store.case(id).await? else {
            continue;
        };
        let state = state_of(&row)?;
        if let Some(r) = state.extension_request {
            out.push(PendingExtension {
                case_id: id,
                number: state.number,
                months: r.months,
                reason: r.reason,
                requested_on: r.on,
                requested_by: r.by,
            });
        }
    }
    Ok(out)
}

/// The accounts a case at its court can be assigned to (分案): the active officers and judges
/// of that court, by name — what the assignment form offers. For whoever may handle the case.
pub async fn assignable(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    let (_, court) = readable(app, by, id).await?;
    if !by.may(Action::HandleCases, &court.path) {
        return Ok(Vec::new());
    }
    let mut out: Vec<(i64, String)> = app
        .store
        .users_under(&court.path, 2000)
        .await?
        .into_iter()
        .filter(|u| u.court_id == court.id && u.active)
        .filter(|u| {
            crate::identity::auth::parse_roles(&u.roles)
                .iter()
                .any(|r| {
                    matches!(
                        r,
                        zhixing_domain::access::Role::Officer | zhixing_domain::access::Role::Judge
                    )
                })
        })
        .map(|u| (u.id, u.display_name))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// How the pages name the actors of events: an account by its name, the platform's workers,
/// a party by their number, an anonymous visitor. Accounts are looked up once each.
pub async fn actor_names(
    app: &App,
    actors: &[String],
) -> Result<std::collections::HashMap<String, String>, AppError> {
    let mut out = std::collections::HashMap::new();
    for a in actors.iter().map(String::as_str) {
        if out.contains_key(a) {
            continue;
        }
        let name = if a.starts_with("user:") {
            display_name(app, a).await?
        } else if a.starts_with("system:") {
            "系统".to_owned()
        } else if let Some((_, no)) = a.strip_prefix("party:").and_then(|p| p.split_once('/')) {
            format!("当事人（第{no}号）")
        } else if a == "anonymous" {
            "匿名访问".to_owned()
        } else {
            a.to_owned()
        };
        out.insert(a.to_owned(), name);
    }
    Ok(out)
}

/// A closure proposed and awaiting the division head, as their queue shows it.
#[derive(Debug, Serialize)]
pub struct PendingClosure {
    pub case_id: i64,
    pub number: String,
    pub mode: zhixing_domain::case::ClosureMode,
    pub reason: String,
    pub proposed_on: Date,
    pub proposed_by: Option<String>,
}

/// A payout proposed and awaiting the division head.
#[derive(Debug, Serialize)]
pub struct PendingPayout {
    pub case_id: i64,
    pub number: String,
    pub no: i64,
    pub party_name: String,
    pub amount_fen: i64,
    pub note: String,
    pub proposed_by: String,
    pub proposed_on: String,
}

/// What waits on a user, by what their roles do at their court: their own cases by nearest
/// deadline (overdue first), and for a division head the closures and payouts to decide.
#[derive(Debug, Default, Serialize)]
pub struct WorkQueue {
    pub my_cases: Vec<CaseSummary>,
    pub closures: Vec<PendingClosure>,
    pub payouts: Vec<PendingPayout>,
}

/// An account's name for people, by how records name it (`user:5` or a username); the
/// record's own word if there is no such account.
pub async fn display_name(app: &App, who: &str) -> Result<String, AppError> {
    let user = match who
        .strip_prefix("user:")
        .and_then(|n| n.parse::<i64>().ok())
    {
        Some(id) => app.store.user(id).await?,
        None => app.store.user_by_username(who).await?,
    };
    Ok(user.map_or_else(|| who.to_owned(), |u| u.display_name))
}

/// How many items each list of the queue shows.
const QUEUE_LEN: i64 = 20;

pub async fn work_queue(app: &App, by: &Principal) -> Result<WorkQueue, AppError> {
    let mut q = WorkQueue::default();
    if by.may(Action::HandleCases, &by.court_path) {
        let listed = list(
            app,
            by,
            &ListQuery {
                officer: Some("me".into()),
                sort: Some("due".into()),
                limit: Some(QUEUE_LEN),
                ..ListQuery::default()
            },
        )
        .await?;
        q.my_cases = listed
            .page
            .items
            .into_iter()
            .filter(|c| c.status != "closed")
            .collect();
    }
    if by.may(Action::Approve, &by.court_path) {
        let listed = list(
            app,
            by,
            &ListQuery {
                status: Some("pending_closure".into()),
                limit: Some(QUEUE_LEN),
                ..ListQuery::default()
            },
        )
        .await?;
        for c in listed.page.items {
            let Some(row) = app.store.case(c.id).await? else {
                continue;
            };
            let state = state_of(&row)?;
            if let Some((mode, reason, on)) = state.closure_request {
                q.closures.push(PendingClosure {
                    case_id: c.id,
                    number: c.number,
                    mode,
                    reason,
                    proposed_on: on,
                    proposed_by: match state.closure_proposer {
                        Some(u) => Some(display_name(app, &u).await?),
                        None => None,
                    },
                });
            }
        }
        for p in app
            .store
            .proposed_payouts_at(&by.court_id, QUEUE_LEN)
            .await?
        {
            let Some(row) = app.store.case(p.case_id).await? else {
                continue;
            };
            let state = state_of(&row)?;
            let party_name = state
                .parties
                .iter()
                .find(|x| i64::from(x.no) == p.party_no)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            q.payouts.push(PendingPayout {
                case_id: p.case_id,
                number: state.number,
                no: p.no,
                party_name,
                amount_fen: p.amount,
                note: p.note,
                proposed_by: display_name(app, &p.proposed_by).await?,
                proposed_on: p.proposed_on,
            });
        }
    }
    Ok(q)
}
