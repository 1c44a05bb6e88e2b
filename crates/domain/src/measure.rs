//! Control measures (控制措施): freeze (冻结), seize (查封), detain (扣押) and deduct (扣划) on
//! property found by investigation, with the legal maximum periods, renewal (续行) and the
//! waiting list (轮候). Pure decisions: the service layer sends the messages and records the
//! institutions' answers.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::money::Fen;
use crate::refusal::{Reason, Refusal, RefusalKind};
use crate::rules::{RuleBook, Unit};

/// What a measure does to the property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// 冻结 — deposits, account balances and property rights.
    Freeze,
    /// 查封 — real estate and movables left in place.
    Seize,
    /// 扣押 — movables taken into custody.
    Detain,
    /// 扣划 — money transferred to the court's case account.
    Deduct,
}

impl MeasureKind {
    pub const ALL: [MeasureKind; 4] = [
        MeasureKind::Freeze,
        MeasureKind::Seize,
        MeasureKind::Detain,
        MeasureKind::Deduct,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::Freeze => "freeze",
            MeasureKind::Seize => "seize",
            MeasureKind::Detain => "detain",
            MeasureKind::Deduct => "deduct",
        }
    }
    pub fn parse(s: &str) -> Option<MeasureKind> {
        MeasureKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            MeasureKind::Freeze => "冻结",
            MeasureKind::Seize => "查封",
            MeasureKind::Detain => "扣押",
            MeasureKind::Deduct => "扣划",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            MeasureKind::Freeze => "Freeze",
            MeasureKind::Seize => "Seal",
            MeasureKind::Detain => "Seize",
            MeasureKind::Deduct => "Deduct",
        }
    }
    /// A deduction is done once; the others hold the property for a period.
    pub fn has_period(self) -> bool {
        self != MeasureKind::Deduct
    }
    /// Freezes and deductions are limited to an amount of money.
    pub fn takes_amount(self) -> bool {
        matches!(self, MeasureKind::Freeze | MeasureKind::Deduct)
    }
}

/// The Chinese name of an asset kind of the exchange protocol (snake_case); an unknown kind
/// as it is.
pub fn asset_kind_zh(kind: &str) -> &str {
    match kind {
        "bank_deposit" => "银行存款",
        "wealth_product" => "理财产品",
        "securities" => "证券",
        "fund_shares" => "基金份额",
        "real_estate" => "不动产",
        "vehicle" => "车辆",
        "ship" => "船舶",
        "equity" => "股权",
        "housing_fund" => "住房公积金",
        "social_insurance" => "社会保险",
        "tax_refund" => "退税",
        "online_payment" => "网络支付账户",
        "internet_bank" => "互联网银行存款",
        "online_lending" => "网络借贷",
        "virtual_property" => "虚拟财产",
        "intellectual_property" => "知识产权",
        other => other,
    }
}

/// The legal class of a property for the maximum period (Civil Procedure Law interpretation
/// art. 485): deposits 1 year, movables 2 years, real estate and other rights 3 years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PropertyClass {
    /// Money in an account: bank deposits and the like.
    Deposit,
    Movable,
    ImmovableOrRight,
}

impl PropertyClass {
    /// From the exchange protocol's asset kind (snake_case).
    pub fn of_asset_kind(kind: &str) -> Option<PropertyClass> {
        Some(match kind {
            "bank_deposit" | "online_payment" | "internet_bank" => PropertyClass::Deposit,
            "vehicle" | "ship" => PropertyClass::Movable,
            "wealth_product"
            | "securities"
            | "fund_shares"
            | "real_estate"
            | "equity"
            | "housing_fund"
            | "social_insurance"
            | "tax_refund"
            | "online_lending"
            | "virtual_property"
            | "intellectual_property" => PropertyClass::ImmovableOrRight,
            _ => return None,
        })
    }
    pub fn max_period_rule(self) -> &'static str {
        match self {
            PropertyClass::Deposit => "investigation.max_period.deposit",
            PropertyClass::Movable => "investigation.max_period.movable",
            PropertyClass::ImmovableOrRight => "investigation.max_period.immovable_or_right",
        }
    }
    /// Which measures fit this class of property.
    pub fn allows(self, kind: MeasureKind) -> bool {
        match self {
            PropertyClass::Deposit => matches!(kind, MeasureKind::Freeze | MeasureKind::Deduct),
            PropertyClass::Movable => matches!(kind, MeasureKind::Seize | MeasureKind::Detain),
            PropertyClass::ImmovableOrRight => {
                matches!(kind, MeasureKind::Freeze | MeasureKind::Seize)
            }
        }
    }
}

