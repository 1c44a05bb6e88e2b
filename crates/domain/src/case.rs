//! The enforcement case (执行案件): its facts, its events, its state as the fold of those
//! events, the statutory deadlines it is under, and the preconditions of each way to close it.
//!
//! Commands are decided here without I/O: `decide_*` take the current state, the rule book,
//! the calendar and today's date, and return the events to record — or every reason why not.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::calendar::{CalendarError, WorkingCalendar};
use crate::case_number::CaseType;
use crate::closure::Holdings;
use crate::money::{Fen, MAX_FEN, MoneyError};
use crate::refusal::{Params, Reason, RefusalKind};
use crate::rules::{RuleBook, RuleVersion, Unit};

pub use crate::refusal::Refusal;

/// The fewest characters a reason, a ground or a recorded conversation is given in.
pub const MIN_REASON_CHARS: usize = 4;
/// The most characters of a note on a step of the process.
pub const MAX_NOTE_CHARS: usize = 2000;
/// The most characters of a property clue's description.
pub const MAX_CLUE_CHARS: usize = 1000;
/// The fewest characters of the result of a clue's verification.
pub const MIN_RESULT_CHARS: usize = 2;
/// The shortest and longest extension of the time to conclude, in months.
pub const EXTENSION_MONTHS: (i64, i64) = (1, 12);
/// The most characters of who gave a security, and of what it is.
pub const MAX_PROVIDER_CHARS: usize = 200;
pub const MAX_SECURITY_CHARS: usize = 2000;
/// The longest period, in days, an officer may state in a notice (to perform, to report) or
/// give as a credit warning's grace: a bound on what is typed, not a rule of law — the law
/// leaves the length to the court.
pub const MAX_STATED_DAYS: i64 = 365;

/// A refusal under a code that other answers share (`reason_required`, `invalid_amount`, …):
/// its words are those of its one reason, which says what this rule asks.
pub(crate) fn refused_as(code: &'static str, kind: RefusalKind, reason: Reason) -> Refusal {
    Refusal::of_reasons(code, kind, vec![reason])
}

/// The calendar cannot count a period of the rule book: a fault of the installation.
pub(crate) fn calendar_fault(e: CalendarError) -> Refusal {
    Refusal::invalid("rule_unavailable")
        .kind(RefusalKind::Broken)
        .with("error", e.to_string())
}

/// An amount in fen that is not one, as the problem of a field (`field`: principal, payment,
/// value …). The ceiling travels as `max`.
pub(crate) fn amount_problem(field: &'static str, problem: &'static str) -> Reason {
    Reason::new("amount_invalid")
        .with("field", field)
        .with("problem", problem)
        .with("max", Fen::new(MAX_FEN).unwrap_or(Fen::ZERO))
}

/// An amount of `field` as a [`Fen`], or the problem with it.
pub(crate) fn fen_of(field: &'static str, v: i64) -> Result<Fen, Reason> {
    Fen::new(v).map_err(|e| {
        amount_problem(
            field,
            match e {
                MoneyError::Negative => "negative",
                MoneyError::TooLarge => "too_large",
            },
        )
    })
}

/// Whether `text`, trimmed, has at least `min` characters.
fn long_enough(text: &str, min: usize) -> bool {
    text.trim().chars().count() >= min
}

/// 申请执行人 or 被执行人.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Applicant,
    Respondent,
}

/// A party as the case record keeps it: the personal ID number only masked (the full number
/// is encrypted in storage and read through an audited route).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyRecord {
    /// 1-based position in the case.
    pub no: u32,
    pub role: PartyRole,
    /// `person` or `organisation`.
    pub kind: String,
    pub name: String,
    /// Masked resident ID number, or the organisation's credit code.
    pub identifier: String,
    pub legal_representative: Option<String>,
}

/// What kind of document the case enforces; decides 6 or 3 months to conclude.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BasisKind {
    Judgment,
    Ruling,
    Mediation,
    ArbitrationAward,
    NotarizedDebt,
    AdministrativeDecision,
    Other,
}

impl BasisKind {
    /// 非诉执行: the basis is not a court's own judgment, ruling or mediation.
    pub fn non_litigation(self) -> bool {
        !matches!(
            self,
            BasisKind::Judgment | BasisKind::Ruling | BasisKind::Mediation
        )
    }
}

/// The enforcement basis (执行依据).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    pub kind: BasisKind,
    pub issuing_body: String,
    pub document_number: String,
    pub effective_date: Date,
    /// The last day of the performance period.
    pub performance_deadline: Date,
}

/// What the respondent owes, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Amounts {
    pub principal: Fen,
    pub interest: Fen,
    pub delay_interest: Fen,
    pub costs: Fen,
}

impl Amounts {
    pub fn total(&self) -> Result<Fen, crate::money::MoneyError> {
        self.principal
            .checked_add(self.interest)?
            .checked_add(self.delay_interest)?
            .checked_add(self.costs)
    }
}

/// The process steps an officer records (they feed deadlines and closure checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// 执行通知书 and 报告财产令 issued.
    NoticeIssued,
    /// 网络查控 — a national online search.
    OnlineInvestigation,
    /// 传统查控 — field visit, search, reward notice or audit.
    TraditionalInvestigation,
    /// 限制消费令 ordered.
    ConsumptionRestriction,
    /// Listed as a dishonest debtor.
    DishonestListing,
    /// Recorded why the listing conditions do not hold.
    DishonestNotApplicable,
    /// A missing debtor searched for / obstruction punished.
    DebtorSearch,
    /// 约谈: the applicant interviewed and its opinion recorded.
    Interview,
    /// No enforceable property found (or what was found cannot be disposed of).
    NoEnforceableProperty,
    /// Non-monetary duties performed.
    DutiesPerformed,
    /// The respondent reported its property (被执行人报告财产) as the 报告财产令 ordered.
    PropertyReported,
    /// The court found the respondent's property report false (财产报告不实): a breach of the
    /// report duty (listing ground 4) whatever the date.
    PropertyReportFalse,
    /// A settlement agreement (执行和解协议) not performed by the respondent, as recorded
    /// (listing ground 6).
    SettlementBreached,
}

