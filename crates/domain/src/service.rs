//! Service of documents (送达, DOMAIN §4c): how a document reached each of its recipients,
//! on which day the law counts it served, with what proof — and the periods a served document
//! sets running. A document binds a party from its service, not its issue: an unserved
//! document starts no period, and no page calls it served.
//!
//! The records live in the case's state ([`ServiceState`]) and change only through the case's
//! events ([`crate::case::CaseEvent::DocumentServed`] and its kin), so every service is on the
//! case's timeline and the audit chain.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::case::{CaseEvent, CaseState, Ctx, DocumentRef, PartyRole, calendar_fault};
use crate::refusal::{Refusal, RefusalKind};
use crate::rules::Unit;

/// The most characters of a note on a service or a failed attempt.
pub const MAX_NOTE_CHARS: usize = 2000;
/// The fewest characters of what a failed attempt says happened.
pub const MIN_FAILURE_NOTE_CHARS: usize = 4;

/// The lawful methods of service (Civil Procedure Law, the section on service).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceMethod {
    /// 直接送达: handed over; served on the day the recipient signs the return (送达回证).
    Direct,
    /// 留置送达: the recipient refused; left at the domicile with a record or photographs.
    LeftAtDomicile,
    /// 电子送达: with the recipient's consent, to their portal inbox; served on arrival.
    Electronic,
    /// 邮寄送达: served on the day of receipt on the postal return.
    Post,
    /// 公告送达: only when the recipient cannot be found or other means failed; deemed
    /// served when the rule book's days after the announcement have passed.
    Announcement,
}

impl ServiceMethod {
    pub const ALL: [ServiceMethod; 5] = [
        ServiceMethod::Direct,
        ServiceMethod::LeftAtDomicile,
        ServiceMethod::Electronic,
        ServiceMethod::Post,
        ServiceMethod::Announcement,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceMethod::Direct => "direct",
            ServiceMethod::LeftAtDomicile => "left_at_domicile",
            ServiceMethod::Electronic => "electronic",
            ServiceMethod::Post => "post",
            ServiceMethod::Announcement => "announcement",
        }
    }
    pub fn parse(s: &str) -> Option<ServiceMethod> {
        ServiceMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            ServiceMethod::Direct => "直接送达",
            ServiceMethod::LeftAtDomicile => "留置送达",
            ServiceMethod::Electronic => "电子送达",
            ServiceMethod::Post => "邮寄送达",
            ServiceMethod::Announcement => "公告送达",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            ServiceMethod::Direct => "In person",
            ServiceMethod::LeftAtDomicile => "Left at the domicile",
            ServiceMethod::Electronic => "Electronic",
            ServiceMethod::Post => "By post",
            ServiceMethod::Announcement => "By announcement",
        }
    }
    /// What the proof of this method is called.
    pub fn proof_zh(self) -> &'static str {
        match self {
            ServiceMethod::Direct => "签收的送达回证",
            ServiceMethod::LeftAtDomicile => "留置送达记录或照片",
            ServiceMethod::Electronic => "电子送达回执",
            ServiceMethod::Post => "邮件回执",
            ServiceMethod::Announcement => "公告",
        }
    }
}

/// Why a recipient could not be served by the means tried: what opens announcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// 下落不明: the recipient cannot be found.
    WhereaboutsUnknown,
    /// 其他方式无法送达: the means tried failed (post returned, nobody at the address …).
    MeansFailed,
}

impl FailureReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureReason::WhereaboutsUnknown => "whereabouts_unknown",
            FailureReason::MeansFailed => "means_failed",
        }
    }
    pub fn parse(s: &str) -> Option<FailureReason> {
        [
            FailureReason::WhereaboutsUnknown,
            FailureReason::MeansFailed,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            FailureReason::WhereaboutsUnknown => "受送达人下落不明",
            FailureReason::MeansFailed => "其他方式无法送达",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            FailureReason::WhereaboutsUnknown => "Whereabouts unknown",
            FailureReason::MeansFailed => "No other method worked",
        }
    }
}

