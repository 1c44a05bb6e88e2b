//! Credit discipline (信用惩戒), DOMAIN §7: the dishonest-debtor list (失信被执行人名单) and
//! the consumption restriction order (限制消费令).
//!
//! Both live on the case: each step is a [`CaseEvent`] and the case state keeps the listings,
//! orders and correction requests as their fold. Periods come from the rule book
//! (`credit.*`), never from constants here.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::case::{
    ActionKind, CaseEvent, CaseState, ClosureMode, Ctx, MAX_STATED_DAYS, NoticeTerms, PartyRecord,
    PartyRole, Refusal, calendar_fault, refused_as,
};
use crate::money::Fen;
use crate::refusal::{Reason, RefusalKind};
use crate::rules::Unit;
use crate::service::{self, Period};

/// The six statutory grounds of listing (SPC provisions on publishing the list, art. 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// (一) able to perform but refuses (有履行能力而拒不履行).
    AbleButRefuses,
    /// (二) obstructs enforcement by forged evidence, violence or threats.
    Obstruction,
    /// (三) evades by sham litigation or arbitration, or hides or transfers property.
    Evasion,
    /// (四) breaches the duty to report property.
    ReportingBreach,
    /// (五) breaches a consumption restriction.
    RestrictionBreach,
    /// (六) refuses without reason to perform a settlement agreement.
    SettlementBreach,
}

impl Ground {
    pub const ALL: [Ground; 6] = [
        Ground::AbleButRefuses,
        Ground::Obstruction,
        Ground::Evasion,
        Ground::ReportingBreach,
        Ground::RestrictionBreach,
        Ground::SettlementBreach,
    ];
    /// The item number in art. 1 (1–6).
    pub fn no(self) -> u8 {
        match self {
            Ground::AbleButRefuses => 1,
            Ground::Obstruction => 2,
            Ground::Evasion => 3,
            Ground::ReportingBreach => 4,
            Ground::RestrictionBreach => 5,
            Ground::SettlementBreach => 6,
        }
    }
    pub fn from_no(n: u8) -> Option<Ground> {
        Ground::ALL.into_iter().find(|g| g.no() == n)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            Ground::AbleButRefuses => "有履行能力而拒不履行生效法律文书确定义务",
            Ground::Obstruction => "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
            Ground::Evasion => "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
            Ground::ReportingBreach => "违反财产报告制度",
            Ground::RestrictionBreach => "违反限制消费令",
            Ground::SettlementBreach => "无正当理由拒不履行执行和解协议",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Ground::AbleButRefuses => "Able to perform but refuses",
            Ground::Obstruction => {
                "Obstructs or resists enforcement by forged evidence, violence or threats"
            }
            Ground::Evasion => {
                "Evades enforcement by sham litigation or arbitration or by hiding or moving property"
            }
            Ground::ReportingBreach => "Breaches the duty to report property",
            Ground::RestrictionBreach => "Breaches a consumption restriction order",
            Ground::SettlementBreach => "Refuses without good reason to perform a settlement",
        }
    }
}

/// Why a listing ends (art. 10 triggers, and the other ways out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalTrigger {
    /// 全部履行完毕.
    Performed,
    /// 执行和解协议履行完毕.
    SettlementPerformed,
    /// 申请执行人书面申请删除.
    ApplicantRequest,
    /// 终本后两次网络查控未发现财产且申请执行人未提供线索.
    ZhongbenNoProperty,
    /// 因审判监督或破产程序中止执行.
    SuspendedForRetrialOrBankruptcy,
    /// 不予执行.
    EnforcementRefused,
    /// 终结执行.
    Terminated,
    /// 提前删除 by decision of the court.
    EarlyDecision,
    /// A correction request upheld (纠正).
    Corrected,
    /// The listing period ran out (期满).
    Expired,
}