impl ActionKind {
    pub const ALL: [ActionKind; 13] = [
        ActionKind::NoticeIssued,
        ActionKind::OnlineInvestigation,
        ActionKind::TraditionalInvestigation,
        ActionKind::ConsumptionRestriction,
        ActionKind::DishonestListing,
        ActionKind::DishonestNotApplicable,
        ActionKind::DebtorSearch,
        ActionKind::Interview,
        ActionKind::NoEnforceableProperty,
        ActionKind::DutiesPerformed,
        ActionKind::PropertyReported,
        ActionKind::PropertyReportFalse,
        ActionKind::SettlementBreached,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::NoticeIssued => "notice_issued",
            ActionKind::OnlineInvestigation => "online_investigation",
            ActionKind::TraditionalInvestigation => "traditional_investigation",
            ActionKind::ConsumptionRestriction => "consumption_restriction",
            ActionKind::DishonestListing => "dishonest_listing",
            ActionKind::DishonestNotApplicable => "dishonest_not_applicable",
            ActionKind::DebtorSearch => "debtor_search",
            ActionKind::Interview => "interview",
            ActionKind::NoEnforceableProperty => "no_enforceable_property",
            ActionKind::DutiesPerformed => "duties_performed",
            ActionKind::PropertyReported => "property_reported",
            ActionKind::PropertyReportFalse => "property_report_false",
            ActionKind::SettlementBreached => "settlement_breached",
        }
    }
    pub fn parse(s: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|a| a.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            ActionKind::NoticeIssued => "发出执行通知书、报告财产令",
            ActionKind::OnlineInvestigation => "网络查控",
            ActionKind::TraditionalInvestigation => "传统查控（实地调查、搜查、悬赏、审计）",
            ActionKind::ConsumptionRestriction => "限制消费令",
            ActionKind::DishonestListing => "纳入失信被执行人名单",
            ActionKind::DishonestNotApplicable => "不符合纳入失信名单条件（已说明）",
            ActionKind::DebtorSearch => "查找下落不明的被执行人、惩戒妨碍执行行为",
            ActionKind::Interview => "约谈申请执行人并记录意见",
            ActionKind::NoEnforceableProperty => "未发现可供执行财产",
            ActionKind::DutiesPerformed => "非金钱义务已履行",
            ActionKind::PropertyReported => "被执行人报告财产",
            ActionKind::PropertyReportFalse => "被执行人财产报告不实",
            ActionKind::SettlementBreached => "被执行人不履行执行和解协议",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            ActionKind::NoticeIssued => "Enforcement notice and order to report property issued",
            ActionKind::OnlineInvestigation => "Online property search",
            ActionKind::TraditionalInvestigation => {
                "Traditional investigation (site visit, search, reward, audit)"
            }
            ActionKind::ConsumptionRestriction => "Consumption restriction order",
            ActionKind::DishonestListing => "Listed as a dishonest judgment debtor",
            ActionKind::DishonestNotApplicable => "Not to be listed as dishonest (reason given)",
            ActionKind::DebtorSearch => "Search for a missing respondent; sanction obstruction",
            ActionKind::Interview => "Applicant interviewed and views recorded",
            ActionKind::NoEnforceableProperty => "No enforceable property found",
            ActionKind::DutiesPerformed => "Non-monetary duties performed",
            ActionKind::PropertyReported => "Respondent reported property",
            ActionKind::PropertyReportFalse => "Respondent's property report false",
            ActionKind::SettlementBreached => "Respondent breached the settlement",
        }
    }
}

/// The six ways a case closes (结案方式), DOMAIN.md §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureMode {
    /// 执行完毕
    FullyPerformed,
    /// 终结本次执行程序 (终本)
    Zhongben,
    /// 终结执行
    Terminated,
    /// 销案
    Withdrawn,
    /// 不予执行
    Refused,
    /// 驳回申请
    Rejected,
}

impl ClosureMode {
    pub const ALL: [ClosureMode; 6] = [
        ClosureMode::FullyPerformed,
        ClosureMode::Zhongben,
        ClosureMode::Terminated,
        ClosureMode::Withdrawn,
        ClosureMode::Refused,
        ClosureMode::Rejected,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ClosureMode::FullyPerformed => "fully_performed",
            ClosureMode::Zhongben => "zhongben",
            ClosureMode::Terminated => "terminated",
            ClosureMode::Withdrawn => "withdrawn",
            ClosureMode::Refused => "refused",
            ClosureMode::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<ClosureMode> {
        ClosureMode::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            ClosureMode::FullyPerformed => "执行完毕",
            ClosureMode::Zhongben => "终结本次执行程序",
            ClosureMode::Terminated => "终结执行",
            ClosureMode::Withdrawn => "销案",
            ClosureMode::Refused => "不予执行",
            ClosureMode::Rejected => "驳回申请",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            ClosureMode::FullyPerformed => "Fully performed",
            ClosureMode::Zhongben => "Round of enforcement terminated",
            ClosureMode::Terminated => "Enforcement terminated",
            ClosureMode::Withdrawn => "Withdrawn",
            ClosureMode::Refused => "Enforcement refused",
            ClosureMode::Rejected => "Application dismissed",
        }
    }
    /// Modes decided by ruling, which the division head approves before the case closes.
    pub fn needs_approval(self) -> bool {
        matches!(
            self,
            ClosureMode::Zhongben
                | ClosureMode::Terminated
                | ClosureMode::Refused
                | ClosureMode::Rejected
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// 执行中
    Open,
    /// 中止: the clock stands still.
    Suspended,
    /// 报结待批: a closure awaits the division head.
    PendingClosure,
    /// 已结案
    Closed,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Suspended => "suspended",
            CaseStatus::PendingClosure => "pending_closure",
            CaseStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<CaseStatus> {
        [
            CaseStatus::Open,
            CaseStatus::Suspended,
            CaseStatus::PendingClosure,
            CaseStatus::Closed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            CaseStatus::Open => "执行中",
            CaseStatus::Suspended => "中止",
            CaseStatus::PendingClosure => "报结待批",
            CaseStatus::Closed => "已结案",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            CaseStatus::Open => "Open",
            CaseStatus::Suspended => "Suspended",
            CaseStatus::PendingClosure => "Closure pending approval",
            CaseStatus::Closed => "Closed",
        }
    }
}

/// A property clue (财产线索) the applicant gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clue {
    pub no: u32,
    pub description: String,
    pub urgent: bool,
    pub submitted_on: Date,
    pub verified_on: Option<Date>,
    pub result: Option<String>,
}

/// Everything that happens to a case. Stored as the payload of the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CaseEvent {
    Filed {
        number: String,
        case_type: CaseType,
        court_id: String,
        filed_on: Date,
        parties: Vec<PartyRecord>,
        basis: Basis,
        amounts: Amounts,
        duties: String,
        late_reason: Option<String>,
        resumed_from: Option<String>,
    },
    OfficerAssigned {
        officer_id: i64,
        officer_name: String,
        on: Date,
    },
    ActionRecorded {
        action: ActionKind,
        on: Date,
        note: String,
        /// For the notice: the periods it states. Absent in every other step, and in notices
        /// recorded before the periods were stated (see [`NoticeTerms::LEGACY`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        terms: Option<NoticeTerms>,
    },
    ClueSubmitted {
        no: u32,
        description: String,
        urgent: bool,
        on: Date,
    },
    ClueVerified {
        no: u32,
        on: Date,
        result: String,
    },
    PaymentRecorded {
        amount: Fen,
        on: Date,
        note: String,
    },
    /// Money arrived in the case's court account (案款到账): performance, like a payment,
    /// booked by the case account (`funds`). `source` is deduction, voluntary or auction.
    FundsReceived {
        amount: Fen,
        on: Date,
        source: String,
        reference: String,
    },
    Suspended {
        on: Date,
        reason: String,
    },
    SuspensionEnded {
        on: Date,
    },
    /// An officer asks the court president to extend the time to conclude (延长执行期限).
    ExtensionRequested {
        months: i64,
        reason: String,
        on: Date,
        /// Who asked (the account's username), so that someone else decides.
        by: String,
    },
    /// The president refused the requested extension, with the reason.
    ExtensionRefused {
        reason: String,
        on: Date,
        by: String,
    },
    /// An extension granted: by the president on a request (`approval_ref` is then the
    /// president's note), or recorded before requests existed.
    ExtensionApproved {
        months: i64,
        approval_ref: String,
        on: Date,
    },
    ClosureRequested {
        mode: ClosureMode,
        reason: String,
        on: Date,
        /// Who proposed it (the account's username), so that someone else approves it;
        /// absent in requests recorded before approvals were checked for it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    ClosureRejected {
        reason: String,
        on: Date,
    },
    Closed {
        mode: ClosureMode,
        reason: String,
        on: Date,
    },
    DocumentIssued {
        document_id: i64,
        doc_kind: String,
        title: String,
        sha256: String,
        /// The day of issue; absent in documents issued before service was recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        on: Option<Date>,
        /// Who it is served on (parties by number); empty: by its kind
        /// ([`crate::service::default_recipients`]).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        to: Vec<u32>,
    },
    /// A document served on one recipient (送达), see [`crate::service`].
    DocumentServed {
        record: crate::service::ServiceRecord,
    },
    /// An attempt to serve that did not reach the recipient.
    ServiceFailed {
        failure: crate::service::ServiceFailure,
    },
    /// A party consents to electronic service through their portal inbox.
    ElectronicConsentGiven {
        party_no: u32,
        on: Date,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notify: Option<String>,
    },
    /// A party revokes that consent.
    ElectronicConsentRevoked {
        party_no: u32,
        on: Date,
    },
    /// A party opened a document served on them, in their inbox.
    DocumentOpened {
        document_id: i64,
        party_no: u32,
        on: Date,
    },
    ResumedAs {
        number: String,
        case_id: i64,
    },
    /// Put on the dishonest-debtor list (失信被执行人名单), see [`crate::credit`].
    DishonestListed {
        no: u32,
        party_no: u32,
        grounds: Vec<crate::credit::Ground>,
        facts: String,
        on: Date,
        ends_on: Option<Date>,
    },
    DishonestExtended {
        no: u32,
        years: i64,
        reason: String,
        on: Date,
        ends_on: Date,
    },
    DishonestAmended {
        no: u32,
        facts: String,
        on: Date,
    },
    DishonestRemoved {
        no: u32,
        trigger: crate::credit::RemovalTrigger,
        reason: String,
        trigger_on: Date,
        due_by: Date,
        on: Date,
    },
    CorrectionRequested {
        no: u32,
        listing_no: u32,
        reason: String,
        on: Date,
        review_due: Date,
    },
    CorrectionDecided {
        no: u32,
        accepted: bool,
        reason: String,
        on: Date,
    },
    /// A consumption restriction order (限制消费令).
    RestrictionOrdered {
        no: u32,
        party_no: u32,
        bound_persons: Vec<String>,
        kinds: Vec<crate::credit::SpendingKind>,
        reason: String,
        on: Date,
        listing_no: Option<u32>,
    },
    RestrictionLifted {
        no: u32,
        reason: String,
        on: Date,
    },
    /// A credit warning (信用惩戒预警) to a respondent: not listed before `until`.
    CreditWarningIssued {
        no: u32,
        party_no: u32,
        grace_days: i64,
        note: String,
        on: Date,
        until: Date,
    },
    /// Security for performance recorded (执行担保).
    SecurityProvided {
        provider: String,
        description: String,
        value: Fen,
        on: Date,
    },
}