/// The proof of a service: the file uploaded with it (a signed return, a record, the postal
/// return, the announcement) by its id and SHA-256, or for electronic service the receipt the
/// system produced (the document's hash and the moment it reached the inbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// The stored file (`service_proofs`), if one was uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<i64>,
    /// The file's SHA-256, or for a delivery receipt the document's.
    pub sha256: String,
    /// The file's name as uploaded, or what the receipt is.
    pub name: String,
}

/// One service of one document on one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRecord {
    pub no: u32,
    pub document_id: i64,
    pub party_no: u32,
    pub method: ServiceMethod,
    /// The day the law counts as the day of service (for an announcement: the day it is
    /// deemed served, which may lie ahead).
    pub served_on: Date,
    /// For an announcement: the day it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced_on: Option<Date>,
    pub proof: Proof,
    pub note: String,
    pub recorded_on: Date,
    pub by: String,
}

/// An attempt that did not reach the recipient: the record that opens announcement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceFailure {
    pub document_id: i64,
    pub party_no: u32,
    pub method: ServiceMethod,
    pub reason: FailureReason,
    pub note: String,
    pub on: Date,
    pub by: String,
}

/// A party's consent to electronic service (同意电子送达) through their portal inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub party_no: u32,
    pub given_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_on: Option<Date>,
    /// Where the party asked to be told of a new document (`sms`, `email`), masked; the
    /// address itself is sealed outside the case's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify: Option<String>,
}

/// A document a party opened in their inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    pub document_id: i64,
    pub party_no: u32,
    pub on: Date,
}

/// Everything about service the case holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceState {
    #[serde(default)]
    pub records: Vec<ServiceRecord>,
    #[serde(default)]
    pub failures: Vec<ServiceFailure>,
    #[serde(default)]
    pub consents: Vec<Consent>,
    #[serde(default)]
    pub openings: Vec<Opening>,
}

impl ServiceState {
    /// The consent of `party_no` in force, if any.
    pub fn consent(&self, party_no: u32) -> Option<&Consent> {
        self.consents
            .iter()
            .rev()
            .find(|c| c.party_no == party_no && c.revoked_on.is_none())
    }

    /// The service that counts for `document_id` on `party_no`: the earliest day of service
    /// recorded (a direct service before an announcement's 30 days have run is the service).
    pub fn effective(&self, document_id: i64, party_no: u32) -> Option<&ServiceRecord> {
        self.records
            .iter()
            .filter(|r| r.document_id == document_id && r.party_no == party_no)
            .min_by_key(|r| r.served_on)
    }

    /// The day `document_id` was served on `party_no`, if it was (or will be, for an
    /// announcement running).
    pub fn served_on(&self, document_id: i64, party_no: u32) -> Option<Date> {
        self.effective(document_id, party_no).map(|r| r.served_on)
    }

    pub fn opened(&self, document_id: i64, party_no: u32) -> Option<Date> {
        self.openings
            .iter()
            .find(|o| o.document_id == document_id && o.party_no == party_no)
            .map(|o| o.on)
    }

    pub(crate) fn apply(&mut self, e: &CaseEvent) {
        match e {
            CaseEvent::DocumentServed { record } => self.records.push(record.clone()),
            CaseEvent::ServiceFailed { failure } => self.failures.push(failure.clone()),
            CaseEvent::ElectronicConsentGiven {
                party_no,
                on,
                notify,
            } => self.consents.push(Consent {
                party_no: *party_no,
                given_on: *on,
                revoked_on: None,
                notify: notify.clone(),
            }),
            CaseEvent::ElectronicConsentRevoked { party_no, on } => {
                for c in &mut self.consents {
                    if c.party_no == *party_no && c.revoked_on.is_none() {
                        c.revoked_on = Some(*on);
                    }
                }
            }
            CaseEvent::DocumentOpened {
                document_id,
                party_no,
                on,
            } => self.openings.push(Opening {
                document_id: *document_id,
                party_no: *party_no,
                on: *on,
            }),
            _ => {}
        }
    }
}