impl RemovalTrigger {
    pub const ALL: [RemovalTrigger; 10] = [
        RemovalTrigger::Performed,
        RemovalTrigger::SettlementPerformed,
        RemovalTrigger::ApplicantRequest,
        RemovalTrigger::ZhongbenNoProperty,
        RemovalTrigger::SuspendedForRetrialOrBankruptcy,
        RemovalTrigger::EnforcementRefused,
        RemovalTrigger::Terminated,
        RemovalTrigger::EarlyDecision,
        RemovalTrigger::Corrected,
        RemovalTrigger::Expired,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            RemovalTrigger::Performed => "performed",
            RemovalTrigger::SettlementPerformed => "settlement_performed",
            RemovalTrigger::ApplicantRequest => "applicant_request",
            RemovalTrigger::ZhongbenNoProperty => "zhongben_no_property",
            RemovalTrigger::SuspendedForRetrialOrBankruptcy => {
                "suspended_for_retrial_or_bankruptcy"
            }
            RemovalTrigger::EnforcementRefused => "enforcement_refused",
            RemovalTrigger::Terminated => "terminated",
            RemovalTrigger::EarlyDecision => "early_decision",
            RemovalTrigger::Corrected => "corrected",
            RemovalTrigger::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<RemovalTrigger> {
        RemovalTrigger::ALL.into_iter().find(|t| t.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            RemovalTrigger::Performed => "被执行人已履行全部义务",
            RemovalTrigger::SettlementPerformed => "执行和解协议已履行完毕",
            RemovalTrigger::ApplicantRequest => "申请执行人书面申请删除",
            RemovalTrigger::ZhongbenNoProperty => {
                "终结本次执行程序后两次查询未发现财产且申请执行人未提供线索"
            }
            RemovalTrigger::SuspendedForRetrialOrBankruptcy => "因审判监督或破产程序中止执行",
            RemovalTrigger::EnforcementRefused => "人民法院裁定不予执行",
            RemovalTrigger::Terminated => "人民法院裁定终结执行",
            RemovalTrigger::EarlyDecision => "人民法院决定提前删除",
            RemovalTrigger::Corrected => "纠正申请理由成立",
            RemovalTrigger::Expired => "纳入期限届满",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            RemovalTrigger::Performed => "The respondent performed every obligation",
            RemovalTrigger::SettlementPerformed => "The settlement was performed",
            RemovalTrigger::ApplicantRequest => "The applicant asked in writing",
            RemovalTrigger::ZhongbenNoProperty => {
                "Two searches after terminating the round found no property and the applicant gave no lead"
            }
            RemovalTrigger::SuspendedForRetrialOrBankruptcy => {
                "Enforcement suspended for a retrial or bankruptcy"
            }
            RemovalTrigger::EnforcementRefused => "The court ruled not to enforce",
            RemovalTrigger::Terminated => "The court ruled to terminate enforcement",
            RemovalTrigger::EarlyDecision => "The court decided to remove early",
            RemovalTrigger::Corrected => "A correction request was upheld",
            RemovalTrigger::Expired => "The listing term ended",
        }
    }
    /// Whether the officer may name this trigger (expiry is the watch worker's).
    pub fn by_decision(self) -> bool {
        self != RemovalTrigger::Expired
    }
}

/// The nine kinds of spending a restriction order forbids (SPC provisions on restricting
/// high consumption, 2015, art. 3), in the article's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpendingKind {
    FlightsSoftSleepersShipCabins,
    StarHotelsNightclubsGolf,
    RealEstate,
    HighEndOffices,
    NonBusinessVehicles,
    TravelHolidays,
    PrivateSchools,
    HighPremiumInsurance,
    HighSpeedTrainSeats,
}

impl SpendingKind {
    pub const ALL: [SpendingKind; 9] = [
        SpendingKind::FlightsSoftSleepersShipCabins,
        SpendingKind::StarHotelsNightclubsGolf,
        SpendingKind::RealEstate,
        SpendingKind::HighEndOffices,
        SpendingKind::NonBusinessVehicles,
        SpendingKind::TravelHolidays,
        SpendingKind::PrivateSchools,
        SpendingKind::HighPremiumInsurance,
        SpendingKind::HighSpeedTrainSeats,
    ];
    pub fn name_zh(self) -> &'static str {
        match self {
            SpendingKind::FlightsSoftSleepersShipCabins => {
                "乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位"
            }
            SpendingKind::StarHotelsNightclubsGolf => {
                "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费"
            }
            SpendingKind::RealEstate => "购买不动产或者新建、扩建、高档装修房屋",
            SpendingKind::HighEndOffices => "租赁高档写字楼、宾馆、公寓等场所办公",
            SpendingKind::NonBusinessVehicles => "购买非经营必需车辆",
            SpendingKind::TravelHolidays => "旅游、度假",
            SpendingKind::PrivateSchools => "子女就读高收费私立学校",
            SpendingKind::HighPremiumInsurance => "支付高额保费购买保险理财产品",
            SpendingKind::HighSpeedTrainSeats => {
                "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为"
            }
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            SpendingKind::FlightsSoftSleepersShipCabins => {
                "Flying, soft sleepers, or second class or above on ships"
            }
            SpendingKind::StarHotelsNightclubsGolf => {
                "High spending at star-rated hotels, nightclubs, golf courses and the like"
            }
            SpendingKind::RealEstate => {
                "Buying real estate or building, extending or luxuriously decorating a house"
            }
            SpendingKind::HighEndOffices => {
                "Renting high-end offices, hotels or apartments to work in"
            }
            SpendingKind::NonBusinessVehicles => "Buying vehicles not needed for business",
            SpendingKind::TravelHolidays => "Travel and holidays",
            SpendingKind::PrivateSchools => "Children at high-fee private schools",
            SpendingKind::HighPremiumInsurance => "High-premium insurance and wealth products",
            SpendingKind::HighSpeedTrainSeats => {
                "Any seat on G-series trains, first class or above on other bullet trains, and other spending not needed for life or work"
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListingStatus {
    Listed,
    Removed,
}

/// How a listing ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    pub trigger: RemovalTrigger,
    pub reason: String,
    /// The day the trigger occurred.
    pub trigger_on: Date,
    /// The last day removal was due (3 working days after the trigger, art. 10).
    pub due_by: Date,
    /// The day it was removed.
    pub on: Date,
}

/// One entry on the dishonest-debtor list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// 1-based position among the case's listings.
    pub no: u32,
    pub party_no: u32,
    pub grounds: Vec<Ground>,
    /// The dishonest conduct as decided (published).
    pub facts: String,
    pub listed_on: Date,
    /// The last day listed; none for ground 1 (until performance).
    pub ends_on: Option<Date>,
    pub extended_years: i64,
    pub status: ListingStatus,
    pub removal: Option<Removal>,
}

/// A request by the listed person to correct a listing (纠正申请).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub no: u32,
    pub listing_no: u32,
    pub reason: String,
    pub requested_on: Date,
    /// The last day of review (rule `credit.dishonest.correction_review`).
    pub review_due: Date,
    /// (accepted, reason, day).
    pub decision: Option<(bool, String, Date)>,
}