impl CaseEvent {
    /// The event kind in the log (`case.filed`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            CaseEvent::Filed { .. } => "case.filed",
            CaseEvent::OfficerAssigned { .. } => "case.officer_assigned",
            CaseEvent::ActionRecorded { .. } => "case.action_recorded",
            CaseEvent::ClueSubmitted { .. } => "case.clue_submitted",
            CaseEvent::ClueVerified { .. } => "case.clue_verified",
            CaseEvent::PaymentRecorded { .. } => "case.payment_recorded",
            CaseEvent::FundsReceived { .. } => "case.funds_received",
            CaseEvent::Suspended { .. } => "case.suspended",
            CaseEvent::SuspensionEnded { .. } => "case.suspension_ended",
            CaseEvent::ExtensionRequested { .. } => "case.extension_requested",
            CaseEvent::ExtensionRefused { .. } => "case.extension_refused",
            CaseEvent::ExtensionApproved { .. } => "case.extension_approved",
            CaseEvent::ClosureRequested { .. } => "case.closure_requested",
            CaseEvent::ClosureRejected { .. } => "case.closure_rejected",
            CaseEvent::Closed { .. } => "case.closed",
            CaseEvent::DocumentIssued { .. } => "case.document_issued",
            CaseEvent::DocumentServed { .. } => "case.document_served",
            CaseEvent::ServiceFailed { .. } => "case.service_failed",
            CaseEvent::ElectronicConsentGiven { .. } => "case.electronic_consent_given",
            CaseEvent::ElectronicConsentRevoked { .. } => "case.electronic_consent_revoked",
            CaseEvent::DocumentOpened { .. } => "case.document_opened",
            CaseEvent::ResumedAs { .. } => "case.resumed_as",
            CaseEvent::DishonestListed { .. } => "case.dishonest_listed",
            CaseEvent::DishonestExtended { .. } => "case.dishonest_extended",
            CaseEvent::DishonestAmended { .. } => "case.dishonest_amended",
            CaseEvent::DishonestRemoved { .. } => "case.dishonest_removed",
            CaseEvent::CorrectionRequested { .. } => "case.correction_requested",
            CaseEvent::CorrectionDecided { .. } => "case.correction_decided",
            CaseEvent::RestrictionOrdered { .. } => "case.restriction_ordered",
            CaseEvent::RestrictionLifted { .. } => "case.restriction_lifted",
            CaseEvent::SecurityProvided { .. } => "case.security_provided",
            CaseEvent::CreditWarningIssued { .. } => "case.credit_warning_issued",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    pub action: ActionKind,
    pub on: Date,
    pub note: String,
    /// The periods a notice states (see [`CaseEvent::ActionRecorded`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<NoticeTerms>,
}

/// The periods the 执行通知书 and the 报告财产令 state, in days from service: the court
/// sets them in the notice — the law fixes no figure (DOMAIN §4a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeTerms {
    /// Days to perform (0: at once, 立即履行).
    pub perform_days: i64,
    /// Days to report property.
    pub report_days: i64,
}

impl NoticeTerms {
    /// What the notices recorded before the periods were stated said, word for word: perform
    /// at once (立即履行), report within five days (五日内). Not a rule: the text those
    /// documents carried.
    pub const LEGACY: NoticeTerms = NoticeTerms {
        perform_days: 0,
        report_days: 5,
    };
}

/// The periods an officer types when recording the notice, checked by [`decide_action`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatedPeriods {
    pub perform_days: Option<i64>,
    pub report_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    pub document_id: i64,
    pub kind: String,
    pub title: String,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<Date>,
    /// Its recipients; empty: by its kind (see [`crate::service::recipients`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<u32>,
}

