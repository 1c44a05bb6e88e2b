//! Review cases (执异, 执复, 执监; DOMAIN §4b): who may file what and until when, the limits of
//! their examination, and what a pending review does to the enforcement case — above all, that
//! property claimed by an outsider is not disposed of while the claim is examined.
//!
//! Pure decisions over what the caller loaded; the app carries them out. The figures come from
//! the rule book (`rules/review.toml`, and `service.reconsideration_days`), counted with the
//! period arithmetic of §4a.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::case::{Ctx, calendar_fault};
use crate::case_number::CaseType;
use crate::refusal::Refusal;

#[cfg(test)]
mod tests;

/// The kind of a review case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// 执行行为异议 — a party or interested person objects to an act of the enforcing court.
    ActObjection,
    /// 案外人异议 — someone not a party claims the property being enforced.
    OutsiderObjection,
    /// 执行复议 — against a ruling on an objection to an act, at the court one level up.
    Reconsideration,
    /// 执行监督 — a higher court supervises a lower court's enforcement.
    Supervision,
}

impl ReviewKind {
    pub const ALL: [ReviewKind; 4] = [
        ReviewKind::ActObjection,
        ReviewKind::OutsiderObjection,
        ReviewKind::Reconsideration,
        ReviewKind::Supervision,
    ];

    /// The case type its number carries: both objections are 执异.
    pub fn case_type(self) -> CaseType {
        match self {
            ReviewKind::ActObjection | ReviewKind::OutsiderObjection => CaseType::ZhiYi,
            ReviewKind::Reconsideration => CaseType::ZhiFu,
            ReviewKind::Supervision => CaseType::ZhiJian,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ReviewKind::ActObjection => "执行行为异议",
            ReviewKind::OutsiderObjection => "案外人异议",
            ReviewKind::Reconsideration => "执行复议",
            ReviewKind::Supervision => "执行监督",
        }
    }

    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            ReviewKind::ActObjection => "Objection to an enforcement act",
            ReviewKind::OutsiderObjection => "Outsider's objection",
            ReviewKind::Reconsideration => "Reconsideration",
            ReviewKind::Supervision => "Enforcement supervision",
        }
    }

    /// The rule that limits its examination, if the law sets one (supervision has none).
    pub fn examination_rule(self) -> Option<&'static str> {
        match self {
            ReviewKind::ActObjection | ReviewKind::OutsiderObjection => {
                Some("review.objection_examination_days")
            }
            ReviewKind::Reconsideration => Some("review.reconsideration_examination_days"),
            ReviewKind::Supervision => None,
        }
    }
}

/// What a review challenges, by the id it has in the enforcement case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Challenged {
    /// A measure (freeze, seizure, detention, deduction).
    Measure { id: i64 },
    /// A dishonest listing, by its number on the case.
    Listing { no: i64 },
    /// The case account's distribution.
    Distribution,
    /// A price determination.
    Valuation { id: i64 },
    /// A step of an auction.
    Auction { id: i64 },
    /// Property claimed by an outsider (an asset of the case).
    Property { asset_id: i64 },
    /// A ruling on an objection (reconsideration), by the review case it ended.
    Ruling { review_id: i64 },
    /// The enforcement case as a whole (supervision).
    Case,
}