/// A consumption restriction order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestrictionOrder {
    pub no: u32,
    pub party_no: u32,
    /// For an organisation: its legal representative and the other persons named (principal,
    /// directly responsible person, actual controller); empty for a natural person, whom the
    /// order binds directly.
    pub bound_persons: Vec<String>,
    pub kinds: Vec<SpendingKind>,
    pub reason: String,
    pub ordered_on: Date,
    /// The listing that made it mandatory, if any.
    pub listing_no: Option<u32>,
    /// (day, reason).
    pub lifted: Option<(Date, String)>,
}

/// A credit warning (信用惩戒预警): the respondent is told it will be listed unless it
/// performs or settles by `until`, and is not listed before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditWarning {
    pub no: u32,
    pub party_no: u32,
    /// The grace the court gave, in days.
    pub grace_days: i64,
    pub note: String,
    pub on: Date,
    /// The last day of the grace.
    pub until: Date,
}

/// The credit side of a case.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CreditState {
    pub listings: Vec<Listing>,
    pub orders: Vec<RestrictionOrder>,
    pub corrections: Vec<Correction>,
    /// Credit warnings; absent in snapshots written before warnings existed.
    #[serde(default)]
    pub warnings: Vec<CreditWarning>,
}

impl CreditState {
    pub fn listing(&self, no: u32) -> Option<&Listing> {
        self.listings.iter().find(|l| l.no == no)
    }
    pub fn order(&self, no: u32) -> Option<&RestrictionOrder> {
        self.orders.iter().find(|o| o.no == no)
    }
    /// The order in force on a party, if any.
    pub fn order_in_force(&self, party_no: u32) -> Option<&RestrictionOrder> {
        self.orders
            .iter()
            .find(|o| o.party_no == party_no && o.lifted.is_none())
    }
    /// The warning whose grace still runs on `today` for a party, if any.
    pub fn warning_in_grace(&self, party_no: u32, today: Date) -> Option<&CreditWarning> {
        self.warnings
            .iter()
            .filter(|w| w.party_no == party_no && today <= w.until)
            .max_by_key(|w| w.until)
    }
    fn listed(&self, party_no: u32) -> Option<&Listing> {
        self.listings
            .iter()
            .find(|l| l.party_no == party_no && l.status == ListingStatus::Listed)
    }