/// A case as the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseState {
    pub number: String,
    pub case_type: CaseType,
    pub court_id: String,
    pub filed_on: Date,
    pub status: CaseStatus,
    pub officer: Option<(i64, String)>,
    pub officer_assigned_on: Option<Date>,
    pub parties: Vec<PartyRecord>,
    pub basis: Basis,
    pub amounts: Amounts,
    pub duties: String,
    pub late_reason: Option<String>,
    pub actions: Vec<ActionRecord>,
    pub clues: Vec<Clue>,
    pub paid: Fen,
    /// Suspension periods (start, end); an open one has no end.
    pub suspensions: Vec<(Date, Option<Date>)>,
    pub extension_months: i64,
    /// The extension asked of the president and not yet decided.
    #[serde(default)]
    pub extension_request: Option<ExtensionRequest>,
    pub closure_request: Option<(ClosureMode, String, Date)>,
    /// Who proposed the pending closure.
    #[serde(default)]
    pub closure_proposer: Option<String>,
    pub closure: Option<(ClosureMode, String, Date)>,
    pub documents: Vec<DocumentRef>,
    pub resumed_from: Option<String>,
    pub resumed_as: Option<String>,
    /// Listings, restriction orders and correction requests; absent in snapshots written
    /// before credit discipline existed.
    #[serde(default)]
    pub credit: crate::credit::CreditState,
    /// Security for performance given by the debtor or a guarantor (执行担保), as recorded.
    #[serde(default)]
    pub securities: Vec<SecurityRecord>,
    /// Service of the case's documents (送达); absent in snapshots written before it was
    /// recorded.
    #[serde(default)]
    pub service: crate::service::ServiceState,
}

/// A pending request to extend the time to conclude.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    pub months: i64,
    pub reason: String,
    pub on: Date,
    pub by: String,
}

/// Security for performance (执行担保, Civil Procedure Law art. 238): who gave it, what it
/// is, and the value the court accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityRecord {
    pub provider: String,
    pub description: String,
    pub value: Fen,
    pub on: Date,
}

impl CaseState {
    /// The value of the security recorded (saturating: never more than any total).
    pub fn security_value(&self) -> Fen {
        self.securities
            .iter()
            .fold(Fen::ZERO, |acc, s| acc.checked_add(s.value).unwrap_or(acc))
    }
}

impl CaseState {
    /// The state a `Filed` event creates.
    pub fn from_filed(e: &CaseEvent) -> Option<CaseState> {
        match e {
            CaseEvent::Filed {
                number,
                case_type,
                court_id,
                filed_on,
                parties,
                basis,
                amounts,
                duties,
                late_reason,
                resumed_from,
            } => Some(CaseState {
                number: number.clone(),
                case_type: *case_type,
                court_id: court_id.clone(),
                filed_on: *filed_on,
                status: CaseStatus::Open,
                officer: None,
                officer_assigned_on: None,
                parties: parties.clone(),
                basis: basis.clone(),
                amounts: *amounts,
                duties: duties.clone(),
                late_reason: late_reason.clone(),
                actions: Vec::new(),
                clues: Vec::new(),
                paid: Fen::ZERO,
                suspensions: Vec::new(),
                extension_months: 0,
                extension_request: None,
                closure_request: None,
                closure_proposer: None,
                closure: None,
                documents: Vec::new(),
                resumed_from: resumed_from.clone(),
                resumed_as: None,
                credit: crate::credit::CreditState::default(),
                securities: Vec::new(),
                service: crate::service::ServiceState::default(),
            }),
            _ => None,
        }
    }

    /// Applies one event. Events were validated when decided, so applying never fails.
    pub fn apply(&mut self, e: &CaseEvent) {
        match e {
            CaseEvent::Filed { .. } => {}
            CaseEvent::OfficerAssigned {
                officer_id,
                officer_name,
                on,
            } => {
                self.officer = Some((*officer_id, officer_name.clone()));
                self.officer_assigned_on.get_or_insert(*on);
            }
            CaseEvent::ActionRecorded {
                action,
                on,
                note,
                terms,
            } => self.actions.push(ActionRecord {
                action: *action,
                on: *on,
                note: note.clone(),
                terms: *terms,
            }),
            CaseEvent::ClueSubmitted {
                no,
                description,
                urgent,
                on,
            } => self.clues.push(Clue {
                no: *no,
                description: description.clone(),
                urgent: *urgent,
                submitted_on: *on,
                verified_on: None,
                result: None,
            }),
            CaseEvent::ClueVerified { no, on, result } => {
                if let Some(c) = self.clues.iter_mut().find(|c| c.no == *no) {
                    c.verified_on = Some(*on);
                    c.result = Some(result.clone());
                }
            }
            CaseEvent::PaymentRecorded { amount, .. } | CaseEvent::FundsReceived { amount, .. } => {
                self.paid = self.paid.checked_add(*amount).unwrap_or(self.paid);
            }
            CaseEvent::SecurityProvided {
                provider,
                description,
                value,
                on,
            } => self.securities.push(SecurityRecord {
                provider: provider.clone(),
                description: description.clone(),
                value: *value,
                on: *on,
            }),
            CaseEvent::Suspended { on, .. } => {
                self.status = CaseStatus::Suspended;
                self.suspensions.push((*on, None));
            }
            CaseEvent::SuspensionEnded { on } => {
                self.status = CaseStatus::Open;
                if let Some(last) = self.suspensions.last_mut() {
                    last.1 = Some(*on);
                }
            }
            CaseEvent::ExtensionRequested {
                months,
                reason,
                on,
                by,
            } => {
                self.extension_request = Some(ExtensionRequest {
                    months: *months,
                    reason: reason.clone(),
                    on: *on,
                    by: by.clone(),
                });
            }
            CaseEvent::ExtensionRefused { .. } => self.extension_request = None,
            CaseEvent::ExtensionApproved { months, .. } => {
                self.extension_months += months;
                self.extension_request = None;
            }
            CaseEvent::ClosureRequested {
                mode,
                reason,
                on,
                by,
            } => {
                self.status = CaseStatus::PendingClosure;
                self.closure_request = Some((*mode, reason.clone(), *on));
                self.closure_proposer.clone_from(by);
            }
            CaseEvent::ClosureRejected { .. } => {
                self.status = CaseStatus::Open;
                self.closure_request = None;
                self.closure_proposer = None;
            }
            CaseEvent::Closed { mode, reason, on } => {
                self.status = CaseStatus::Closed;
                self.closure_request = None;
                self.closure_proposer = None;
                self.closure = Some((*mode, reason.clone(), *on));
            }
            CaseEvent::DocumentIssued {
                document_id,
                doc_kind,
                title,
                sha256,
                on,
                to,
            } => self.documents.push(DocumentRef {
                document_id: *document_id,
                kind: doc_kind.clone(),
                title: title.clone(),
                sha256: sha256.clone(),
                issued_on: *on,
                to: to.clone(),
            }),
            e @ (CaseEvent::DocumentServed { .. }
            | CaseEvent::ServiceFailed { .. }
            | CaseEvent::ElectronicConsentGiven { .. }
            | CaseEvent::ElectronicConsentRevoked { .. }
            | CaseEvent::DocumentOpened { .. }) => self.service.apply(e),
            CaseEvent::ResumedAs { number, .. } => self.resumed_as = Some(number.clone()),
            // The 终本 checklist asks whether these steps were taken: a listing or an order is
            // the step itself, so it counts as the recorded action.
            CaseEvent::DishonestListed { on, facts, .. } => {
                self.actions.push(ActionRecord {
                    action: ActionKind::DishonestListing,
                    on: *on,
                    note: facts.clone(),
                    terms: None,
                });
                self.credit.apply(e);
            }
            CaseEvent::RestrictionOrdered { on, reason, .. } => {
                self.actions.push(ActionRecord {
                    action: ActionKind::ConsumptionRestriction,
                    on: *on,
                    note: reason.clone(),
                    terms: None,
                });
                self.credit.apply(e);
            }
            CaseEvent::DishonestExtended { .. }
            | CaseEvent::DishonestAmended { .. }
            | CaseEvent::DishonestRemoved { .. }
            | CaseEvent::CorrectionRequested { .. }
            | CaseEvent::CorrectionDecided { .. }
            | CaseEvent::RestrictionLifted { .. }
            | CaseEvent::CreditWarningIssued { .. } => self.credit.apply(e),
        }
    }