/// Where a measure stands, as the institutions' replies tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    /// Sent, not yet answered.
    Requested,
    /// In effect.
    Active,
    /// On the waiting list (轮候) behind another court's measure.
    Queued,
    /// A deduction carried out: the money is on its way to the case account.
    Done,
    Refused,
    /// Lifted (解除).
    Released,
    /// Ran past its last day without renewal: the hold is lost.
    Expired,
}

impl MeasureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureStatus::Requested => "requested",
            MeasureStatus::Active => "active",
            MeasureStatus::Queued => "queued",
            MeasureStatus::Done => "done",
            MeasureStatus::Refused => "refused",
            MeasureStatus::Released => "released",
            MeasureStatus::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<MeasureStatus> {
        [
            MeasureStatus::Requested,
            MeasureStatus::Active,
            MeasureStatus::Queued,
            MeasureStatus::Done,
            MeasureStatus::Refused,
            MeasureStatus::Released,
            MeasureStatus::Expired,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
    /// The measure holds (or waits to hold) the property.
    pub fn holds(self) -> bool {
        matches!(
            self,
            MeasureStatus::Requested | MeasureStatus::Active | MeasureStatus::Queued
        )
    }
}

/// What the rules need to know to decide a measure.
pub struct MeasureCtx<'a> {
    pub rules: &'a RuleBook,
    pub region: &'a str,
    pub today: Date,
}

/// A requested measure, as the officer asks for it.
#[derive(Debug, Clone)]
pub struct MeasureRequest {
    pub kind: MeasureKind,
    pub asset_kind: String,
    /// For freezes and deductions.
    pub amount: Option<Fen>,
    /// For measures with a period: the last day asked; `None` = the legal maximum.
    pub until: Option<Date>,
}

/// What the platform already knows when a measure is asked.
#[derive(Debug, Clone, Copy)]
pub struct Exposure {
    /// What the debtor still owes on the case.
    pub unpaid: Fen,
    /// Money already held or deducted for the case by measures still holding.
    pub controlled: Fen,
    /// Another court holds the property (a deduction needs it free).
    pub held_by_other_court: bool,
    /// This case already holds the property with a measure of the same kind.
    pub already_held: bool,
}

/// The measure to send: its kind, amount and last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidedMeasure {
    pub kind: MeasureKind,
    pub amount: Option<Fen>,
    pub until: Option<Date>,
    pub max_until: Option<Date>,
    pub rule_id: Option<&'static str>,
}

/// The last day a measure taken (or renewed) on `from` may last, by the rule book.
pub fn max_until(class: PropertyClass, from: Date, ctx: &MeasureCtx<'_>) -> Result<Date, Refusal> {
    let (n, unit) = ctx
        .rules
        .value(class.max_period_rule(), ctx.today, ctx.region)?;
    let end = match unit {
        Unit::Years => from.checked_add(jiff::Span::new().years(n)),
        Unit::Months => from.checked_add(jiff::Span::new().months(n)),
        Unit::Days => from.checked_add(jiff::Span::new().days(n)),
        _ => {
            return Err(Refusal::invalid("rule_unavailable")
                .with("rule", class.max_period_rule())
                .with("unit", unit.as_str()));
        }
    }
    .map_err(|_| Refusal::invalid("rule_unavailable").with("rule", class.max_period_rule()))?;
    // The period counts the first day: one year from 1 March ends on the last day of February.
    end.yesterday()
        .map_err(|_| Refusal::invalid("rule_unavailable").with("rule", class.max_period_rule()))
}