/// What the caller knows of the world a filing is made in.
#[derive(Debug, Clone)]
pub struct FilingFacts {
    /// For an outsider's objection: whether enforcement of that property has ended (sold and
    /// paid out, or deducted): the claim then comes too late for this procedure.
    pub property_disposal_ended: bool,
    /// For a reconsideration: the ruling challenged — its kind and the day it was served on
    /// the applicant (none while unserved).
    pub ruling: Option<RulingFacts>,
    /// Whether the court the review is filed at is the one the law names: the enforcing court
    /// for objections, the court one level up for reconsideration, a court above for
    /// supervision.
    pub right_court: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct RulingFacts {
    pub of: ReviewKind,
    pub served_on: Option<Date>,
}

/// Decides whether a review of `kind` challenging `what` may be filed today; refusals name
/// the rule. What the review is then counts from the day of receipt (`ctx.today`).
pub fn decide_filing(
    kind: ReviewKind,
    what: &Challenged,
    facts: &FilingFacts,
    ctx: &Ctx<'_>,
) -> Result<(), Refusal> {
    let fits = match kind {
        ReviewKind::ActObjection => !matches!(
            what,
            Challenged::Property { .. } | Challenged::Ruling { .. } | Challenged::Case
        ),
        ReviewKind::OutsiderObjection => matches!(what, Challenged::Property { .. }),
        ReviewKind::Reconsideration => matches!(what, Challenged::Ruling { .. }),
        ReviewKind::Supervision => true,
    };
    if !fits {
        return Err(Refusal::invalid("review_target_mismatch").with("kind", kind.name_zh()));
    }
    if !facts.right_court {
        return Err(Refusal::invalid(match kind {
            ReviewKind::Reconsideration => "reconsideration_wrong_court",
            ReviewKind::Supervision => "supervision_not_above",
            _ => "objection_wrong_court",
        }));
    }
    match kind {
        ReviewKind::OutsiderObjection if facts.property_disposal_ended => {
            Err(Refusal::conflict("outsider_objection_too_late"))
        }
        ReviewKind::Reconsideration => {
            let ruling = facts
                .ruling
                .ok_or_else(|| Refusal::invalid("reconsideration_not_allowed"))?;
            // Only a ruling on an objection to an act is reconsidered; an outsider's remedy is
            // a suit (执行异议之诉).
            if ruling.of != ReviewKind::ActObjection {
                return Err(Refusal::invalid("reconsideration_not_allowed"));
            }
            let served = ruling
                .served_on
                .ok_or_else(|| Refusal::conflict("ruling_unserved"))?;
            let last = reconsideration_last_day(served, ctx)?;
            if ctx.today > last {
                let rule = ctx
                    .rules
                    .lookup("service.reconsideration_days", served, ctx.region)?;
                return Err(Refusal::conflict("reconsideration_period_over")
                    .rule(rule)
                    .with("served_on", served)
                    .with("until", last));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The last day to seek reconsideration of a ruling served on `served_on`.
pub fn reconsideration_last_day(served_on: Date, ctx: &Ctx<'_>) -> Result<Date, Refusal> {
    let rule = ctx
        .rules
        .lookup("service.reconsideration_days", served_on, ctx.region)?;
    ctx.calendar
        .period_end(served_on, rule.value, rule.unit)
        .map_err(calendar_fault)
}

/// The day by which a review received on `received_on` is to be decided, with `extended_days`
/// granted by the president (reconsideration only, at most the rule book's maximum); none for
/// supervision, which the law does not limit.
pub fn examination_due(
    kind: ReviewKind,
    received_on: Date,
    extended_days: i64,
    ctx: &Ctx<'_>,
) -> Result<Option<Date>, Refusal> {
    let Some(id) = kind.examination_rule() else {
        return Ok(None);
    };
    if extended_days < 0 {
        return Err(Refusal::invalid("review_extension_invalid"));
    }
    if extended_days > 0 {
        if kind != ReviewKind::Reconsideration {
            return Err(Refusal::invalid("review_extension_not_allowed"));
        }
        let max = ctx.rules.lookup(
            "review.reconsideration_extension_max_days",
            received_on,
            ctx.region,
        )?;
        if extended_days > max.value {
            return Err(Refusal::invalid("review_extension_too_long")
                .rule(max)
                .with("asked", extended_days));
        }
    }
    let rule = ctx.rules.lookup(id, received_on, ctx.region)?;
    ctx.calendar
        .period_end(received_on, rule.value + extended_days, rule.unit)
        .map(Some)
        .map_err(calendar_fault)
}

/// A review case still open (being examined, or its ruling under a suit), as the disposal
/// check needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingReview {
    pub id: i64,
    /// Its number, e.g. `(2026)京0105执异1号`, for the refusal to name.
    pub number: String,
    pub kind: ReviewKind,
    pub challenged: Challenged,
    /// The asset the challenged act or claim concerns, as the caller resolved it (a measure's
    /// or an auction's asset; the claimed property); none for an act on no one asset.
    pub asset_id: Option<i64>,
    /// Whether the applicant's security to continue disposal is recorded for it.
    pub security_recorded: bool,
    /// Whether the court ordered enforcement of the act suspended meanwhile.
    pub suspension_ordered: bool,
}

/// What disposing of an asset is: a valuation, an auction step, or paying out its proceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposal {
    Valuation,
    Auction,
    Payout,
}

impl Disposal {
    fn name_zh(self) -> &'static str {
        match self {
            Disposal::Valuation => "确定参考价",
            Disposal::Auction => "拍卖",
            Disposal::Payout => "发放处置款",
        }
    }
}

/// Whether `asset_id` may be disposed of (`how`) while `pending` reviews are open: an
/// outsider's claim on it holds every disposal back until ruled on (and through the suit
/// against the ruling), unless the applicant's security is recorded; an objection to an act
/// holds nothing back unless the court ordered it. The refusal names the review case.
pub fn check_disposal(
    asset_id: i64,
    how: Disposal,
    pending: &[PendingReview],
) -> Result<(), Refusal> {
    let holding = pending.iter().find(|r| {
        let on_it = r.asset_id == Some(asset_id);
        match r.kind {
            ReviewKind::OutsiderObjection => on_it && !r.security_recorded,
            ReviewKind::ActObjection => {
                r.suspension_ordered && (on_it || r.challenged == Challenged::Distribution)
            }
            ReviewKind::Reconsideration | ReviewKind::Supervision => false,
        }
    });
    match holding {
        Some(r) => Err(Refusal::conflict("property_under_review")
            .with("review", r.number.clone())
            .with("kind", r.kind.name_zh())
            .with("disposal", how.name_zh())),
        None => Ok(()),
    }
}

/// Where a review case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// 审查中 — received, not yet ruled.
    Examining,
    /// 已裁定.
    Ruled,
    /// 异议之诉 — a suit against the ruling on an outsider's objection is pending.
    Suit,
    /// 已结 — the suit ended.
    Ended,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Examining => "examining",
            ReviewStatus::Ruled => "ruled",
            ReviewStatus::Suit => "suit",
            ReviewStatus::Ended => "ended",
        }
    }
    pub fn parse(s: &str) -> Option<ReviewStatus> {
        [
            ReviewStatus::Examining,
            ReviewStatus::Ruled,
            ReviewStatus::Suit,
            ReviewStatus::Ended,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            ReviewStatus::Examining => "审查中",
            ReviewStatus::Ruled => "已裁定",
            ReviewStatus::Suit => "异议之诉中",
            ReviewStatus::Ended => "已结",
        }
    }
    pub fn name_en(self) -> &'static str {
        match self {
            ReviewStatus::Examining => "being examined",
            ReviewStatus::Ruled => "ruled",
            ReviewStatus::Suit => "suit pending",
            ReviewStatus::Ended => "ended",
        }
    }
}

