//! The web of related parties and property (issue 17, part 2), from what the case already
//! holds: its respondents and their legal representatives (from the filing), the property
//! found (from the institutions' replies), and the other cases in which the same property was
//! found, with their respondents. Every link names its source — the filing and its basis, or
//! the reply (its message id, the institution, the day). A related party with an identifier
//! (a co-respondent, the respondent of another case) is marked when they are a debtor in
//! other cases, matched by blind index; a legal representative is held by name only and is
//! never matched by it. Who sees it is `domain::debtor::reach`, as for the related cases; every
//! view is an audited read.

use serde::Serialize;
use zhixing_domain::access::Principal;
use zhixing_domain::case::PartyRole;
use zhixing_domain::debtor::{self, Reach};

use crate::error::AppError;
use crate::state::App;

/// Most other cases read for one piece of property.
const MAX_ELSEWHERE: i64 = 20;
/// Counting a debtor's other cases stops here.
const COUNT_CAP: i64 = 999;

/// The web of one case, as rows of links.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Web {
    pub case_id: i64,
    /// `national` or `subtree`, as for the related cases.
    pub reach: String,
    pub links: Vec<Link>,
}

/// One link: `from` stands in `relation` to `to`, as `source` says.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Link {
    /// The respondent's name, or the property's description.
    pub from: String,
    /// respondent, property
    pub from_kind: String,
    /// legal_representative, co_respondent, property, property_elsewhere
    pub relation: String,
    pub to: String,
    /// person, organisation, legal_representative, property, respondent
    pub to_kind: String,
    /// For a property: the institution's record (certificate, plate, account).
    pub reference: Option<String>,
    /// For a party found elsewhere: the case and its court.
    pub case_number: Option<String>,
    pub court_name: Option<String>,
    /// The other enforcement cases against `to` (matched by blind index): marked when above
    /// zero; `None` when `to` is no party with an identifier.
    pub debtor_elsewhere: Option<i64>,
    /// filing, reply, record
    pub source_kind: String,
    /// The document or reply: the basis's number (filing), the reply's message id (reply),
    /// or what the record says of where it came from (record).
    pub source: String,
    /// The institution that answered (reply, record).
    pub institution: Option<String>,
    /// Beijing date of the source.
    pub source_on: String,
}

/// The web of case `id`: an audited read.
pub async fn of_case(app: &App, by: &Principal, id: i64) -> Result<Web, AppError> {
    let (row, court) = super::readable(app, by, id).await?;
    let reach = debtor::reach(by, &court.path).ok_or_else(|| {
        AppError::forbidden_as(
            "related_cases_not_allowed",
            "only those who handle a case against the respondent, or supervise above both courts, see the web of related parties",
        )
    })?;
    let state = super::state_of(&row)?;
    let indexes = app.store.party_indexes(id).await?;
    let index_of = |no: u32| {
        indexes
            .iter()
            .find(|(n, _)| *n == i64::from(no))
            .map(|(_, i)| i.clone())
    };
    let respondents: Vec<_> = state
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Respondent)
        .collect();
    let own: Vec<String> = respondents.iter().filter_map(|p| index_of(p.no)).collect();
    let filing = state.basis.document_number.clone();
    let filed_on = state.filed_on.to_string();
    let mut links = Vec::new();
    for r in &respondents {
        if let Some(rep) = r.legal_representative.as_deref().filter(|s| !s.is_empty()) {
            links.push(Link {
                from: r.name.clone(),
                from_kind: "respondent".into(),
                relation: "legal_representative".into(),
                to: rep.to_owned(),
                to_kind: "legal_representative".into(),
                reference: None,
                case_number: None,
                court_name: None,
                debtor_elsewhere: None,
                source_kind: "filing".into(),
                source: filing.clone(),
                institution: None,
                source_on: filed_on.clone(),
            });
        }
        for other in respondents.iter().filter(|o| o.no != r.no) {
            let elsewhere = match index_of(other.no) {
                Some(ix) => Some(app.store.cases_against_count(&ix, id, COUNT_CAP).await?),
                None => None,
            };
            links.push(Link {
                from: r.name.clone(),
                from_kind: "respondent".into(),
                relation: "co_respondent".into(),
                to: other.name.clone(),
                to_kind: other.kind.clone(),
                reference: None,
                case_number: None,
                court_name: None,
                debtor_elsewhere: elsewhere,
                source_kind: "filing".into(),
                source: filing.clone(),
                institution: None,
                source_on: filed_on.clone(),
            });
        }
    }
    let institutions = app.store.institutions().await?;
    let institution_name = |id: &str| {
        institutions
            .iter()
            .find(|i| i.id == id)
            .map_or_else(|| id.to_owned(), |i| i.name.clone())
    };
    for a in app.store.assets_of(id).await? {
        let institution = institution_name(&a.institution_id);
        // The property was found against the case's respondents: a link from each.
        for r in &respondents {
            links.push(Link {
                from: r.name.clone(),
                from_kind: "respondent".into(),
                relation: "property".into(),
                to: a.description.clone(),
                to_kind: "property".into(),
                reference: Some(a.reference.clone()),
                case_number: None,
                court_name: None,
                debtor_elsewhere: None,
                source_kind: source_kind(&a.found_by).into(),
                source: a.found_by.clone(),
                institution: Some(institution.clone()),
                source_on: day(a.found_at),
            });
        }
        for e in app
            .store
            .property_elsewhere(&a.institution_id, &a.reference, id, MAX_ELSEWHERE)
            .await?
        {
            // The same debtor's other cases are the related cases' view; this one is about
            // other people holding the same property.
            if own.contains(&e.respondent_index) || !within(&reach, &e.court_path) {
                continue;
            }
            links.push(Link {
                from: a.description.clone(),
                from_kind: "property".into(),
                relation: "property_elsewhere".into(),
                to: e.respondent_name.clone(),
                to_kind: "respondent".into(),
                reference: Some(a.reference.clone()),
                case_number: Some(e.number.clone()),
                court_name: Some(e.court_name.clone()),
                debtor_elsewhere: Some(
                    app.store
                        .cases_against_count(&e.respondent_index, id, COUNT_CAP)
                        .await?,
                ),
                source_kind: source_kind(&e.found_by).into(),
                source: e.found_by.clone(),
                institution: Some(institution.clone()),
                source_on: day(e.found_at),
            });
        }
    }
    crate::platform::audit::record_sensitive_read(
        app,
        by,
        &court.id,
        &format!("case:{id}"),
        &["related_parties"],
    )
    .await?;
    Ok(Web {
        case_id: id,
        reach: match reach {
            Reach::National => "national".into(),
            Reach::Subtree(_) => "subtree".into(),
        },
        links,
    })
}

fn within(reach: &Reach, path: &str) -> bool {
    reach.covers(path)
}

fn day(us: i64) -> String {
    zhixing_store::from_micros(us)
        .map(|t| crate::state::china_date(t).to_string())
        .unwrap_or_default()
}

/// Where an asset came from: an institution's reply (`found_by` is its message id, 32 hex
/// digits) or what the record says (a field investigation, a clue, a demo).
fn source_kind(found_by: &str) -> &'static str {
    if found_by.len() == 32 && found_by.chars().all(|c| c.is_ascii_hexdigit()) {
        "reply"
    } else {
        "record"
    }
}