    /// Folds a case's events (the first must be `Filed`).
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a CaseEvent>) -> Option<CaseState> {
        let mut it = events.into_iter();
        let mut s = CaseState::from_filed(it.next()?)?;
        for e in it {
            s.apply(e);
        }
        Some(s)
    }

    /// Refuses anything more on a closed case.
    pub fn ensure_open(&self) -> Result<(), Refusal> {
        if self.status == CaseStatus::Closed {
            Err(Refusal::conflict("case_closed"))
        } else {
            Ok(())
        }
    }

    pub fn has(&self, a: ActionKind) -> bool {
        self.actions.iter().any(|r| r.action == a)
    }

    fn first(&self, a: ActionKind) -> Option<Date> {
        self.actions
            .iter()
            .filter(|r| r.action == a)
            .map(|r| r.on)
            .min()
    }

    pub fn total_due(&self) -> Fen {
        self.amounts.total().unwrap_or(Fen::ZERO)
    }

    pub fn unpaid(&self) -> Fen {
        self.total_due().saturating_sub(self.paid)
    }

    /// Days the case clock stood still (suspension) up to `today`.
    pub fn suspended_days(&self, today: Date) -> i64 {
        self.suspensions
            .iter()
            .map(|(from, to)| {
                let end = to.unwrap_or(today);
                end.since(*from)
                    .map(|s| i64::from(s.get_days()))
                    .unwrap_or(0)
                    .max(0)
            })
            .sum()
    }
}

/// One statutory deadline of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// `notice`, `officer_assignment`, `first_online_investigation`, `clue:N`, `conclusion`.
    pub node: String,
    pub title: String,
    pub due: Date,
    pub done_on: Option<Date>,
    /// pending | done | overdue | done_late | moot
    pub status: String,
    pub rule_id: String,
    pub citation: String,
    /// The rule counted in working days.
    pub working_days: bool,
    /// The first year between the period's start and its end with no official holiday
    /// calendar loaded: the date is then reckoned on weekends alone and is provisional until
    /// that year's calendar is loaded (DOMAIN §12). Never silent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional_without_calendar: Option<i16>,
}

/// The first year from `from` to `due` that the calendar does not cover.
fn uncovered_year(calendar: &WorkingCalendar, from: Date, due: Date) -> Option<i16> {
    (from.year()..=due.year()).find(|y| !calendar.covers(*y))
}

/// What the rules need to know about the court: its region (division-code prefix).
pub struct Ctx<'a> {
    pub rules: &'a RuleBook,
    pub calendar: &'a WorkingCalendar,
    pub region: &'a str,
    pub today: Date,
}

fn deadline(
    ctx: &Ctx<'_>,
    state: &CaseState,
    node: String,
    title: &str,
    rule_id: &str,
    from: Date,
    done_on: Option<Date>,
) -> Result<Deadline, Refusal> {
    let rule = ctx.rules.lookup(rule_id, from, ctx.region)?;
    let due = ctx
        .calendar
        .period_end(from, rule.value, rule.unit)
        .map_err(calendar_fault)?;
    let mut d = finish(
        ctx,
        state,
        node,
        title,
        rule_id,
        &rule.citation,
        rule.unit == Unit::WorkingDays,
        due,
        done_on,
    );
    d.provisional_without_calendar = uncovered_year(ctx.calendar, from, due);
    Ok(d)
}

#[allow(clippy::too_many_arguments)] // one call site per deadline kind, each naming every field
fn finish(
    ctx: &Ctx<'_>,
    state: &CaseState,
    node: String,
    title: &str,
    rule_id: &str,
    citation: &str,
    working_days: bool,
    due: Date,
    done_on: Option<Date>,
) -> Deadline {
    let status = match done_on {
        Some(d) if d > due => "done_late",
        Some(_) => "done",
        None if state.status == CaseStatus::Closed => "moot",
        None if ctx.today > due => "overdue",
        None => "pending",
    };
    Deadline {
        node,
        title: title.to_owned(),
        due,
        done_on,
        status: status.to_owned(),
        rule_id: rule_id.to_owned(),
        citation: citation.to_owned(),
        working_days,
        provisional_without_calendar: None,
    }
}

/// Every deadline the case is under, computed from the rule book version in force on the
/// date each period started.
pub fn deadlines(state: &CaseState, ctx: &Ctx<'_>) -> Result<Vec<Deadline>, Refusal> {
    let f = state.filed_on;
    let mut out = vec![
        deadline(
            ctx,
            state,
            "notice".into(),
            "发出执行通知书、报告财产令",
            "case.enforcement_notice",
            f,
            state.first(ActionKind::NoticeIssued),
        )?,
        deadline(
            ctx,
            state,
            "officer_assignment".into(),
            "确定承办人",
            "case.officer_assignment",
            f,
            state.officer_assigned_on,
        )?,
        deadline(
            ctx,
            state,
            "first_online_investigation".into(),
            "首次网络查控",
            "case.first_online_investigation",
            f,
            state.first(ActionKind::OnlineInvestigation),
        )?,
    ];
    for c in &state.clues {
        let rule = if c.urgent {
            "investigation.clue_verify.urgent"
        } else {
            "investigation.clue_verify"
        };
        out.push(deadline(
            ctx,
            state,
            format!("clue:{}", c.no),
            &format!("核查财产线索 {}", c.no),
            rule,
            c.submitted_on,
            c.verified_on,
        )?);
    }
    // Conclusion: months from filing plus approved extensions; suspended days do not count.
    let rule = conclusion_rule(state, ctx)?;
    let months = rule.value + state.extension_months;
    let due = ctx
        .calendar
        .period_end_excluding(f, months, Unit::Months, state.suspended_days(ctx.today))
        .map_err(calendar_fault)?;
    let closed_on = state.closure.as_ref().map(|c| c.2);
    let mut conclusion = finish(
        ctx,
        state,
        "conclusion".into(),
        "执行案件结案期限",
        &rule.id,
        &rule.citation,
        false,
        due,
        closed_on,
    );
    conclusion.provisional_without_calendar = uncovered_year(ctx.calendar, f, due);
    if state.status == CaseStatus::Suspended && conclusion.status == "overdue" {
        conclusion.status = "pending".into();
    }
    out.push(conclusion);
    Ok(out)
}

/// The rule that sets the time to conclude the case (6 months, 3 for a non-litigation basis),
/// in the version in force on the day of filing.
fn conclusion_rule<'a>(state: &CaseState, ctx: &Ctx<'a>) -> Result<&'a RuleVersion, Refusal> {
    let id = if state.basis.kind.non_litigation() {
        "case.conclude.non_litigation"
    } else {
        "case.conclude"
    };
    Ok(ctx.rules.lookup(id, state.filed_on, ctx.region)?)
}