impl ReviewKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::ActObjection => "act_objection",
            ReviewKind::OutsiderObjection => "outsider_objection",
            ReviewKind::Reconsideration => "reconsideration",
            ReviewKind::Supervision => "supervision",
        }
    }
    pub fn parse(s: &str) -> Option<ReviewKind> {
        ReviewKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a ruling decides (裁定结果).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 驳回 — the objection, the application or the petition is dismissed (a reconsideration:
    /// the ruling is upheld).
    Dismissed,
    /// 撤销 — the act challenged is revoked (a reconsideration: the ruling is revoked and the
    /// act with it).
    Revoked,
    /// 变更/纠正 — the act is corrected.
    Corrected,
    /// 中止对该标的的执行 — the outsider's claim upheld: the property is not enforced.
    PropertySuspended,
    /// 责令纠正 — supervision orders the court below to correct.
    OrderCorrection,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Dismissed,
        Outcome::Revoked,
        Outcome::Corrected,
        Outcome::PropertySuspended,
        Outcome::OrderCorrection,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Dismissed => "dismissed",
            Outcome::Revoked => "revoked",
            Outcome::Corrected => "corrected",
            Outcome::PropertySuspended => "property_suspended",
            Outcome::OrderCorrection => "order_correction",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            Outcome::Dismissed => "驳回",
            Outcome::Revoked => "撤销",
            Outcome::Corrected => "变更（纠正）",
            Outcome::PropertySuspended => "中止对该标的的执行",
            Outcome::OrderCorrection => "责令纠正",
        }
    }
    pub fn name_en(self) -> &'static str {
        match self {
            Outcome::Dismissed => "dismissed",
            Outcome::Revoked => "revoked",
            Outcome::Corrected => "corrected",
            Outcome::PropertySuspended => "enforcement of the property suspended",
            Outcome::OrderCorrection => "correction ordered",
        }
    }
    /// The outcomes a ruling on a review of `kind` may have.
    pub fn allowed_for(kind: ReviewKind) -> &'static [Outcome] {
        match kind {
            ReviewKind::ActObjection => &[Outcome::Dismissed, Outcome::Revoked, Outcome::Corrected],
            ReviewKind::OutsiderObjection => &[Outcome::Dismissed, Outcome::PropertySuspended],
            ReviewKind::Reconsideration => &[Outcome::Dismissed, Outcome::Revoked],
            ReviewKind::Supervision => &[Outcome::Dismissed, Outcome::OrderCorrection],
        }
    }
}