    /// Applies a credit event (the others are ignored).
    pub fn apply(&mut self, e: &CaseEvent) {
        match e {
            CaseEvent::DishonestListed {
                no,
                party_no,
                grounds,
                facts,
                on,
                ends_on,
            } => self.listings.push(Listing {
                no: *no,
                party_no: *party_no,
                grounds: grounds.clone(),
                facts: facts.clone(),
                listed_on: *on,
                ends_on: *ends_on,
                extended_years: 0,
                status: ListingStatus::Listed,
                removal: None,
            }),
            CaseEvent::DishonestExtended {
                no, years, ends_on, ..
            } => {
                if let Some(l) = self.listings.iter_mut().find(|l| l.no == *no) {
                    l.extended_years += years;
                    l.ends_on = Some(*ends_on);
                }
            }
            CaseEvent::DishonestAmended { no, facts, .. } => {
                if let Some(l) = self.listings.iter_mut().find(|l| l.no == *no) {
                    l.facts = facts.clone();
                }
            }
            CaseEvent::DishonestRemoved {
                no,
                trigger,
                reason,
                trigger_on,
                due_by,
                on,
            } => {
                if let Some(l) = self.listings.iter_mut().find(|l| l.no == *no) {
                    l.status = ListingStatus::Removed;
                    l.removal = Some(Removal {
                        trigger: *trigger,
                        reason: reason.clone(),
                        trigger_on: *trigger_on,
                        due_by: *due_by,
                        on: *on,
                    });
                }
            }
            CaseEvent::CorrectionRequested {
                no,
                listing_no,
                reason,
                on,
                review_due,
            } => self.corrections.push(Correction {
                no: *no,
                listing_no: *listing_no,
                reason: reason.clone(),
                requested_on: *on,
                review_due: *review_due,
                decision: None,
            }),
            CaseEvent::CorrectionDecided {
                no,
                accepted,
                reason,
                on,
            } => {
                if let Some(c) = self.corrections.iter_mut().find(|c| c.no == *no) {
                    c.decision = Some((*accepted, reason.clone(), *on));
                }
            }
            CaseEvent::RestrictionOrdered {
                no,
                party_no,
                bound_persons,
                kinds,
                reason,
                on,
                listing_no,
            } => self.orders.push(RestrictionOrder {
                no: *no,
                party_no: *party_no,
                bound_persons: bound_persons.clone(),
                kinds: kinds.clone(),
                reason: reason.clone(),
                ordered_on: *on,
                listing_no: *listing_no,
                lifted: None,
            }),
            CaseEvent::RestrictionLifted { no, reason, on } => {
                if let Some(o) = self.orders.iter_mut().find(|o| o.no == *no) {
                    o.lifted = Some((*on, reason.clone()));
                }
            }
            CaseEvent::CreditWarningIssued {
                no,
                party_no,
                grace_days,
                note,
                on,
                until,
            } => self.warnings.push(CreditWarning {
                no: *no,
                party_no: *party_no,
                grace_days: *grace_days,
                note: note.clone(),
                on: *on,
                until: *until,
            }),
            _ => {}
        }
    }
}

fn next_no(n: usize) -> u32 {
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// A text of `min` to `max` characters; `field` (facts, reason, bound_person,
/// amended_facts) names it for the message.
fn text(field: &'static str, s: &str, min: usize, max: usize) -> Result<String, Refusal> {
    text_problem(field, s, min, max).map_err(|r| Refusal {
        code: r.code,
        kind: RefusalKind::Invalid,
        params: r.params,
        reasons: Vec::new(),
    })
}

fn text_problem(field: &'static str, s: &str, min: usize, max: usize) -> Result<String, Reason> {
    let bounds = crate::text::Bounds {
        min,
        max,
        lines: crate::text::Lines::Many,
    };
    match crate::text::clean(s, bounds) {
        Ok(t) => Ok(t),
        Err(crate::text::TextProblem::Chars(f)) => Err(crate::text::fault_reason(field, f)),
        Err(_) => Err(Reason::new("invalid_text")
            .with("field", field)
            .with("min", min)
            .with("max", max)),
    }
}

fn respondent(state: &CaseState, party_no: u32) -> Result<&PartyRecord, Refusal> {
    let p = state
        .parties
        .iter()
        .find(|p| p.no == party_no)
        .ok_or_else(|| Refusal::invalid("party_not_found").with("party_no", party_no))?;
    if p.role != PartyRole::Respondent {
        return Err(Refusal::invalid("not_a_respondent")
            .with("party_no", party_no)
            .with("name", &p.name));
    }
    Ok(p)
}

/// The years a period rule gives, checked to be in years.
fn years_rule(ctx: &Ctx<'_>, id: &str, on: Date) -> Result<i64, Refusal> {
    let r = ctx.rules.lookup(id, on, ctx.region)?;
    if r.unit != Unit::Years {
        return Err(Refusal::invalid("rule_unavailable")
            .kind(RefusalKind::Broken)
            .rule(r));
    }
    Ok(r.value)
}

fn add_years(d: Date, years: i64) -> Result<Date, Refusal> {
    d.checked_add(jiff::Span::new().years(years)).map_err(|e| {
        Refusal::invalid("rule_unavailable")
            .kind(RefusalKind::Broken)
            .with("error", e.to_string())
    })
}

/// A decision to list a respondent, as the officer gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingRequest {
    pub party_no: u32,
    pub grounds: Vec<Ground>,
    pub facts: String,
    /// Named persons an organisation's restriction order binds besides its legal
    /// representative (used when the listing creates the order).
    pub bound_persons: Vec<String>,
}

/// What the case's records say about the respondent that the domain cannot see itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingFacts {
    /// From the respondent's ID number; none for an organisation.
    pub birth_date: Option<Date>,
    /// Money the case's active freezes and seizures hold (控制财产).
    pub controlled: Fen,
}

/// Whether someone born on `birth` is under the rule book's minimum age on `on`.
pub fn is_minor(birth: Date, on: Date, min_age: i64) -> bool {
    let mut age = i64::from(on.year()) - i64::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age < min_age
}