/// The next legally required actions: what is pending or overdue, earliest first. The system
/// proposes; the officer confirms.
pub fn next_actions(ds: &[Deadline]) -> Vec<&Deadline> {
    let mut v: Vec<&Deadline> = ds
        .iter()
        .filter(|d| d.status == "pending" || d.status == "overdue")
        .collect();
    v.sort_by_key(|d| d.due);
    v
}

/// One precondition of a closure, met or not: its code and the parameters of the rule it
/// states. The message catalogue words it under the same code, for the checklist and for the
/// refusal that lists it unmet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub code: &'static str,
    pub met: bool,
    #[serde(skip_serializing_if = "Params::is_empty")]
    pub params: Params,
}

impl Condition {
    /// The condition as a problem of a refused closure.
    pub fn reason(&self) -> Reason {
        Reason {
            code: self.code,
            params: self.params.clone(),
        }
    }
}

fn cond(r: Reason, met: bool) -> Condition {
    Condition {
        code: r.code,
        met,
        params: r.params,
    }
}

/// The checklist of a closure mode: every precondition with whether it is met. The last,
/// `closure_reason`, asks for the reason the closure is given.
pub fn closure_checklist(
    state: &CaseState,
    mode: ClosureMode,
    reason: &str,
    ctx: &Ctx<'_>,
) -> Result<Vec<Condition>, Refusal> {
    let done = |a: ActionKind| state.has(a);
    let mut v = Vec::new();
    match mode {
        ClosureMode::FullyPerformed => {
            v.push(cond(
                Reason::new("amount_paid"),
                state.unpaid() == Fen::ZERO,
            ));
            if !state.duties.trim().is_empty() {
                v.push(cond(
                    Reason::new("duties_performed"),
                    done(ActionKind::DutiesPerformed),
                ));
            }
        }
        ClosureMode::Zhongben => {
            // SPC provisions on terminating the current round (2016) art. 1, items 1–5, and the
            // interview.
            let steps = [
                ("notice_issued", done(ActionKind::NoticeIssued)),
                ("consumption_restriction", restricted_all(state, ctx.today)),
                (
                    "dishonest_decided",
                    done(ActionKind::DishonestListing) || done(ActionKind::DishonestNotApplicable),
                ),
                (
                    "online_investigation",
                    done(ActionKind::OnlineInvestigation),
                ),
                (
                    "traditional_investigation",
                    done(ActionKind::TraditionalInvestigation),
                ),
                (
                    "clues_verified",
                    state.clues.iter().all(|c| c.verified_on.is_some()),
                ),
                ("no_property", done(ActionKind::NoEnforceableProperty)),
            ];
            v.extend(steps.map(|(code, met)| cond(Reason::new(code), met)));
            let min =
                ctx.rules
                    .lookup("case.zhongben.min_since_filing", state.filed_on, ctx.region)?;
            let earliest = ctx
                .calendar
                .period_end(state.filed_on, min.value, min.unit)
                .map_err(calendar_fault)?;
            v.push(cond(
                Reason::new("three_months")
                    .rule(min)
                    .with("filed_on", state.filed_on)
                    .with("until", earliest),
                ctx.today > earliest,
            ));
            let rest = [
                ("debtor_search", done(ActionKind::DebtorSearch)),
                ("interview", done(ActionKind::Interview)),
                ("unpaid_remains", state.unpaid() > Fen::ZERO),
            ];
            v.extend(rest.map(|(code, met)| cond(Reason::new(code), met)));
        }
        ClosureMode::Terminated
        | ClosureMode::Withdrawn
        | ClosureMode::Refused
        | ClosureMode::Rejected => {}
    }
    v.push(cond(
        Reason::new("closure_reason").with("min", MIN_REASON_CHARS),
        long_enough(reason, MIN_REASON_CHARS),
    ));
    Ok(v)
}

/// 终本's restriction condition (DOMAIN §4a): an order in force on `on` on every respondent —
/// not a recorded action, nor an order lifted by then. An organisation's order always binds
/// the persons §7 names (the order refuses to be made without them). Judged on the day given,
/// so that a closure played back later is judged as it stood.
fn restricted_all(state: &CaseState, on: Date) -> bool {
    let in_force = |o: &crate::credit::RestrictionOrder| {
        o.ordered_on <= on
            && o.lifted
                .as_ref()
                .is_none_or(|(lifted_on, _)| *lifted_on > on)
    };
    let mut respondents = state
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Respondent)
        .peekable();
    respondents.peek().is_some()
        && respondents.all(|p| {
            state.credit.orders.iter().any(|o| {
                o.party_no == p.no
                    && in_force(o)
                    && (p.kind != "organisation" || !o.bound_persons.is_empty())
            })
        })
}

/// Refuses a closure whose conditions are not all met, listing every one that is not: the
/// case's own, and those on what it holds outside ([`crate::closure::conditions`]).
fn ensure_conditions(
    state: &CaseState,
    mode: ClosureMode,
    reason: &str,
    holdings: &Holdings,
    ctx: &Ctx<'_>,
) -> Result<(), Refusal> {
    let mut all = closure_checklist(state, mode, reason, ctx)?;
    all.extend(crate::closure::conditions(mode, holdings));
    let unmet: Vec<Reason> = all
        .iter()
        .filter(|c| !c.met)
        .map(Condition::reason)
        .collect();
    if unmet.is_empty() {
        Ok(())
    } else {
        Err(Refusal::of_reasons(
            "closure_conditions_unmet",
            RefusalKind::Invalid,
            unmet,
        ))
    }
}

/// Decides a closure: closes at once, or goes to the division head for modes decided by
/// ruling. A refusal lists every unmet condition. A closure that takes effect comes with its
/// effects ([`crate::closure::effects`]): the listing removals and order lifts are recorded
/// before it, the measures to release are the caller's to send.
pub fn decide_closure(
    state: &CaseState,
    mode: ClosureMode,
    reason: &str,
    proposer: &str,
    holdings: &Holdings,
    ctx: &Ctx<'_>,
) -> Result<Closing, Refusal> {
    match state.status {
        CaseStatus::Closed => return Err(Refusal::conflict("case_closed")),
        CaseStatus::PendingClosure => return Err(Refusal::conflict("closure_pending")),
        CaseStatus::Suspended
            if !matches!(mode, ClosureMode::Terminated | ClosureMode::Withdrawn) =>
        {
            return Err(Refusal::conflict("case_suspended"));
        }
        _ => {}
    }
    ensure_conditions(state, mode, reason, holdings, ctx)?;
    let reason = reason.trim().to_owned();
    if mode.needs_approval() {
        return Ok(Closing {
            events: vec![CaseEvent::ClosureRequested {
                mode,
                reason,
                on: ctx.today,
                by: Some(proposer.to_owned()),
            }],
            releases: Vec::new(),
        });
    }
    close(state, mode, reason, holdings, ctx)
}

/// What a closure decision records, and the measures the closing transaction releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    pub events: Vec<CaseEvent>,
    pub releases: Vec<i64>,
}