/// The most characters a ruling's reasoning, a filing's grounds or a note may hold.
pub const MAX_TEXT_CHARS: usize = 5_000;

/// Decides a ruling: only a review still being examined is ruled, with an outcome its kind
/// may have and the reasons written.
pub fn decide_ruling(
    kind: ReviewKind,
    status: ReviewStatus,
    outcome: Outcome,
    reasons: &str,
) -> Result<(), Refusal> {
    if status != ReviewStatus::Examining {
        return Err(Refusal::conflict("review_not_examining").with("status", status.name_zh()));
    }
    if !Outcome::allowed_for(kind).contains(&outcome) {
        return Err(Refusal::invalid("review_outcome_mismatch")
            .with("kind", kind.name_zh())
            .with("outcome", outcome.name_zh()));
    }
    let n = reasons.trim().chars().count();
    if n == 0 || n > MAX_TEXT_CHARS {
        return Err(Refusal::invalid("review_text_length").with("max", MAX_TEXT_CHARS as i64));
    }
    Ok(())
}

/// A suit against the ruling on an outsider's objection (执行异议之诉) holds the property
/// until it ends: recorded only on such a ruling; ended only while pending.
pub fn decide_suit(
    kind: ReviewKind,
    status: ReviewStatus,
    starting: bool,
) -> Result<ReviewStatus, Refusal> {
    if kind != ReviewKind::OutsiderObjection {
        return Err(Refusal::invalid("suit_not_allowed"));
    }
    match (starting, status) {
        (true, ReviewStatus::Ruled) => Ok(ReviewStatus::Suit),
        (false, ReviewStatus::Suit) => Ok(ReviewStatus::Ended),
        _ => Err(Refusal::conflict("review_not_examining").with("status", status.name_zh())),
    }
}

/// Security to continue disposal (outsider's objection) and an order suspending an act
/// (objection to an act) are recorded only while the review is examined or under suit, and
/// only on the kind they belong to.
pub fn decide_hold_change(
    kind: ReviewKind,
    status: ReviewStatus,
    security: bool,
) -> Result<(), Refusal> {
    let fits = if security {
        kind == ReviewKind::OutsiderObjection
    } else {
        kind == ReviewKind::ActObjection
    };
    if !fits {
        return Err(Refusal::invalid(if security {
            "security_not_applicable"
        } else {
            "suspension_not_applicable"
        }));
    }
    if !matches!(status, ReviewStatus::Examining | ReviewStatus::Suit) {
        return Err(Refusal::conflict("review_not_examining").with("status", status.name_zh()));
    }
    Ok(())
}