/// Decides a new measure: every problem at once.
pub fn decide_measure(
    req: &MeasureRequest,
    exposure: &Exposure,
    ctx: &MeasureCtx<'_>,
) -> Result<DecidedMeasure, Refusal> {
    let mut reasons = Vec::new();
    let class = PropertyClass::of_asset_kind(&req.asset_kind);
    match class {
        None => reasons.push(unknown_kind(&req.asset_kind)),
        Some(c) if !c.allows(req.kind) => reasons.push(
            Reason::new("measure_not_applicable")
                .with("measure", req.kind.as_str())
                .with("asset_kind", req.asset_kind.as_str()),
        ),
        Some(_) => {}
    }
    if exposure.already_held {
        reasons.push(Reason::new("already_held").with("measure", req.kind.as_str()));
    }
    let mut amount = None;
    let mut above_due = false;
    if req.kind.takes_amount() {
        match req.amount {
            None => reasons.push(Reason::new("measure_amount_required")),
            Some(a) if a.get() == 0 => reasons.push(Reason::new("measure_amount_zero")),
            Some(a) => {
                let room = exposure.unpaid.saturating_sub(exposure.controlled);
                if a > room {
                    above_due = true;
                    reasons.push(
                        Reason::new("amount_above_room")
                            .with("amount", a)
                            .with("room", room),
                    );
                }
                amount = Some(a);
            }
        }
    } else if req.amount.is_some() {
        reasons.push(Reason::new("measure_takes_no_amount").with("measure", req.kind.as_str()));
    }
    let elsewhere = req.kind == MeasureKind::Deduct && exposure.held_by_other_court;
    if elsewhere {
        reasons.push(Reason::new("frozen_by_other_court"));
    }
    let mut until = None;
    let mut max = None;
    let mut rule_id = None;
    if let Some(c) = class
        && req.kind.has_period()
    {
        let m = max_until(c, ctx.today, ctx)?;
        match req.until {
            Some(u) if u < ctx.today => reasons.push(
                Reason::new("until_in_past")
                    .with("until", u)
                    .with("today", ctx.today),
            ),
            Some(u) if u > m => reasons.push(
                Reason::new("until_beyond_maximum")
                    .with("until", u)
                    .with("max", m)
                    .with("rule", c.max_period_rule()),
            ),
            Some(u) => until = Some(u),
            None => until = Some(m),
        }
        max = Some(m);
        rule_id = Some(c.max_period_rule());
    } else if req.until.is_some() && !req.kind.has_period() {
        reasons.push(Reason::new("deduction_has_no_period"));
    }
    if !reasons.is_empty() {
        return Err(if elsewhere {
            // The property is another court's first: a conflict with the state of things.
            Refusal::of_reasons("held_by_other_court", RefusalKind::Conflict, reasons)
        } else if above_due {
            Refusal::of_reasons("amount_above_due", RefusalKind::Invalid, reasons)
        } else {
            Refusal::of_reasons("invalid_measure", RefusalKind::Invalid, reasons)
        });
    }
    Ok(DecidedMeasure {
        kind: req.kind,
        amount,
        until,
        max_until: max,
        rule_id,
    })
}

/// Decides a renewal (续行): only while the measure holds, before its last day has passed;
/// the new last day may be at most one maximum period after the current one.
pub fn decide_renewal(
    kind: MeasureKind,
    asset_kind: &str,
    status: MeasureStatus,
    current_until: Option<Date>,
    requested: Option<Date>,
    ctx: &MeasureCtx<'_>,
) -> Result<Date, Refusal> {
    if !kind.has_period() {
        return Err(Refusal::conflict("not_renewable").with("why", "deduction"));
    }
    let Some(until) = current_until else {
        return Err(Refusal::conflict("not_renewable").with("why", "not_in_effect"));
    };
    if status == MeasureStatus::Expired || (status == MeasureStatus::Active && until < ctx.today) {
        return Err(Refusal::conflict("measure_expired").with("until", until));
    }
    if status != MeasureStatus::Active {
        return Err(Refusal::conflict("not_renewable")
            .with("why", "status")
            .with("status", status.as_str()));
    }
    let class = PropertyClass::of_asset_kind(asset_kind).ok_or_else(|| {
        Refusal::of_reasons(
            "invalid_measure",
            RefusalKind::Invalid,
            vec![unknown_kind(asset_kind)],
        )
    })?;
    let from = until.tomorrow().map_err(|_| {
        Refusal::of_reasons(
            "invalid_measure",
            RefusalKind::Invalid,
            vec![Reason::new("measure_date_out_of_range").with("until", until)],
        )
    })?;
    let max = max_until(class, from, ctx)?;
    match requested {
        None => Ok(max),
        Some(d) if d <= until => Err(Refusal::invalid("invalid_renewal")
            .with("why", "not_after")
            .with("requested", d)
            .with("until", until)),
        Some(d) if d > max => Err(Refusal::invalid("invalid_renewal")
            .with("why", "beyond")
            .with("requested", d)
            .with("max", max)
            .with("rule", class.max_period_rule())),
        Some(d) => Ok(d),
    }
}