fn close(
    state: &CaseState,
    mode: ClosureMode,
    reason: String,
    holdings: &Holdings,
    ctx: &Ctx<'_>,
) -> Result<Closing, Refusal> {
    let fx = crate::closure::effects(state, mode, holdings, ctx)?;
    let mut events = fx.events;
    events.push(CaseEvent::Closed {
        mode,
        reason,
        on: ctx.today,
    });
    Ok(Closing {
        events,
        releases: fx.releases,
    })
}

/// The division head's decision on a requested closure. The conditions are checked again:
/// the case may have changed since the request.
pub fn decide_approval(
    state: &CaseState,
    approve: bool,
    note: &str,
    approver: &str,
    holdings: &Holdings,
    ctx: &Ctx<'_>,
) -> Result<Closing, Refusal> {
    let Some((mode, reason, _)) = &state.closure_request else {
        return Err(Refusal::conflict("no_closure_pending"));
    };
    // Four eyes (DOMAIN §4a, Approvals): an approval by the one who proposed is no approval —
    // nor is sending one's own proposal back, which is withdrawing it.
    if state.closure_proposer.as_deref() == Some(approver) {
        return Err(Refusal::conflict("own_proposal").with("what", "closure"));
    }
    if !approve {
        if note.trim().is_empty() {
            return Err(reason_required("send_back"));
        }
        return Ok(Closing {
            events: vec![CaseEvent::ClosureRejected {
                reason: note.trim().to_owned(),
                on: ctx.today,
            }],
            releases: Vec::new(),
        });
    }
    ensure_conditions(state, *mode, reason, holdings, ctx)?;
    close(state, *mode, reason.clone(), holdings, ctx)
}

/// A reason that was not given, or too short: `what` it is for (suspension, resumption,
/// send_back).
fn reason_required(what: &'static str) -> Refusal {
    refused_as(
        "reason_required",
        RefusalKind::Invalid,
        Reason::new("reason_too_short")
            .with("for", what)
            .with("min", MIN_REASON_CHARS),
    )
}

/// Records a step of the process. A closed case takes none; an interview, a decision not
/// to list, a false property report and a settlement not performed need their content; the
/// enforcement notice is issued once, stating its periods (to perform, to report), which no
/// other step has.
pub fn decide_action(
    state: &CaseState,
    action: ActionKind,
    note: &str,
    periods: StatedPeriods,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    let note = note.trim();
    state.ensure_open()?;
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(Refusal::invalid("invalid_note").with("max", MAX_NOTE_CHARS));
    }
    if matches!(
        action,
        ActionKind::Interview
            | ActionKind::DishonestNotApplicable
            | ActionKind::PropertyReportFalse
            | ActionKind::SettlementBreached
    ) && !long_enough(note, MIN_REASON_CHARS)
    {
        return Err(Refusal::invalid("note_required").with("min", MIN_REASON_CHARS));
    }
    if action == ActionKind::NoticeIssued && state.has(ActionKind::NoticeIssued) {
        return Err(Refusal::invalid("already_done").with("what", "notice"));
    }
    let terms = notice_terms(action, periods)?;
    Ok(CaseEvent::ActionRecorded {
        action,
        on: today,
        note: note.to_owned(),
        terms,
    })
}

/// The periods of a notice as stated: both required for the notice (0 days to perform is
/// "at once"; at least a day to report), none for another step. Every problem at once.
fn notice_terms(action: ActionKind, p: StatedPeriods) -> Result<Option<NoticeTerms>, Refusal> {
    if action != ActionKind::NoticeIssued {
        if p.perform_days.is_some() || p.report_days.is_some() {
            return Err(Refusal::invalid("notice_periods_not_applicable"));
        }
        return Ok(None);
    }
    let mut problems = crate::refusal::Problems::new();
    let mut check = |field: &'static str, v: Option<i64>, min: i64| match v {
        Some(d) if (min..=MAX_STATED_DAYS).contains(&d) => d,
        _ => {
            problems.push(
                Reason::new("invalid_notice_period")
                    .with("field", field)
                    .with("min", min)
                    .with("max", MAX_STATED_DAYS),
            );
            0
        }
    };
    let perform_days = check("perform_days", p.perform_days, 0);
    let report_days = check("report_days", p.report_days, 1);
    problems.finish("notice_periods_required", RefusalKind::Invalid)?;
    Ok(Some(NoticeTerms {
        perform_days,
        report_days,
    }))
}

/// The step of the process named `s` (`notice_issued`, …).
pub fn action_of(s: &str) -> Result<ActionKind, Refusal> {
    ActionKind::parse(s).ok_or_else(|| Refusal::invalid("unknown_action").with("action", s))
}

/// The closure mode named `s` (`fully_performed`, `zhongben`, …).
pub fn closure_mode_of(s: &str) -> Result<ClosureMode, Refusal> {
    ClosureMode::parse(s).ok_or_else(|| Refusal::invalid("unknown_closure_mode").with("mode", s))
}

/// Suspension (中止) and its end.
pub fn decide_suspension(
    state: &CaseState,
    suspend: bool,
    reason: &str,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    match (suspend, state.status) {
        (true, CaseStatus::Open) if long_enough(reason, MIN_REASON_CHARS) => {
            Ok(CaseEvent::Suspended {
                on: today,
                reason: reason.trim().to_owned(),
            })
        }
        (true, CaseStatus::Open) => Err(reason_required("suspension")),
        (true, _) => Err(Refusal::conflict("not_open")),
        (false, CaseStatus::Suspended) => Ok(CaseEvent::SuspensionEnded { on: today }),
        (false, _) => Err(Refusal::conflict("not_suspended")),
    }
}

/// A request to extend the time to conclude, made to the court president no later than the
/// rule book's lead time (`case.conclude.extension_request`) before the time runs out. A late
/// one is refused with that rule and the last day it could be made.
pub fn decide_extension_request(
    state: &CaseState,
    months: i64,
    reason: &str,
    proposer: &str,
    ctx: &Ctx<'_>,
) -> Result<CaseEvent, Refusal> {
    state.ensure_open()?;
    if state.extension_request.is_some() {
        return Err(Refusal::conflict("extension_pending"));
    }
    let (min, max) = EXTENSION_MONTHS;
    if !(min..=max).contains(&months) {
        return Err(refused_as(
            "invalid_extension",
            RefusalKind::Invalid,
            Reason::new("extension_months")
                .with("min", min)
                .with("max", max),
        ));
    }
    if !long_enough(reason, MIN_REASON_CHARS) {
        return Err(reason_required("extension"));
    }
    let ds = deadlines(state, ctx)?;
    if let Some(c) = ds.iter().find(|d| d.node == "conclusion") {
        let lead = ctx
            .rules
            .lookup("case.conclude.extension_request", ctx.today, ctx.region)?;
        let last_day = c
            .due
            .checked_sub(jiff::Span::new().days(lead.value))
            .map_err(|_| calendar_fault(CalendarError::OutOfRange))?;
        if ctx.today > last_day {
            return Err(Refusal::invalid("extension_too_late")
                .rule(lead)
                .with("due", c.due)
                .with("last_day", last_day)
                .with("extended_months", state.extension_months));
        }
    }
    Ok(CaseEvent::ExtensionRequested {
        months,
        reason: reason.trim().to_owned(),
        on: ctx.today,
        by: proposer.to_owned(),
    })
}

