//! One debtor across courts (关联案件): from a case, the other enforcement cases against the
//! same respondent in every court, matched by the blind index of their ID number or credit
//! code (never by name), with the measures on their property — who holds it first and who
//! waits (轮候). Who sees how far is `domain::debtor::reach`; every view is an audited read.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::Principal;
use zhixing_domain::debtor::{self, Reach};
use zhixing_store::NewEvent;
use zhixing_store::courts::CourtRow;
use zhixing_store::debtors::{DebtorCase, DebtorMeasure};

use crate::error::AppError;
use crate::state::App;

/// Most cases against one debtor shown (the bench asks for 50).
pub const MAX_CASES: i64 = 200;
/// Most measures on the debtor's property read.
pub const MAX_MEASURES: i64 = 1000;

/// The other cases against one respondent of a case, as far as the caller reaches.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RelatedCases {
    pub case_id: i64,
    pub party_no: i64,
    /// The respondent's name as filed in this case.
    pub name: String,
    /// The identifier, masked (the full one only through its own audited route).
    pub identifier_shown: String,
    /// `national` (the caller holds a case against the respondent) or `subtree` (a
    /// supervisor: the courts at or below their own).
    pub reach: String,
    /// The other cases against the respondent, oldest first.
    pub cases: Vec<RelatedCase>,
    /// Whether more cases exist than were read ([`MAX_CASES`]).
    pub cut: bool,
    /// The respondent's property with a measure on it in this case or the others, each with
    /// its measures in order of precedence.
    pub property: Vec<Property>,
}

/// A case against the same respondent: only these fields.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RelatedCase {
    pub case_id: i64,
    pub number: String,
    pub court_id: String,
    pub court_name: String,
    /// open, suspended, pending_closure, closed
    pub status: String,
    pub filed_on: String,
    pub total_due_fen: i64,
    pub paid_fen: i64,
    /// What remains to be paid.
    pub outstanding_fen: i64,
}

/// One piece of property (the institution's record), with the measures on it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Property {
    pub institution_id: String,
    pub institution_name: String,
    pub reference: String,
    pub kind: String,
    pub description: String,
    /// Whether this case itself found it.
    pub in_this_case: bool,
    /// The measures, first the one in effect (who holds it first), then the waiting list by
    /// its position, then those asked and not yet answered.
    pub measures: Vec<Hold>,
}

/// A measure on a piece of property, in one of the debtor's cases.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Hold {
    /// 1 for the first.
    pub rank: usize,
    pub measure_id: i64,
    pub case_id: i64,
    pub case_number: String,
    pub court_name: String,
    /// freeze, seize, detain, deduct
    pub kind: String,
    /// requested, active, queued, done
    pub status: String,
    /// The place on the institution's waiting list (轮候), as it answered.
    pub queue_position: Option<i64>,
    /// The last day in effect, as confirmed.
    pub until: Option<String>,
    /// The day it was asked, Beijing date.
    pub requested_on: String,
    pub this_case: bool,
}

/// The other cases against respondent `no` of case `id`: an audited read.
pub async fn of_party(
    app: &App,
    by: &Principal,
    id: i64,
    no: i64,
) -> Result<RelatedCases, AppError> {
    let (_, court) = super::readable(app, by, id).await?;
    let reach = reach_of(by, &court)?;
    let related = read(app, id, no, &reach).await?;
    record(app, by, &court, id, std::slice::from_ref(&related)).await?;
    Ok(related)
}