/// The periods the case's notice set running on one respondent, as the listing checks them:
/// each from the service of its own document on that respondent (DOMAIN §4c).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticePeriods {
    /// To perform (执行通知书).
    pub perform: Period,
    /// To report property (报告财产令).
    pub report: Period,
}

/// The periods of the case's 执行通知书 and 报告财产令 on `party_no`, if a notice was issued:
/// each runs from the day that document was served on the party, for the days the notice
/// stated, to a last day rolled to the next working day (Civil Procedure Law art. 85); not
/// started while the document is unserved. A notice recorded before the periods were stated
/// has what it said.
pub fn notice_periods(
    state: &CaseState,
    party_no: u32,
    ctx: &Ctx<'_>,
) -> Result<Option<NoticePeriods>, Refusal> {
    let Some(notice) = state
        .actions
        .iter()
        .find(|a| a.action == ActionKind::NoticeIssued)
    else {
        return Ok(None);
    };
    let terms = notice.terms.unwrap_or(NoticeTerms::LEGACY);
    let period = |kind: &str, title: &str, days: i64| match service::latest(state, kind) {
        Some(doc) => service::period_from_service(state, doc, party_no, days, ctx),
        None => Ok(Period::NotStarted {
            document_id: 0,
            document: title.to_owned(),
        }),
    };
    Ok(Some(NoticePeriods {
        perform: period("enforcement_notice", "执行通知书", terms.perform_days)?,
        report: period("property_report_order", "报告财产令", terms.report_days)?,
    }))
}

/// What each ground needs on the case before a listing on it (DOMAIN §4a, "When a listing may
/// start"): ground 1 — the notice's period to perform has passed; ground 4 — the period to
/// report has passed without a report in it, or a report was found false; ground 5 — a
/// restriction order in force on the party; ground 6 — a settlement not performed, recorded;
/// grounds 2 and 3 — the conduct itself, which the listing's facts state. Returns every fact
/// that is missing, naming the day a running period ends.
pub fn missing_facts(
    state: &CaseState,
    party_no: u32,
    grounds: &[Ground],
    ctx: &Ctx<'_>,
) -> Result<Vec<Reason>, Refusal> {
    let periods = notice_periods(state, party_no, ctx)?;
    let mut out = Vec::new();
    for g in grounds {
        match g {
            Ground::AbleButRefuses => match periods.as_ref().map(|p| &p.perform) {
                None => out.push(Reason::new("notice_missing").with("ground", i64::from(g.no()))),
                Some(Period::NotStarted { document, .. }) => out.push(
                    Reason::new("notice_unserved")
                        .with("ground", i64::from(g.no()))
                        .with("document", document),
                ),
                Some(Period::Runs { from, until }) if ctx.today <= *until => out.push(
                    Reason::new("perform_period_running")
                        .with("from", *from)
                        .with("until", *until),
                ),
                Some(Period::Runs { .. }) => {}
            },
            Ground::ReportingBreach => {
                if state.has(ActionKind::PropertyReportFalse) {
                    continue;
                }
                match periods.as_ref().map(|p| &p.report) {
                    None => {
                        out.push(Reason::new("notice_missing").with("ground", i64::from(g.no())))
                    }
                    Some(Period::NotStarted { document, .. }) => out.push(
                        Reason::new("notice_unserved")
                            .with("ground", i64::from(g.no()))
                            .with("document", document),
                    ),
                    Some(Period::Runs { from, until }) if ctx.today <= *until => out.push(
                        Reason::new("report_period_running")
                            .with("from", *from)
                            .with("until", *until),
                    ),
                    Some(Period::Runs { until, .. }) => {
                        if let Some(r) = state
                            .actions
                            .iter()
                            .find(|a| a.action == ActionKind::PropertyReported && a.on <= *until)
                        {
                            out.push(
                                Reason::new("property_reported")
                                    .with("on", r.on)
                                    .with("until", *until),
                            );
                        }
                    }
                }
            }
            Ground::RestrictionBreach => {
                if state.credit.order_in_force(party_no).is_none() {
                    out.push(Reason::new("no_restriction_in_force"));
                }
            }
            Ground::SettlementBreach => {
                if !state.has(ActionKind::SettlementBreached) {
                    out.push(Reason::new("settlement_breach_missing"));
                }
            }
            Ground::Obstruction | Ground::Evasion => {}
        }
    }
    Ok(out)
}