/// The court president's decision on a requested extension: granted, or refused with the
/// reason. Four eyes (DOMAIN §4a, Approvals): never by the one who asked.
pub fn decide_extension(
    state: &CaseState,
    approve: bool,
    note: &str,
    approver: &str,
    ctx: &Ctx<'_>,
) -> Result<CaseEvent, Refusal> {
    let Some(req) = &state.extension_request else {
        return Err(Refusal::conflict("no_extension_pending"));
    };
    if req.by == approver {
        return Err(Refusal::conflict("own_proposal").with("what", "extension"));
    }
    state.ensure_open()?;
    if !approve {
        if !long_enough(note, MIN_REASON_CHARS) {
            return Err(reason_required("refusal"));
        }
        return Ok(CaseEvent::ExtensionRefused {
            reason: note.trim().to_owned(),
            on: ctx.today,
            by: approver.to_owned(),
        });
    }
    Ok(CaseEvent::ExtensionApproved {
        months: req.months,
        approval_ref: note.trim().to_owned(),
        on: ctx.today,
    })
}

/// Whether a filing is late under the limitation period (2 years from the end of the
/// performance period, Civil Procedure Law art. 250): the rule, and when the period ended.
pub fn limitation_end<'a>(
    basis: &Basis,
    rules: &'a RuleBook,
    calendar: &WorkingCalendar,
    region: &str,
) -> Result<(&'a RuleVersion, Date), Refusal> {
    let rule = rules.lookup(
        "case.application_limitation",
        basis.performance_deadline,
        region,
    )?;
    let end = calendar
        .period_end(basis.performance_deadline, rule.value, rule.unit)
        .map_err(calendar_fault)?;
    Ok((rule, end))
}

#[cfg(test)]
mod tests;

/// Records security for performance (执行担保) on an open case: who gave it, what it is, and
/// the value the court accepts (above zero, in fen). Every problem is reported at once.
pub fn decide_security(
    state: &CaseState,
    provider: &str,
    description: &str,
    value_fen: i64,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    state.ensure_open()?;
    let (provider, description) = (provider.trim(), description.trim());
    let mut problems = crate::refusal::Problems::new();
    if provider.is_empty() || provider.chars().count() > MAX_PROVIDER_CHARS {
        problems.push(Reason::new("security_provider").with("max", MAX_PROVIDER_CHARS));
    }
    if description.is_empty() || description.chars().count() > MAX_SECURITY_CHARS {
        problems.push(Reason::new("security_description").with("max", MAX_SECURITY_CHARS));
    }
    let value = match fen_of("value", value_fen) {
        Ok(v) if v == Fen::ZERO => {
            problems.push(amount_problem("value", "zero"));
            v
        }
        Ok(v) => v,
        Err(r) => {
            problems.push(r);
            Fen::ZERO
        }
    };
    problems.finish("invalid_security", RefusalKind::Invalid)?;
    Ok(CaseEvent::SecurityProvided {
        provider: provider.to_owned(),
        description: description.to_owned(),
        value,
        on: today,
    })
}

/// A user proposed as the officer of a case (承办人), as their account stands.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub court_id: String,
    pub active: bool,
    pub roles: Vec<Role>,
}

impl Candidate {
    /// Who may handle a case as its officer: an active officer (执行员) or judge of its court.
    fn may_handle(&self, state: &CaseState) -> bool {
        self.active
            && self.court_id == state.court_id
            && self
                .roles
                .iter()
                .any(|r| matches!(r, Role::Officer | Role::Judge))
    }
}

/// Assigns or reassigns the officer (分案). `officer` is the account asked for, if it exists.
pub fn decide_assignment(
    state: &CaseState,
    officer: Option<&Candidate>,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    state.ensure_open()?;
    let officer = officer.filter(|o| o.may_handle(state)).ok_or_else(|| {
        refused_as(
            "invalid_officer",
            RefusalKind::Invalid,
            Reason::new("officer_not_eligible"),
        )
    })?;
    if state.officer.as_ref().map(|o| o.0) == Some(officer.id) {
        return Err(Refusal::invalid("already_assigned"));
    }
    Ok(CaseEvent::OfficerAssigned {
        officer_id: officer.id,
        officer_name: officer.name.clone(),
        on: today,
    })
}

/// Records a property clue the applicant gave (to be verified within the rule book's days,
/// fewer when urgent).
pub fn decide_clue(
    state: &CaseState,
    description: &str,
    urgent: bool,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    state.ensure_open()?;
    let d = description.trim();
    if d.is_empty() || d.chars().count() > MAX_CLUE_CHARS {
        return Err(Refusal::invalid("invalid_clue").with("max", MAX_CLUE_CHARS));
    }
    Ok(CaseEvent::ClueSubmitted {
        no: u32::try_from(state.clues.len() + 1).unwrap_or(u32::MAX),
        description: d.to_owned(),
        urgent,
        on: today,
    })
}

/// Records the verification of clue `no`, once.
pub fn decide_clue_verification(
    state: &CaseState,
    no: u32,
    result: &str,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    let result = result.trim();
    if !long_enough(result, MIN_RESULT_CHARS) {
        return Err(Refusal::invalid("invalid_result").with("min", MIN_RESULT_CHARS));
    }
    match state.clues.iter().find(|c| c.no == no) {
        None => Err(Refusal::invalid("clue_not_found").with("no", no)),
        Some(c) if c.verified_on.is_some() => Err(Refusal::invalid("already_done")
            .with("what", "clue")
            .with("no", no)),
        Some(_) => Ok(CaseEvent::ClueVerified {
            no,
            on: today,
            result: result.to_owned(),
        }),
    }
}

/// Records an amount performed (paid by the respondent or recovered), in fen, above zero.
pub fn decide_payment(
    state: &CaseState,
    amount_fen: i64,
    note: &str,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    let invalid = |r| refused_as("invalid_amount", RefusalKind::Invalid, r);
    state.ensure_open()?;
    let amount = fen_of("payment", amount_fen).map_err(invalid)?;
    if amount == Fen::ZERO {
        return Err(invalid(amount_problem("payment", "zero")));
    }
    if state.paid.checked_add(amount).is_err() {
        return Err(invalid(amount_problem("payment", "overflow")));
    }
    Ok(CaseEvent::PaymentRecorded {
        amount,
        on: today,
        note: note.trim().to_owned(),
    })
}

/// Whether a case may be resumed (恢复执行) as a new 执恢 case: only one closed by 终本, only
/// once, and for a stated reason.
pub fn check_resumption(state: &CaseState, reason: &str) -> Result<(), Refusal> {
    if state.closure.as_ref().map(|c| c.0) != Some(ClosureMode::Zhongben) {
        return Err(Refusal::conflict("not_terminated"));
    }
    if let Some(number) = &state.resumed_as {
        return Err(Refusal::conflict("already_resumed").with("number", number));
    }
    if !long_enough(reason, MIN_REASON_CHARS) {
        return Err(reason_required("resumption"));
    }
    Ok(())
}

/// Records that the case was resumed as the new case `number` (id `case_id`).
pub fn decide_resumption(
    state: &CaseState,
    reason: &str,
    number: &str,
    case_id: i64,
) -> Result<CaseEvent, Refusal> {
    check_resumption(state, reason)?;
    Ok(CaseEvent::ResumedAs {
        number: number.to_owned(),
        case_id,
    })
}