/// Who a document of `kind` is served on, by default: the acceptance notice on the applicants;
/// the orders and notices addressed to the debtor on the respondents; rulings and the closure
/// notice on every party.
pub fn default_recipients(kind: &str, state: &CaseState) -> Vec<u32> {
    let role = match kind {
        "acceptance_notice" => Some(PartyRole::Applicant),
        "enforcement_notice" | "property_report_order" => Some(PartyRole::Respondent),
        _ => None,
    };
    state
        .parties
        .iter()
        .filter(|p| role.is_none_or(|r| p.role == r))
        .map(|p| p.no)
        .collect()
}

/// Who the document of `kind` that `event` issues is served on: the party a credit decision
/// concerns, or [`default_recipients`].
pub fn recipients_of(event: &CaseEvent, kind: &str, state: &CaseState) -> Vec<u32> {
    let listing_party = |no: u32| state.credit.listing(no).map(|l| l.party_no);
    let one = match event {
        CaseEvent::DishonestListed { party_no, .. }
        | CaseEvent::RestrictionOrdered { party_no, .. }
        | CaseEvent::CreditWarningIssued { party_no, .. } => Some(*party_no),
        CaseEvent::DishonestExtended { no, .. } | CaseEvent::DishonestRemoved { no, .. } => {
            listing_party(*no)
        }
        CaseEvent::CorrectionDecided { no, .. } => state
            .credit
            .corrections
            .iter()
            .find(|c| c.no == *no)
            .and_then(|c| listing_party(c.listing_no)),
        CaseEvent::RestrictionLifted { no, .. } => state.credit.order(*no).map(|o| o.party_no),
        _ => None,
    };
    match one {
        Some(p) => vec![p],
        None => default_recipients(kind, state),
    }
}

/// The recipients of a document as the case recorded them at issue, or by its kind for a
/// document issued before recipients were recorded.
pub fn recipients(doc: &DocumentRef, state: &CaseState) -> Vec<u32> {
    if doc.to.is_empty() {
        default_recipients(&doc.kind, state)
    } else {
        doc.to.clone()
    }
}

/// A service as the officer (or, for electronic service, the system) asks to record it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInput {
    pub document_id: i64,
    pub party_no: u32,
    pub method: ServiceMethod,
    /// The day of service as its proof shows it (signed, left, received); for an announcement
    /// the day it was published. Ignored for electronic service: that is the day of arrival.
    pub on: Option<Date>,
    pub proof: Option<Proof>,
    pub note: String,
}

fn document(state: &CaseState, id: i64) -> Result<&DocumentRef, Refusal> {
    state
        .documents
        .iter()
        .find(|d| d.document_id == id)
        .ok_or_else(|| Refusal::invalid("service_document_not_found").with("document_id", id))
}

fn recipient(state: &CaseState, doc: &DocumentRef, party_no: u32) -> Result<String, Refusal> {
    let name = state
        .parties
        .iter()
        .find(|p| p.no == party_no)
        .map(|p| p.name.clone())
        .ok_or_else(|| Refusal::invalid("recipient_not_found").with("party_no", party_no))?;
    if !recipients(doc, state).contains(&party_no) {
        return Err(Refusal::invalid("not_a_recipient")
            .with("name", name)
            .with("document", &doc.title));
    }
    Ok(name)
}

fn note_checked(note: &str) -> Result<String, Refusal> {
    let note = note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(Refusal::invalid("note_too_long").with("max", MAX_NOTE_CHARS));
    }
    Ok(note.to_owned())
}