fn unknown_kind(asset_kind: &str) -> Reason {
    Reason::new("unknown_property_kind").with("asset_kind", asset_kind)
}

/// Days left until the measure's last day (0 on the last day, negative once past).
pub fn days_left(until: Date, today: Date) -> i64 {
    until
        .since(today)
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const RULES: &str = include_str!("../../../rules/investigation.toml");

    fn book() -> RuleBook {
        RuleBook::from_toml([("investigation.toml", RULES)]).unwrap_or_default() // allow-panic: test code
    }

    fn ctx(rules: &RuleBook) -> MeasureCtx<'_> {
        MeasureCtx {
            rules,
            region: "",
            today: date(2026, 3, 1),
        }
    }

    fn exposure(unpaid: i64, controlled: i64) -> Exposure {
        Exposure {
            unpaid: Fen::new(unpaid).unwrap_or(Fen::ZERO),
            controlled: Fen::new(controlled).unwrap_or(Fen::ZERO),
            held_by_other_court: false,
            already_held: false,
        }
    }

    fn req(
        kind: MeasureKind,
        asset: &str,
        amount: Option<i64>,
        until: Option<Date>,
    ) -> MeasureRequest {
        MeasureRequest {
            kind,
            asset_kind: asset.into(),
            amount: amount.and_then(|a| Fen::new(a).ok()),
            until,
        }
    }

    #[test]
    fn maximum_periods_follow_the_class_of_property() {
        let rules = book();
        let c = ctx(&rules);
        assert!(!rules.is_empty());
        let d = decide_measure(
            &req(MeasureKind::Freeze, "bank_deposit", Some(100), None),
            &exposure(1000, 0),
            &c,
        );
        assert_eq!(d.map(|d| d.until), Ok(Some(date(2027, 2, 28))));
        let d = decide_measure(
            &req(MeasureKind::Seize, "vehicle", None, None),
            &exposure(1000, 0),
            &c,
        );
        assert_eq!(d.map(|d| d.until), Ok(Some(date(2028, 2, 29))));
        let d = decide_measure(
            &req(MeasureKind::Seize, "real_estate", None, None),
            &exposure(1000, 0),
            &c,
        );
        assert_eq!(d.map(|d| d.until), Ok(Some(date(2029, 2, 28))));
        let d = decide_measure(
            &req(
                MeasureKind::Freeze,
                "bank_deposit",
                Some(100),
                Some(date(2027, 3, 1)),
            ),
            &exposure(1000, 0),
            &c,
        );
        assert_eq!(d.map_err(|r| r.code), Err("invalid_measure"));
    }

    #[test]
    fn a_freeze_never_exceeds_what_is_still_due() {
        let rules = book();
        let c = ctx(&rules);
        let ok = decide_measure(
            &req(MeasureKind::Freeze, "bank_deposit", Some(600), None),
            &exposure(1000, 400),
            &c,
        );
        assert!(ok.is_ok());
        let over = decide_measure(
            &req(MeasureKind::Freeze, "bank_deposit", Some(601), None),
            &exposure(1000, 400),
            &c,
        );
        assert_eq!(over.map_err(|r| r.code), Err("amount_above_due"));
        let zero = decide_measure(
            &req(MeasureKind::Deduct, "bank_deposit", Some(0), None),
            &exposure(1000, 0),
            &c,
        );
        assert!(zero.is_err());
    }

    #[test]
    fn measures_must_fit_the_property() {
        let rules = book();
        let c = ctx(&rules);
        for (k, a) in [
            (MeasureKind::Deduct, "real_estate"),
            (MeasureKind::Detain, "bank_deposit"),
            (MeasureKind::Freeze, "vehicle"),
        ] {
            let r = decide_measure(
                &req(k, a, k.takes_amount().then_some(10), None),
                &exposure(1000, 0),
                &c,
            );
            assert_eq!(
                r.map_err(|r| r.code),
                Err("invalid_measure"),
                "{k:?} on {a}"
            );
        }
        let mut e = exposure(1000, 0);
        e.held_by_other_court = true;
        let r = decide_measure(
            &req(MeasureKind::Deduct, "bank_deposit", Some(10), None),
            &e,
            &c,
        );
        assert_eq!(
            r.map_err(|r| (r.code, r.kind)),
            Err(("held_by_other_court", crate::refusal::RefusalKind::Conflict))
        );
    }

    #[test]
    fn renewal_comes_before_expiry_and_lasts_one_period_at_most() {
        let rules = book();
        let c = ctx(&rules);
        let until = date(2026, 3, 10);
        let r = decide_renewal(
            MeasureKind::Freeze,
            "bank_deposit",
            MeasureStatus::Active,
            Some(until),
            None,
            &c,
        );
        assert_eq!(r, Ok(date(2027, 3, 10)));
        let r = decide_renewal(
            MeasureKind::Freeze,
            "bank_deposit",
            MeasureStatus::Active,
            Some(until),
            Some(date(2027, 3, 11)),
            &c,
        );
        assert_eq!(r.map_err(|r| r.code), Err("invalid_renewal"));
        let past = decide_renewal(
            MeasureKind::Freeze,
            "bank_deposit",
            MeasureStatus::Active,
            Some(date(2026, 2, 28)),
            None,
            &c,
        );
        assert_eq!(past.map_err(|r| r.code), Err("measure_expired"));
        let queued = decide_renewal(
            MeasureKind::Freeze,
            "bank_deposit",
            MeasureStatus::Queued,
            Some(until),
            None,
            &c,
        );
        assert_eq!(queued.map_err(|r| r.code), Err("not_renewable"));
        assert_eq!(days_left(until, c.today), 9);
    }

    /// The refusals of a renewal say what kind of "no" they are and carry the dates the
    /// catalogue words them with.
    #[test]
    fn renewal_refusals_carry_their_kind_and_dates() {
        use crate::refusal::{Param, RefusalKind};
        let rules = book();
        let c = ctx(&rules);
        let until = date(2026, 3, 10);
        let beyond = decide_renewal(
            MeasureKind::Freeze,
            "bank_deposit",
            MeasureStatus::Active,
            Some(until),
            Some(date(2027, 3, 11)),
            &c,
        )
        .err();
        let param = |r: &Option<crate::refusal::Refusal>, name: &str| {
            r.as_ref().and_then(|r| r.params.get(name).cloned())
        };
        assert_eq!(beyond.as_ref().map(|r| r.kind), Some(RefusalKind::Invalid));
        assert_eq!(param(&beyond, "max"), Some(Param::Date(date(2027, 3, 10))));
        let past = decide_renewal(
            MeasureKind::Freeze,
            "bank_deposit",
            MeasureStatus::Active,
            Some(date(2026, 2, 28)),
            None,
            &c,
        )
        .err();
        assert_eq!(past.as_ref().map(|r| r.kind), Some(RefusalKind::Conflict));
        assert_eq!(param(&past, "until"), Some(Param::Date(date(2026, 2, 28))));
        let queued = decide_renewal(
            MeasureKind::Freeze,
            "bank_deposit",
            MeasureStatus::Queued,
            Some(until),
            None,
            &c,
        )
        .err();
        assert_eq!(queued.as_ref().map(|r| r.kind), Some(RefusalKind::Conflict));
        assert_eq!(param(&queued, "status"), Some(Param::from("queued")));
    }
}