/// Decides a listing. A listing needs a consumption restriction order on the same person
/// (provisions on restricting high consumption, art. 1): if none is in force, the order is
/// made by the same decision, so that a listed debtor is never without one.
pub fn decide_listing(
    state: &CaseState,
    req: &ListingRequest,
    facts: ListingFacts,
    ctx: &Ctx<'_>,
) -> Result<Vec<CaseEvent>, Refusal> {
    state.ensure_open()?;
    let party = respondent(state, req.party_no)?;
    let mut reasons = Vec::new();
    if req.grounds.is_empty() {
        reasons.push(Reason::new("no_ground"));
    }
    let mut grounds = req.grounds.clone();
    grounds.sort();
    grounds.dedup();
    let conduct = match text_problem("facts", &req.facts, 4, 4000) {
        Ok(t) => t,
        Err(r) => {
            reasons.push(r);
            String::new()
        }
    };
    if !reasons.is_empty() {
        return Err(Refusal::of_reasons(
            "invalid_listing",
            RefusalKind::Invalid,
            reasons,
        ));
    }
    if state.credit.listed(req.party_no).is_some() {
        return Err(Refusal::conflict("already_listed").with("name", &party.name));
    }
    if let Some(birth) = facts.birth_date {
        let min = ctx
            .rules
            .lookup("credit.dishonest.min_age", ctx.today, ctx.region)?;
        if is_minor(birth, ctx.today, min.value) {
            return Err(Refusal::invalid("minor")
                .with("name", &party.name)
                .with("on", ctx.today)
                .rule(min));
        }
    }
    if grounds.contains(&Ground::AbleButRefuses) && facts.controlled >= state.unpaid() {
        return Err(Refusal::invalid("ground_not_applicable")
            .with("by", "controlled")
            .with("covered", facts.controlled)
            .with("unpaid", state.unpaid()));
    }
    // Art. 3: adequate security given (执行担保) also rules ground 1 out.
    if grounds.contains(&Ground::AbleButRefuses) && state.security_value() >= state.unpaid() {
        return Err(Refusal::invalid("ground_not_applicable")
            .with("by", "security")
            .with("covered", state.security_value())
            .with("unpaid", state.unpaid()));
    }
    // A warning's grace is the court's promise not to list before it ends.
    if let Some(w) = state.credit.warning_in_grace(req.party_no, ctx.today) {
        return Err(Refusal::conflict("in_warning_grace")
            .with("name", &party.name)
            .with("on", w.on)
            .with("until", w.until));
    }
    let missing = missing_facts(state, req.party_no, &grounds, ctx)?;
    if !missing.is_empty() {
        return Err(Refusal::of_reasons(
            "listing_facts_missing",
            RefusalKind::Conflict,
            missing,
        ));
    }
    // Ground 1 lasts until performance; the others for the rule book's period.
    let ends_on = if grounds.contains(&Ground::AbleButRefuses) {
        None
    } else {
        let years = years_rule(ctx, "credit.dishonest.duration", ctx.today)?;
        Some(add_years(ctx.today, years)?)
    };
    let no = next_no(state.credit.listings.len());
    let mut events = vec![CaseEvent::DishonestListed {
        no,
        party_no: req.party_no,
        grounds,
        facts: conduct,
        on: ctx.today,
        ends_on,
    }];
    if state.credit.order_in_force(req.party_no).is_none() {
        events.push(restriction_event(
            state,
            party,
            &req.bound_persons,
            "被执行人被纳入失信被执行人名单，依法限制消费",
            Some(no),
            ctx.today,
        )?);
    }
    Ok(events)
}

fn restriction_event(
    state: &CaseState,
    party: &PartyRecord,
    named: &[String],
    reason: &str,
    listing_no: Option<u32>,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    let mut bound: Vec<String> = Vec::new();
    if party.kind == "organisation" {
        if let Some(l) = &party.legal_representative {
            bound.push(l.trim().to_owned());
        }
        for n in named {
            let n = text("bound_person", n, 1, 100)?;
            if !bound.contains(&n) {
                bound.push(n);
            }
        }
        if bound.is_empty() {
            return Err(Refusal::invalid("bound_persons_required"));
        }
    } else if !named.is_empty() {
        return Err(Refusal::invalid("bound_persons_not_applicable"));
    }
    Ok(CaseEvent::RestrictionOrdered {
        no: next_no(state.credit.orders.len()),
        party_no: party.no,
        bound_persons: bound,
        kinds: SpendingKind::ALL.to_vec(),
        reason: reason.to_owned(),
        on: today,
        listing_no,
    })
}

/// Extends a listing for grounds 2–6 by the rule book's 1–3 years (serious cases or several
/// grounds). Once: the provisions allow one extension.
pub fn decide_extension(
    state: &CaseState,
    no: u32,
    years: i64,
    reason: &str,
    ctx: &Ctx<'_>,
) -> Result<CaseEvent, Refusal> {
    let l = listed(state, no)?;
    let Some(ends_on) = l.ends_on else {
        return Err(Refusal::invalid("not_extendable").with("no", no));
    };
    if l.extended_years > 0 {
        return Err(Refusal::conflict("already_extended").with("no", no));
    }
    let min = years_rule(ctx, "credit.dishonest_extension.min", l.listed_on)?;
    let max = years_rule(ctx, "credit.dishonest_extension.max", l.listed_on)?;
    if !(min..=max).contains(&years) {
        return Err(Refusal::invalid("invalid_extension")
            .with("min", min)
            .with("max", max)
            .with("years", years));
    }
    let reason = text("reason", reason, 4, 2000)?;
    Ok(CaseEvent::DishonestExtended {
        no,
        years,
        reason,
        on: ctx.today,
        ends_on: add_years(ends_on, years)?,
    })
}