/// The day an announcement published on `announced` deems the document served: the rule
/// book's days after it, counted as every period is (DOMAIN §4a).
pub fn announcement_served_on(announced: Date, ctx: &Ctx<'_>) -> Result<Date, Refusal> {
    let rule = ctx
        .rules
        .lookup("service.announcement_days", announced, ctx.region)?;
    if rule.unit != Unit::Days {
        return Err(Refusal::invalid("rule_unavailable")
            .kind(RefusalKind::Broken)
            .rule(rule));
    }
    ctx.calendar
        .period_end(announced, rule.value, Unit::Days)
        .map_err(calendar_fault)
}

/// Records the service of a document on one recipient, or refuses it where the law does:
/// electronic service without the recipient's consent in force, announcement without a
/// record that the recipient cannot be found or that other means failed, a day of service
/// before the document was issued or still to come, a method without its proof, a second
/// service of a document already served.
pub fn decide_service(
    state: &CaseState,
    input: &ServiceInput,
    actor: &str,
    ctx: &Ctx<'_>,
) -> Result<CaseEvent, Refusal> {
    let doc = document(state, input.document_id)?;
    let name = recipient(state, doc, input.party_no)?;
    let note = note_checked(&input.note)?;
    if let Some(done) = state.service.effective(doc.document_id, input.party_no)
        && done.served_on <= ctx.today
    {
        return Err(Refusal::conflict("already_served")
            .with("name", name)
            .with("document", &doc.title)
            .with("on", done.served_on)
            .with("method", done.method.name_zh()));
    }
    let (on, announced_on, proof) = match input.method {
        ServiceMethod::Electronic => {
            if state.service.consent(input.party_no).is_none() {
                return Err(Refusal::conflict("electronic_consent_missing").with("name", name));
            }
            // The receipt is the system's: the document, by its hash, reached the inbox today.
            let proof = Proof {
                file_id: None,
                sha256: doc.sha256.clone(),
                name: "门户收件箱送达回执".into(),
            };
            (ctx.today, None, proof)
        }
        method => {
            let day = input.on.ok_or_else(|| {
                Refusal::invalid("service_date_required").with("method", method.name_zh())
            })?;
            if day > ctx.today {
                return Err(Refusal::invalid("service_date_in_future")
                    .with("on", day)
                    .with("today", ctx.today));
            }
            if let Some(issued) = doc.issued_on
                && day < issued
            {
                return Err(Refusal::invalid("service_before_issue")
                    .with("on", day)
                    .with("issued_on", issued));
            }
            let proof = input
                .proof
                .clone()
                .filter(|p| p.file_id.is_some())
                .ok_or_else(|| {
                    Refusal::invalid("service_proof_required")
                        .with("method", method.name_zh())
                        .with("proof", method.proof_zh())
                })?;
            if method == ServiceMethod::Announcement {
                if !state
                    .service
                    .failures
                    .iter()
                    .any(|f| f.document_id == doc.document_id && f.party_no == input.party_no)
                {
                    return Err(Refusal::conflict("announcement_not_allowed")
                        .with("name", name)
                        .with("document", &doc.title));
                }
                (announcement_served_on(day, ctx)?, Some(day), proof)
            } else {
                (day, None, proof)
            }
        }
    };
    Ok(CaseEvent::DocumentServed {
        record: ServiceRecord {
            no: u32::try_from(state.service.records.len()).unwrap_or(u32::MAX - 1) + 1,
            document_id: doc.document_id,
            party_no: input.party_no,
            method: input.method,
            served_on: on,
            announced_on,
            proof,
            note,
            recorded_on: ctx.today,
            by: actor.to_owned(),
        },
    })
}

/// An attempt to serve that failed, as the officer records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureInput {
    pub document_id: i64,
    pub party_no: u32,
    pub method: ServiceMethod,
    pub reason: FailureReason,
    pub note: String,
}