/// The other cases against every respondent of case `id`, for the case page and the command
/// centre; `None` if the caller does not reach them (nothing is read or recorded then). One
/// audited read for all of them.
pub async fn of_case(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<Option<Vec<RelatedCases>>, AppError> {
    let (row, court) = super::readable(app, by, id).await?;
    let Ok(reach) = reach_of(by, &court) else {
        return Ok(None);
    };
    let state = super::state_of(&row)?;
    let mut all = Vec::new();
    for p in state
        .parties
        .iter()
        .filter(|p| p.role == zhixing_domain::case::PartyRole::Respondent)
    {
        all.push(read(app, id, i64::from(p.no), &reach).await?);
    }
    record(app, by, &court, id, &all).await?;
    Ok(Some(all))
}

/// The case of a number (`（2026）京0105执123号`) the caller may read, for the command
/// centre's search.
pub async fn case_by_number(
    app: &App,
    by: &Principal,
    number: &str,
) -> Result<Option<i64>, AppError> {
    let Ok(n) = zhixing_domain::case_number::CaseNumber::parse(number.trim()) else {
        return Ok(None);
    };
    let Some(row) = app.store.case_by_number(&n.to_string()).await? else {
        return Ok(None);
    };
    Ok(super::readable(app, by, row.id).await.ok().map(|_| row.id))
}

fn reach_of(by: &Principal, court: &CourtRow) -> Result<Reach, AppError> {
    debtor::reach(by, &court.path).ok_or_else(|| {
        AppError::forbidden_as(
            "related_cases_not_allowed",
            "only those who handle a case against the respondent, or supervise above both courts, see the debtor's other cases",
        )
    })
}

async fn read(app: &App, id: i64, no: i64, reach: &Reach) -> Result<RelatedCases, AppError> {
    let party = app.store.party_key(id, no).await?.ok_or_else(|| {
        AppError::not_found("party_not_found", format!("case {id} has no party {no}"))
    })?;
    // Related cases are a respondent's: for any other party there is nothing to find, as for
    // a party that does not exist (a read has no refusal to give).
    if party.role != "respondent" {
        return Err(AppError::not_found(
            "respondent_not_found",
            format!("case {id} has no respondent {no}"),
        ));
    }
    let mut rows = app
        .store
        .cases_against(&party.id_index, MAX_CASES + 1)
        .await?;
    let cut = rows.len() > usize::try_from(MAX_CASES).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(MAX_CASES).unwrap_or(0));
    // This case and the others within reach; the rest are not named, not even counted.
    let shown: BTreeMap<i64, &DebtorCase> = rows
        .iter()
        .filter(|c| c.case_id == id || reach.covers(&c.court_path))
        .map(|c| (c.case_id, c))
        .collect();
    let measures = app
        .store
        .measures_against(&party.id_index, MAX_MEASURES)
        .await?;
    Ok(RelatedCases {
        case_id: id,
        party_no: no,
        name: party.name,
        identifier_shown: party.id_shown,
        reach: match reach {
            Reach::National => "national".into(),
            Reach::Subtree(_) => "subtree".into(),
        },
        cases: shown
            .values()
            .filter(|c| c.case_id != id)
            .map(|c| RelatedCase {
                case_id: c.case_id,
                number: c.number.clone(),
                court_id: c.court_id.clone(),
                court_name: c.court_name.clone(),
                status: c.status.clone(),
                filed_on: c.filed_on.clone(),
                total_due_fen: c.total_due,
                paid_fen: c.paid,
                outstanding_fen: (c.total_due - c.paid).max(0),
            })
            .collect(),
        cut,
        property: property(id, &shown, measures),
    })
}

/// Groups the measures of the cases shown by property, each in order of precedence.
fn property(
    id: i64,
    shown: &BTreeMap<i64, &DebtorCase>,
    measures: Vec<DebtorMeasure>,
) -> Vec<Property> {
    let mut by_property: BTreeMap<(String, String), Property> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for m in measures {
        let Some(case) = shown.get(&m.case_id) else {
            continue;
        };
        // What no longer holds the property (lifted, lapsed, refused) is no place in its order.
        if !matches!(
            m.status.as_str(),
            "requested" | "active" | "queued" | "done"
        ) {
            continue;
        }
        let key = (m.institution_id.clone(), m.reference.clone());
        let p = by_property.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            Property {
                institution_id: m.institution_id.clone(),
                institution_name: m.institution_name.clone(),
                reference: m.reference.clone(),
                kind: m.asset_kind.clone(),
                description: m.description.clone(),
                in_this_case: false,
                measures: Vec::new(),
            }
        });
        p.in_this_case |= m.case_id == id;
        p.measures.push(Hold {
            rank: 0,
            measure_id: m.measure_id,
            case_id: m.case_id,
            case_number: case.number.clone(),
            court_name: case.court_name.clone(),
            kind: m.kind,
            status: m.status,
            queue_position: m.queue_position,
            until: m.until,
            requested_on: zhixing_store::from_micros(m.requested_at)
                .map(|t| crate::state::china_date(t).to_string())
                .unwrap_or_default(),
            this_case: m.case_id == id,
        });
    }
    order
        .into_iter()
        .filter_map(|k| by_property.remove(&k))
        .map(|mut p| {
            p.measures.sort_by_key(|h| {
                let stage = match h.status.as_str() {
                    "active" | "done" => 0,
                    "queued" => 1,
                    _ => 2,
                };
                (stage, h.queue_position.unwrap_or(i64::MAX), h.measure_id)
            });
            for (i, h) in p.measures.iter_mut().enumerate() {
                h.rank = i + 1;
            }
            p
        })
        .collect()
}

/// Records the view on the case's audit trail: which respondents, which cases were shown.
async fn record(
    app: &App,
    by: &Principal,
    court: &CourtRow,
    id: i64,
    shown: &[RelatedCases],
) -> Result<(), AppError> {
    let fields: Vec<String> = shown
        .iter()
        .map(|r| format!("party:{}.related_cases", r.party_no))
        .collect();
    let cases: Vec<i64> = shown
        .iter()
        .flat_map(|r| r.cases.iter().map(|c| c.case_id))
        .collect();
    let mut tx = app.store.begin().await?;
    tx.append_events(
        app.now_us(),
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(court.id.clone()),
            kind: "read.sensitive".into(),
            subject: format!("case:{id}"),
            payload: json!({"fields": fields, "cases": cases}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