fn listed(state: &CaseState, no: u32) -> Result<&Listing, Refusal> {
    let l = state
        .credit
        .listing(no)
        .ok_or_else(|| Refusal::invalid("listing_not_found").with("no", no))?;
    if l.status == ListingStatus::Removed {
        return Err(Refusal::conflict("already_removed").with("no", no));
    }
    Ok(l)
}

/// The last day to remove a listing after its trigger (art. 10, working days).
pub fn removal_due(trigger_on: Date, ctx: &Ctx<'_>) -> Result<Date, Refusal> {
    let r = ctx
        .rules
        .lookup("credit.dishonest.removal", trigger_on, ctx.region)?;
    ctx.calendar
        .period_end(trigger_on, r.value, r.unit)
        .map_err(calendar_fault)
}

/// The trigger the case data itself shows for removing a listing, if any: everything
/// performed, or a closure that ends enforcement.
pub fn trigger_shown(state: &CaseState) -> Option<RemovalTrigger> {
    if let Some((mode, _, _)) = &state.closure {
        match mode {
            ClosureMode::FullyPerformed => return Some(RemovalTrigger::Performed),
            ClosureMode::Terminated | ClosureMode::Withdrawn | ClosureMode::Rejected => {
                return Some(RemovalTrigger::Terminated);
            }
            ClosureMode::Refused => return Some(RemovalTrigger::EnforcementRefused),
            ClosureMode::Zhongben => {}
        }
    }
    (state.unpaid() == Fen::ZERO).then_some(RemovalTrigger::Performed)
}

/// Removes a listing by decision. Removal is allowed on a closed case: performance and
/// closure are exactly what call for it.
pub fn decide_removal(
    state: &CaseState,
    no: u32,
    trigger: RemovalTrigger,
    reason: &str,
    trigger_on: Option<Date>,
    ctx: &Ctx<'_>,
) -> Result<CaseEvent, Refusal> {
    listed(state, no)?;
    if !trigger.by_decision() {
        return Err(Refusal::invalid("invalid_trigger").with("trigger", trigger.as_str()));
    }
    if trigger == RemovalTrigger::Performed && state.unpaid() > Fen::ZERO {
        return Err(Refusal::invalid("trigger_not_shown").with("unpaid", state.unpaid()));
    }
    let trigger_on = trigger_on.unwrap_or(ctx.today);
    if trigger_on > ctx.today {
        return Err(refused_as(
            "invalid_date",
            RefusalKind::Invalid,
            Reason::new("trigger_in_future")
                .with("trigger_on", trigger_on)
                .with("today", ctx.today),
        ));
    }
    let reason = text("reason", reason, 4, 2000)?;
    Ok(CaseEvent::DishonestRemoved {
        no,
        trigger,
        reason,
        trigger_on,
        due_by: removal_due(trigger_on, ctx)?,
        on: ctx.today,
    })
}

/// The end of a listing's period, recorded by the watch worker the day after its last day.
pub fn decide_expiry(state: &CaseState, no: u32, ctx: &Ctx<'_>) -> Result<CaseEvent, Refusal> {
    let l = listed(state, no)?;
    let Some(ends_on) = l.ends_on.filter(|d| *d < ctx.today) else {
        return Err(Refusal::conflict("not_expired").with("no", no));
    };
    let trigger_on = ends_on.tomorrow().unwrap_or(ends_on);
    Ok(CaseEvent::DishonestRemoved {
        no,
        trigger: RemovalTrigger::Expired,
        reason: format!("纳入期限于{ends_on}届满"),
        trigger_on,
        due_by: removal_due(trigger_on, ctx)?,
        on: ctx.today,
    })
}

/// A listed person's request to correct a listing, reviewed within the rule book's limit.
pub fn decide_correction_request(
    state: &CaseState,
    listing_no: u32,
    reason: &str,
    ctx: &Ctx<'_>,
) -> Result<CaseEvent, Refusal> {
    listed(state, listing_no)?;
    if state
        .credit
        .corrections
        .iter()
        .any(|c| c.listing_no == listing_no && c.decision.is_none())
    {
        return Err(Refusal::conflict("correction_pending").with("no", listing_no));
    }
    let reason = text("reason", reason, 4, 4000)?;
    let r = ctx
        .rules
        .lookup("credit.dishonest.correction_review", ctx.today, ctx.region)?;
    let review_due = ctx
        .calendar
        .period_end(ctx.today, r.value, r.unit)
        .map_err(calendar_fault)?;
    Ok(CaseEvent::CorrectionRequested {
        no: next_no(state.credit.corrections.len()),
        listing_no,
        reason,
        on: ctx.today,
        review_due,
    })
}