/// Records that an attempt to serve did not reach the recipient, with what happened.
pub fn decide_failure(
    state: &CaseState,
    input: &FailureInput,
    actor: &str,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    let FailureInput {
        document_id,
        party_no,
        method,
        reason,
        note,
    } = input;
    let (document_id, party_no, method, reason) = (*document_id, *party_no, *method, *reason);
    let doc = document(state, document_id)?;
    let name = recipient(state, doc, party_no)?;
    if method == ServiceMethod::Announcement {
        return Err(Refusal::invalid("failure_method_invalid"));
    }
    let note = note_checked(note)?;
    if note.chars().count() < MIN_FAILURE_NOTE_CHARS {
        return Err(Refusal::invalid("failure_note_required").with("min", MIN_FAILURE_NOTE_CHARS));
    }
    if let Some(done) = state.service.effective(document_id, party_no)
        && done.served_on <= today
    {
        return Err(Refusal::conflict("already_served")
            .with("name", name)
            .with("document", &doc.title)
            .with("on", done.served_on)
            .with("method", done.method.name_zh()));
    }
    Ok(CaseEvent::ServiceFailed {
        failure: ServiceFailure {
            document_id,
            party_no,
            method,
            reason,
            note,
            on: today,
            by: actor.to_owned(),
        },
    })
}

/// A party gives or revokes their consent to electronic service. `notify` is the masked
/// channel they gave for notices, if any.
pub fn decide_consent(
    state: &CaseState,
    party_no: u32,
    give: bool,
    notify: Option<String>,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    if !state.parties.iter().any(|p| p.no == party_no) {
        return Err(Refusal::invalid("recipient_not_found").with("party_no", party_no));
    }
    match (give, state.service.consent(party_no)) {
        (true, Some(c)) => Err(Refusal::conflict("consent_already_given").with("on", c.given_on)),
        (true, None) => Ok(CaseEvent::ElectronicConsentGiven {
            party_no,
            on: today,
            notify,
        }),
        (false, None) => Err(Refusal::conflict("consent_not_given")),
        (false, Some(_)) => Ok(CaseEvent::ElectronicConsentRevoked {
            party_no,
            on: today,
        }),
    }
}

/// A party opens a document served on them: the first opening is recorded, later ones are not.
/// Only documents served on that party can be opened.
pub fn decide_opening(
    state: &CaseState,
    document_id: i64,
    party_no: u32,
    today: Date,
) -> Result<Option<CaseEvent>, Refusal> {
    let served = state
        .service
        .effective(document_id, party_no)
        .is_some_and(|r| r.served_on <= today || r.method == ServiceMethod::Announcement);
    if !served {
        return Err(Refusal::invalid("service_document_not_found").with("document_id", document_id));
    }
    if state.service.opened(document_id, party_no).is_some() {
        return Ok(None);
    }
    Ok(Some(CaseEvent::DocumentOpened {
        document_id,
        party_no,
        on: today,
    }))
}

/// A period a served document sets running (DOMAIN §4c): not started while the document is
/// unserved on that party, otherwise from the day of service to its last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Period {
    /// The document is not served on the party: the period has not started.
    NotStarted {
        document_id: i64,
        document: String,
    },
    Runs {
        from: Date,
        until: Date,
    },
}

impl Period {
    pub fn until(&self) -> Option<Date> {
        match self {
            Period::Runs { until, .. } => Some(*until),
            Period::NotStarted { .. } => None,
        }
    }
}

/// The period of `days` that the document sets running on `party_no`, counted from its
/// service with the calendar and the arithmetic of DOMAIN §4a (the day of service is not
/// counted; a last day that is not a working day rolls to the next).
pub fn period_from_service(
    state: &CaseState,
    doc: &DocumentRef,
    party_no: u32,
    days: i64,
    ctx: &Ctx<'_>,
) -> Result<Period, Refusal> {
    match state.service.served_on(doc.document_id, party_no) {
        None => Ok(Period::NotStarted {
            document_id: doc.document_id,
            document: doc.title.clone(),
        }),
        Some(from) => Ok(Period::Runs {
            from,
            until: ctx
                .calendar
                .period_end(from, days, Unit::Days)
                .map_err(calendar_fault)?,
        }),
    }
}

/// The kinds of ruling against which reconsideration (执行复议) lies, within the rule book's
/// days of service. The ruling on an objection to an enforcement act is the one the law
/// names (DOMAIN §4b); review cases issue it.
pub const RECONSIDERABLE: [&str; 1] = ["objection_ruling"];

/// One period a document sets for a recipient, as the service page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentPeriod {
    /// `perform`, `report` or `reconsideration`.
    pub what: &'static str,
    pub days: i64,
    pub period: Period,
}

/// Every period that `doc` sets running on `party_no`: the 执行通知书's to perform and the
/// 报告财产令's to report (the days the notice stated), reconsideration of a ruling (the rule
/// book's days).
pub fn periods_of(
    state: &CaseState,
    doc: &DocumentRef,
    party_no: u32,
    ctx: &Ctx<'_>,
) -> Result<Vec<DocumentPeriod>, Refusal> {
    let terms = || {
        state
            .actions
            .iter()
            .find(|a| a.action == crate::case::ActionKind::NoticeIssued)
            .map(|a| a.terms.unwrap_or(crate::case::NoticeTerms::LEGACY))
    };
    let (what, days) = match doc.kind.as_str() {
        "enforcement_notice" => match terms() {
            Some(t) => ("perform", t.perform_days),
            None => return Ok(Vec::new()),
        },
        "property_report_order" => match terms() {
            Some(t) => ("report", t.report_days),
            None => return Ok(Vec::new()),
        },
        k if RECONSIDERABLE.contains(&k) => {
            let on = state
                .service
                .served_on(doc.document_id, party_no)
                .unwrap_or(ctx.today);
            let rule = ctx
                .rules
                .lookup("service.reconsideration_days", on, ctx.region)?;
            ("reconsideration", rule.value)
        }
        _ => return Ok(Vec::new()),
    };
    Ok(vec![DocumentPeriod {
        what,
        days,
        period: period_from_service(state, doc, party_no, days, ctx)?,
    }])
}

/// The latest document of `kind` on the case.
pub fn latest<'a>(state: &'a CaseState, kind: &str) -> Option<&'a DocumentRef> {
    state.documents.iter().rev().find(|d| d.kind == kind)
}

/// One recipient's side of one document, as the pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub document_id: i64,
    pub party_no: u32,
    /// `served`, `announced` (deemed served on `served_on`, still to come), `unserved`.
    pub status: &'static str,
    pub service: Option<ServiceRecord>,
    pub failures: Vec<ServiceFailure>,
    pub opened_on: Option<Date>,
}

/// Every document of the case and each of its recipients, with their service.
pub fn deliveries(state: &CaseState, today: Date) -> Vec<Delivery> {
    let mut out = Vec::new();
    for doc in &state.documents {
        for party_no in recipients(doc, state) {
            let service = state.service.effective(doc.document_id, party_no).cloned();
            let status = match &service {
                Some(s) if s.served_on <= today => "served",
                Some(_) => "announced",
                None => "unserved",
            };
            out.push(Delivery {
                document_id: doc.document_id,
                party_no,
                status,
                service,
                failures: state
                    .service
                    .failures
                    .iter()
                    .filter(|f| f.document_id == doc.document_id && f.party_no == party_no)
                    .cloned()
                    .collect(),
                opened_on: state.service.opened(doc.document_id, party_no),
            });
        }
    }
    out
}

/// The documents issued at least `lead_days` before `today` that some recipient has still not
/// been served: (document, party) pairs, for the command centre's alert.
pub fn overdue_unserved(state: &CaseState, today: Date, lead_days: i64) -> Vec<(i64, u32)> {
    let Some(cutoff) = today.checked_sub(jiff::Span::new().days(lead_days)).ok() else {
        return Vec::new();
    };
    state
        .documents
        .iter()
        .filter(|d| d.issued_on.is_some_and(|on| on <= cutoff))
        .flat_map(|d| {
            recipients(d, state)
                .into_iter()
                .filter(|p| state.service.served_on(d.document_id, *p).is_none())
                .map(|p| (d.document_id, p))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests;