/// The court's decision on a correction request: rejected with a reason; accepted, the
/// listing is amended (new facts given) or removed.
pub fn decide_correction(
    state: &CaseState,
    no: u32,
    accepted: bool,
    reason: &str,
    amended_facts: Option<&str>,
    ctx: &Ctx<'_>,
) -> Result<Vec<CaseEvent>, Refusal> {
    let c = state
        .credit
        .corrections
        .iter()
        .find(|c| c.no == no)
        .ok_or_else(|| Refusal::invalid("correction_not_found").with("no", no))?;
    if c.decision.is_some() {
        return Err(Refusal::conflict("already_decided").with("no", no));
    }
    let reason = text("reason", reason, 4, 2000)?;
    let mut out = vec![CaseEvent::CorrectionDecided {
        no,
        accepted,
        reason: reason.clone(),
        on: ctx.today,
    }];
    if accepted {
        listed(state, c.listing_no)?;
        match amended_facts {
            Some(f) => out.push(CaseEvent::DishonestAmended {
                no: c.listing_no,
                facts: text("amended_facts", f, 4, 4000)?,
                on: ctx.today,
            }),
            None => out.push(CaseEvent::DishonestRemoved {
                no: c.listing_no,
                trigger: RemovalTrigger::Corrected,
                reason,
                trigger_on: ctx.today,
                due_by: removal_due(ctx.today, ctx)?,
                on: ctx.today,
            }),
        }
    } else if amended_facts.is_some() {
        return Err(Refusal::invalid("invalid_correction"));
    }
    Ok(out)
}

/// A consumption restriction order on a respondent (natural person or organisation).
pub fn decide_restriction(
    state: &CaseState,
    party_no: u32,
    bound_persons: &[String],
    reason: &str,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    state.ensure_open()?;
    let party = respondent(state, party_no)?;
    if state.credit.order_in_force(party_no).is_some() {
        return Err(Refusal::conflict("already_ordered").with("name", &party.name));
    }
    let reason = text("reason", reason, 4, 2000)?;
    restriction_event(state, party, bound_persons, &reason, None, today)
}

/// Lifts an order (on performance, typically). Not while its person is still listed on the
/// case: the order is mandatory for a listed debtor.
pub fn decide_lift(
    state: &CaseState,
    no: u32,
    reason: &str,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    let o = state
        .credit
        .order(no)
        .ok_or_else(|| Refusal::invalid("order_not_found").with("no", no))?;
    if o.lifted.is_some() {
        return Err(Refusal::conflict("already_lifted").with("no", no));
    }
    if let Some(l) = state.credit.listed(o.party_no) {
        return Err(Refusal::conflict("still_listed").with("listing_no", l.no));
    }
    let reason = text("reason", reason, 4, 2000)?;
    Ok(CaseEvent::RestrictionLifted {
        no,
        reason,
        on: today,
    })
}

/// A credit warning (信用惩戒预警, 法发〔2019〕35号) to a respondent not yet listed: it is
/// told it will be listed unless it performs or settles within `grace_days` (the court's
/// choice; the opinion fixes no figure), and is not listed before the grace ends. One
/// warning at a time.
pub fn decide_warning(
    state: &CaseState,
    party_no: u32,
    grace_days: i64,
    note: &str,
    ctx: &Ctx<'_>,
) -> Result<CaseEvent, Refusal> {
    state.ensure_open()?;
    let party = respondent(state, party_no)?;
    let mut reasons = Vec::new();
    if !(1..=MAX_STATED_DAYS).contains(&grace_days) {
        reasons.push(
            Reason::new("invalid_grace")
                .with("min", 1)
                .with("max", MAX_STATED_DAYS),
        );
    }
    let note = match text_problem("note", note, 0, 2000) {
        Ok(t) => t,
        Err(r) => {
            reasons.push(r);
            String::new()
        }
    };
    if !reasons.is_empty() {
        return Err(Refusal::of_reasons(
            "invalid_warning",
            RefusalKind::Invalid,
            reasons,
        ));
    }
    if state.credit.listed(party_no).is_some() {
        return Err(Refusal::conflict("already_listed").with("name", &party.name));
    }
    if let Some(w) = state.credit.warning_in_grace(party_no, ctx.today) {
        return Err(Refusal::conflict("already_warned")
            .with("name", &party.name)
            .with("until", w.until));
    }
    let until = ctx
        .calendar
        .period_end(ctx.today, grace_days, Unit::Days)
        .map_err(calendar_fault)?;
    Ok(CaseEvent::CreditWarningIssued {
        no: next_no(state.credit.warnings.len()),
        party_no,
        grace_days,
        note,
        on: ctx.today,
        until,
    })
}

#[cfg(test)]
mod tests;
