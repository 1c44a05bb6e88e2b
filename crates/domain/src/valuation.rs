//! Reference price (参考价), DOMAIN §6: the price a seized or detained asset is put up for sale
//! against, determined by the SPC provisions on reference prices (法释〔2018〕15号).
//!
//! The four methods are tried in a fixed order — parties' agreement (议价), targeted enquiry
//! (定向询价), online enquiry (网络询价), commissioned appraisal (委托评估) — and a later one is
//! reached only when the earlier one fails or cannot be used, when both parties ask for it, or
//! (appraisal) when a law requires it. A determination is the fold of its
//! [`ValuationEvent`]s; each `decide_*` function is pure and returns the event to record or a
//! [`Refusal`]. Every period comes from the rule book (`auction.price_determination.start`,
//! `auction.online_enquiry.report`, `auction.appraisal.report`,
//! `auction.price_report.objection`, `auction.price_report.validity`); the due dates are
//! written into the events so that a replay never needs the rule book again.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::case::Ctx;
use crate::money::Fen;
use crate::refusal::{Reason, Refusal, RefusalKind};
use crate::rules::{RuleVersion, Unit};

/// The four methods of price determination, in the order the provisions try them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceMethod {
    /// 当事人议价 — the parties agree on a price (art. 4).
    Agreement,
    /// 定向询价 — asked of the agency that sets an official price (tax base, government
    /// price), for property that has one (art. 5).
    TargetedEnquiry,
    /// 网络询价 — every listed judicial enquiry platform answers; the price is their average
    /// (arts. 7–13).
    OnlineEnquiry,
    /// 委托评估 — a commissioned appraiser's report (arts. 14–21).
    Appraisal,
}

impl PriceMethod {
    pub const ALL: [PriceMethod; 4] = [
        PriceMethod::Agreement,
        PriceMethod::TargetedEnquiry,
        PriceMethod::OnlineEnquiry,
        PriceMethod::Appraisal,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            PriceMethod::Agreement => "agreement",
            PriceMethod::TargetedEnquiry => "targeted_enquiry",
            PriceMethod::OnlineEnquiry => "online_enquiry",
            PriceMethod::Appraisal => "appraisal",
        }
    }
    pub fn parse(s: &str) -> Option<PriceMethod> {
        PriceMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            PriceMethod::Agreement => "当事人议价",
            PriceMethod::TargetedEnquiry => "定向询价",
            PriceMethod::OnlineEnquiry => "网络询价",
            PriceMethod::Appraisal => "委托评估",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            PriceMethod::Agreement => "Agreed by the parties",
            PriceMethod::TargetedEnquiry => "Directed inquiry",
            PriceMethod::OnlineEnquiry => "Online inquiry",
            PriceMethod::Appraisal => "Appraisal",
        }
    }
    /// The method tried when this one fails; none after appraisal.
    pub fn next(self) -> Option<PriceMethod> {
        match self {
            PriceMethod::Agreement => Some(PriceMethod::TargetedEnquiry),
            PriceMethod::TargetedEnquiry => Some(PriceMethod::OnlineEnquiry),
            PriceMethod::OnlineEnquiry => Some(PriceMethod::Appraisal),
            PriceMethod::Appraisal => None,
        }
    }
    /// Only a report (online enquiry, appraisal) is open to objection (art. 22).
    pub fn objectionable(self) -> bool {
        matches!(self, PriceMethod::OnlineEnquiry | PriceMethod::Appraisal)
    }
}

/// Why the determination leaves its current method for a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveReason {
    /// 不能或者不成: the parties did not agree, the property has no official price, no
    /// platform answered in time, or the method does not suit the property. Leads to the next
    /// method only.
    Failed,
    /// 双方当事人一致要求: both parties ask for a later method directly.
    PartiesRequest,
    /// 法律、行政法规规定必须委托评估: straight to appraisal.
    RequiredByLaw,
}

impl MoveReason {
    pub const ALL: [MoveReason; 3] = [
        MoveReason::Failed,
        MoveReason::PartiesRequest,
        MoveReason::RequiredByLaw,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            MoveReason::Failed => "failed",
            MoveReason::PartiesRequest => "parties_request",
            MoveReason::RequiredByLaw => "required_by_law",
        }
    }
    pub fn parse(s: &str) -> Option<MoveReason> {
        MoveReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One platform's answer to an online enquiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformAnswer {
    pub platform: String,
    pub price: Fen,
    pub on: Date,
    pub valid_until: Date,
    /// Received within `auction.online_enquiry.report`; a late answer is kept on the record
    /// but not averaged.
    pub timely: bool,
}

/// What happened in a price determination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValuationEvent {
    Started {
        asset_id: String,
        seized_on: Date,
        on: Date,
        /// The last day to start, by `auction.price_determination.start`.
        start_due: Date,
        late: bool,
    },
    MovedOn {
        from: PriceMethod,
        to: PriceMethod,
        reason: MoveReason,
        on: Date,
    },
    AgreementReached {
        price: Fen,
        on: Date,
        valid_until: Date,
    },
    TargetedEnquiryAnswered {
        agency: String,
        price: Fen,
        on: Date,
        valid_until: Date,
    },
    EnquiryCommissioned {
        platforms: Vec<String>,
        on: Date,
        answer_due: Date,
    },
    PlatformAnswered(PlatformAnswer),
    /// The average of the timely answers, delivered to the parties on `on`.
    EnquiryReported {
        price: Fen,
        counted: Vec<String>,
        on: Date,
        valid_until: Date,
        objection_until: Date,
    },
    AppraisalCommissioned {
        appraiser: String,
        on: Date,
        report_due: Date,
    },
    /// The appraiser's report, delivered to the parties on `on`.
    AppraisalReported {
        price: Fen,
        on: Date,
        valid_until: Date,
        objection_until: Date,
        late: bool,
    },
    ObjectionFiled {
        by: String,
        on: Date,
    },
    /// The court's answer to an objection: the report stands, or is corrected.
    ObjectionRuled {
        on: Date,
        corrected_price: Option<Fen>,
    },
}

/// An online enquiry under way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enquiry {
    pub platforms: Vec<String>,
    pub on: Date,
    pub answer_due: Date,
    pub answers: Vec<PlatformAnswer>,
}

/// A commissioned appraisal under way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appraisal {
    pub appraiser: String,
    pub on: Date,
    pub report_due: Date,
}

/// The price a method produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceResult {
    pub method: PriceMethod,
    pub price: Fen,
    pub on: Date,
    pub valid_until: Date,
    /// The last day to object, for reports.
    pub objection_until: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Objection {
    None,
    Pending { by: String, on: Date },
    Ruled { on: Date },
}

/// A price determination: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Valuation {
    pub asset_id: String,
    pub seized_on: Date,
    pub started_on: Date,
    pub start_due: Date,
    pub method: PriceMethod,
    pub moves: Vec<(PriceMethod, PriceMethod, MoveReason)>,
    pub enquiry: Option<Enquiry>,
    pub appraisal: Option<Appraisal>,
    pub result: Option<PriceResult>,
    pub objection: Objection,
}

/// A reference price that may be used to plan an auction: settled and not expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferencePrice {
    pub price: Fen,
    pub method: PriceMethod,
    pub determined_on: Date,
    /// The last day the price may be used (`auction.price_report.validity`).
    pub valid_until: Date,
}

impl Valuation {
    pub fn from_started(e: &ValuationEvent) -> Option<Valuation> {
        match e {
            ValuationEvent::Started {
                asset_id,
                seized_on,
                on,
                start_due,
                ..
            } => Some(Valuation {
                asset_id: asset_id.clone(),
                seized_on: *seized_on,
                started_on: *on,
                start_due: *start_due,
                method: PriceMethod::Agreement,
                moves: Vec::new(),
                enquiry: None,
                appraisal: None,
                result: None,
                objection: Objection::None,
            }),
            _ => None,
        }
    }

    pub fn apply(&mut self, e: &ValuationEvent) {
        match e {
            ValuationEvent::Started { .. } => {}
            ValuationEvent::MovedOn {
                from, to, reason, ..
            } => {
                self.moves.push((*from, *to, *reason));
                self.method = *to;
            }
            ValuationEvent::AgreementReached {
                price,
                on,
                valid_until,
            } => self.set_result(PriceMethod::Agreement, *price, *on, *valid_until, None),
            ValuationEvent::TargetedEnquiryAnswered {
                price,
                on,
                valid_until,
                ..
            } => self.set_result(
                PriceMethod::TargetedEnquiry,
                *price,
                *on,
                *valid_until,
                None,
            ),
            ValuationEvent::EnquiryCommissioned {
                platforms,
                on,
                answer_due,
            } => {
                self.enquiry = Some(Enquiry {
                    platforms: platforms.clone(),
                    on: *on,
                    answer_due: *answer_due,
                    answers: Vec::new(),
                });
            }
            ValuationEvent::PlatformAnswered(a) => {
                if let Some(q) = &mut self.enquiry {
                    q.answers.push(a.clone());
                }
            }
            ValuationEvent::EnquiryReported {
                price,
                on,
                valid_until,
                objection_until,
                ..
            } => self.set_result(
                PriceMethod::OnlineEnquiry,
                *price,
                *on,
                *valid_until,
                Some(*objection_until),
            ),
            ValuationEvent::AppraisalCommissioned {
                appraiser,
                on,
                report_due,
            } => {
                self.appraisal = Some(Appraisal {
                    appraiser: appraiser.clone(),
                    on: *on,
                    report_due: *report_due,
                });
            }
            ValuationEvent::AppraisalReported {
                price,
                on,
                valid_until,
                objection_until,
                ..
            } => self.set_result(
                PriceMethod::Appraisal,
                *price,
                *on,
                *valid_until,
                Some(*objection_until),
            ),
            ValuationEvent::ObjectionFiled { by, on } => {
                self.objection = Objection::Pending {
                    by: by.clone(),
                    on: *on,
                };
            }
            ValuationEvent::ObjectionRuled {
                on,
                corrected_price,
            } => {
                self.objection = Objection::Ruled { on: *on };
                if let (Some(r), Some(p)) = (&mut self.result, corrected_price) {
                    r.price = *p;
                }
            }
        }
    }

    fn set_result(
        &mut self,
        method: PriceMethod,
        price: Fen,
        on: Date,
        valid_until: Date,
        objection_until: Option<Date>,
    ) {
        self.result = Some(PriceResult {
            method,
            price,
            on,
            valid_until,
            objection_until,
        });
    }

    /// The state after `events`; `None` unless the first is `Started`.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a ValuationEvent>) -> Option<Valuation> {
        let mut it = events.into_iter();
        let mut v = Valuation::from_started(it.next()?)?;
        for e in it {
            v.apply(e);
        }
        Some(v)
    }

    fn ensure_open(&self) -> Result<(), Refusal> {
        match &self.result {
            Some(r) => Err(Refusal::conflict("price_already_determined")
                .with("method", r.method.as_str())
                .with("price", r.price)),
            None => Ok(()),
        }
    }

    fn ensure_method(&self, m: PriceMethod) -> Result<(), Refusal> {
        self.ensure_open()?;
        if self.method != m {
            return Err(Refusal::conflict("wrong_method")
                .with("from", self.method.as_str())
                .with("to", m.as_str())
                .with("reason", "order"));
        }
        Ok(())
    }

    /// The online enquiry under way, at its method.
    fn enquiry(&self) -> Result<&Enquiry, Refusal> {
        self.ensure_method(PriceMethod::OnlineEnquiry)?;
        self.enquiry
            .as_ref()
            .ok_or_else(|| Refusal::conflict("enquiry_not_commissioned"))
    }
}

/// A refusal under a code other answers share (`invalid_date`, `invalid_amount`, …): its
/// words are those of its one reason, whose code is this context's own.
pub fn refused_as(code: &'static str, reason: Reason) -> Refusal {
    Refusal::of_reasons(code, RefusalKind::Invalid, vec![reason])
}

/// The rule `id` in force for `ctx`: its figure and citation, for a decision and the refusal
/// that names it.
pub(crate) fn rule<'a>(ctx: &Ctx<'a>, id: &str) -> Result<&'a RuleVersion, Refusal> {
    Ok(ctx.rules.lookup(id, ctx.today, ctx.region)?)
}

/// The rule book or the calendar cannot count with rule `id` (a unit that does not fit, a
/// date out of range): a fault of the installation, not of the request.
pub(crate) fn uncountable(id: &str, e: impl std::fmt::Display) -> Refusal {
    Refusal::invalid("rule_unavailable")
        .kind(RefusalKind::Broken)
        .with("rule", id)
        .with("message", e.to_string())
}

/// The end of a period of the rule `id` started on `from`, by the working-day calendar (a
/// period ending on a rest day ends on the next working day).
pub(crate) fn period_end(ctx: &Ctx<'_>, id: &str, from: Date) -> Result<Date, Refusal> {
    let r = rule(ctx, id)?;
    ctx.calendar
        .period_end(from, r.value, r.unit)
        .map_err(|e| uncountable(id, e))
}

/// The rule giving how long a reference price may be used.
pub const VALIDITY_RULE: &str = "auction.price_report.validity";
/// The rule giving the period to object to a report.
pub const OBJECTION_RULE: &str = "auction.price_report.objection";

/// The last day a result reported on `on` may be used: one validity period counting the
/// first day (one year from 1 March ends on the last day of February).
pub fn max_valid_until(ctx: &Ctx<'_>, on: Date) -> Result<Date, Refusal> {
    let r = rule(ctx, VALIDITY_RULE)?;
    let span = match r.unit {
        Unit::Years => jiff::Span::new().years(r.value),
        Unit::Months => jiff::Span::new().months(r.value),
        Unit::Days => jiff::Span::new().days(r.value),
        other => {
            return Err(uncountable(
                VALIDITY_RULE,
                format_args!("in {}, not a period", other.as_str()),
            ));
        }
    };
    on.checked_add(span)
        .and_then(|d| d.yesterday())
        .map_err(|e| uncountable(VALIDITY_RULE, e))
}

/// The validity asked for a result, or the maximum when none is asked.
fn validity(ctx: &Ctx<'_>, on: Date, asked: Option<Date>) -> Result<Date, Refusal> {
    let max = max_valid_until(ctx, on)?;
    match asked {
        None => Ok(max),
        Some(d) if d < on => Err(Refusal::invalid("invalid_validity")
            .with("valid_until", d)
            .with("on", on)),
        Some(d) if d > max => Err(Refusal::invalid("validity_too_long")
            .with("valid_until", d)
            .with("max", max)
            .rule(rule(ctx, VALIDITY_RULE)?)),
        Some(d) => Ok(d),
    }
}

fn positive(price: Fen) -> Result<(), Refusal> {
    if price.get() == 0 {
        return Err(Refusal::invalid("invalid_price").with("field", "price"));
    }
    Ok(())
}

/// A name the command must give (an agency, an appraiser, who objects).
fn named(value: &str, code: &'static str) -> Result<(), Refusal> {
    if value.trim().is_empty() {
        return Err(Refusal::invalid(code));
    }
    Ok(())
}

/// The last day to start determining the price of property seized on `seized_on`.
pub fn start_due(seized_on: Date, ctx: &Ctx<'_>) -> Result<Date, Refusal> {
    period_end(ctx, "auction.price_determination.start", seized_on)
}

/// Starts the determination on `ctx.today`. Starting late is recorded, not refused: the
/// property must still be priced.
pub fn decide_start(
    asset_id: &str,
    seized_on: Date,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    named(asset_id, "invalid_asset")?;
    if ctx.today < seized_on {
        return Err(refused_as(
            "invalid_date",
            Reason::new("date_refused")
                .with("field", "seized_on")
                .with("seized_on", seized_on),
        ));
    }
    let due = start_due(seized_on, ctx)?;
    Ok(ValuationEvent::Started {
        asset_id: asset_id.to_owned(),
        seized_on,
        on: ctx.today,
        start_due: due,
        late: ctx.today > due,
    })
}

/// Leaves the current method for `to`: `Failed` leads to the next method only,
/// `PartiesRequest` to any later one, `RequiredByLaw` to appraisal.
pub fn decide_move(
    state: &Valuation,
    to: PriceMethod,
    reason: MoveReason,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    state.ensure_open()?;
    let from = state.method;
    let ok = match reason {
        MoveReason::Failed => from.next() == Some(to),
        MoveReason::PartiesRequest => to > from,
        MoveReason::RequiredByLaw => to == PriceMethod::Appraisal && from != to,
    };
    if !ok {
        let r = Refusal::conflict("wrong_method")
            .with("from", from.as_str())
            .with("to", to.as_str())
            .with("reason", reason.as_str());
        return Err(match from.next() {
            Some(next) => r.with("next", next.as_str()),
            None => r.with("next", "none"),
        });
    }
    // An online enquiry with timely answers has a price: it has not failed; nor has one
    // whose platforms still have time to answer.
    if from == PriceMethod::OnlineEnquiry
        && reason == MoveReason::Failed
        && let Some(q) = &state.enquiry
    {
        if q.answers.iter().any(|a| a.timely) {
            return Err(Refusal::conflict("enquiry_has_answers"));
        }
        if ctx.today <= q.answer_due {
            return Err(answers_pending(q));
        }
    }
    Ok(ValuationEvent::MovedOn {
        from,
        to,
        reason,
        on: ctx.today,
    })
}

/// The platforms of an enquiry still have time to answer.
fn answers_pending(q: &Enquiry) -> Refusal {
    Refusal::conflict("answers_pending")
        .with("answered", q.answers.iter().filter(|a| a.timely).count())
        .with("asked", q.platforms.len())
        .with("due", q.answer_due)
}

/// The parties agree on a price (议价).
pub fn decide_agreement(
    state: &Valuation,
    price: Fen,
    valid_until: Option<Date>,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    state.ensure_method(PriceMethod::Agreement)?;
    positive(price)?;
    Ok(ValuationEvent::AgreementReached {
        price,
        on: ctx.today,
        valid_until: validity(ctx, ctx.today, valid_until)?,
    })
}

/// The agency asked in a targeted enquiry (定向询价) answers.
pub fn decide_targeted_answer(
    state: &Valuation,
    agency: &str,
    price: Fen,
    valid_until: Option<Date>,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    state.ensure_method(PriceMethod::TargetedEnquiry)?;
    positive(price)?;
    named(agency, "invalid_agency")?;
    Ok(ValuationEvent::TargetedEnquiryAnswered {
        agency: agency.to_owned(),
        price,
        on: ctx.today,
        valid_until: validity(ctx, ctx.today, valid_until)?,
    })
}

/// Commissions an online enquiry (网络询价) of every listed platform at once.
pub fn decide_commission_enquiry(
    state: &Valuation,
    platforms: &[String],
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    state.ensure_method(PriceMethod::OnlineEnquiry)?;
    if state.enquiry.is_some() {
        return Err(Refusal::conflict("enquiry_already_commissioned"));
    }
    let mut names: Vec<String> = platforms.iter().map(|p| p.trim().to_owned()).collect();
    names.sort();
    let n = names.len();
    names.dedup();
    if names.is_empty() || names.iter().any(String::is_empty) || names.len() != n {
        return Err(Refusal::invalid("invalid_platforms"));
    }
    Ok(ValuationEvent::EnquiryCommissioned {
        platforms: platforms.iter().map(|p| p.trim().to_owned()).collect(),
        on: ctx.today,
        answer_due: period_end(ctx, "auction.online_enquiry.report", ctx.today)?,
    })
}

/// A platform's answer, received on `ctx.today`. A late answer is recorded as not timely and
/// left out of the average.
pub fn decide_platform_answer(
    state: &Valuation,
    platform: &str,
    price: Fen,
    valid_until: Option<Date>,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    let q = state.enquiry()?;
    if !q.platforms.iter().any(|p| p == platform) {
        return Err(Refusal::invalid("unknown_platform").with("platform", platform));
    }
    if q.answers.iter().any(|a| a.platform == platform) {
        return Err(Refusal::conflict("already_answered").with("platform", platform));
    }
    positive(price)?;
    Ok(ValuationEvent::PlatformAnswered(PlatformAnswer {
        platform: platform.to_owned(),
        price,
        on: ctx.today,
        valid_until: validity(ctx, ctx.today, valid_until)?,
        timely: ctx.today <= q.answer_due,
    }))
}

/// The average of `prices`, rounded half up to the fen.
pub fn average(prices: &[Fen]) -> Option<Fen> {
    let n = i128::try_from(prices.len()).ok().filter(|n| *n > 0)?;
    let sum: i128 = prices.iter().map(|p| i128::from(p.get())).sum();
    let avg = (2 * sum + n) / (2 * n);
    i64::try_from(avg).ok().and_then(|v| Fen::new(v).ok())
}

/// Concludes the online enquiry on `ctx.today`: the average of the answers received in time
/// (art. 13), once every platform answered or the time limit passed. Delivery to the parties
/// is that day, which opens the objection period.
pub fn decide_conclude_enquiry(
    state: &Valuation,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    let q = state.enquiry()?;
    let timely: Vec<&PlatformAnswer> = q.answers.iter().filter(|a| a.timely).collect();
    if timely.len() < q.platforms.len() && ctx.today <= q.answer_due {
        return Err(answers_pending(q));
    }
    let prices: Vec<Fen> = timely.iter().map(|a| a.price).collect();
    let (Some(price), Some(valid_until)) =
        (average(&prices), timely.iter().map(|a| a.valid_until).min())
    else {
        return Err(Refusal::conflict("no_timely_answer").with("due", q.answer_due));
    };
    Ok(ValuationEvent::EnquiryReported {
        price,
        counted: timely.iter().map(|a| a.platform.clone()).collect(),
        on: ctx.today,
        valid_until,
        objection_until: period_end(ctx, OBJECTION_RULE, ctx.today)?,
    })
}

/// Commissions an appraisal (委托评估); the report is due within `auction.appraisal.report`.
pub fn decide_commission_appraisal(
    state: &Valuation,
    appraiser: &str,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    state.ensure_method(PriceMethod::Appraisal)?;
    if let Some(a) = &state.appraisal {
        return Err(
            Refusal::conflict("appraisal_already_commissioned").with("appraiser", &a.appraiser)
        );
    }
    named(appraiser, "invalid_appraiser")?;
    Ok(ValuationEvent::AppraisalCommissioned {
        appraiser: appraiser.trim().to_owned(),
        on: ctx.today,
        report_due: period_end(ctx, "auction.appraisal.report", ctx.today)?,
    })
}

/// The appraisal report, delivered to the parties on `ctx.today`. A late report is accepted
/// and marked late (the time limit can be extended with approval; the delay is for the
/// indicators, not a reason to lose the price).
pub fn decide_appraisal_report(
    state: &Valuation,
    price: Fen,
    valid_until: Option<Date>,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    state.ensure_method(PriceMethod::Appraisal)?;
    let Some(a) = &state.appraisal else {
        return Err(Refusal::conflict("appraisal_not_commissioned"));
    };
    positive(price)?;
    Ok(ValuationEvent::AppraisalReported {
        price,
        on: ctx.today,
        valid_until: validity(ctx, ctx.today, valid_until)?,
        objection_until: period_end(ctx, OBJECTION_RULE, ctx.today)?,
        late: ctx.today > a.report_due,
    })
}

/// A party's objection to an online enquiry or appraisal report, within the objection period.
pub fn decide_objection(
    state: &Valuation,
    by: &str,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    let Some(r) = &state.result else {
        return Err(Refusal::conflict("no_reference_price").with("method", state.method.as_str()));
    };
    let Some(until) = r.objection_until else {
        return Err(Refusal::conflict("not_objectionable").with("method", r.method.as_str()));
    };
    if matches!(state.objection, Objection::Pending { .. }) {
        return Err(Refusal::conflict("objection_pending"));
    }
    if ctx.today > until {
        return Err(Refusal::conflict("objection_period_over")
            .with("until", until)
            .rule(rule(ctx, OBJECTION_RULE)?));
    }
    named(by, "invalid_objection")?;
    Ok(ValuationEvent::ObjectionFiled {
        by: by.trim().to_owned(),
        on: ctx.today,
    })
}

/// The court's ruling on a pending objection: the report stands or its price is corrected.
pub fn decide_objection_ruling(
    state: &Valuation,
    corrected_price: Option<Fen>,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, Refusal> {
    if !matches!(state.objection, Objection::Pending { .. }) {
        return Err(Refusal::conflict("no_objection"));
    }
    if let Some(p) = corrected_price {
        positive(p)?;
    }
    Ok(ValuationEvent::ObjectionRuled {
        on: ctx.today,
        corrected_price,
    })
}

/// The reference price usable on `on`: determined, past any objection, and not expired.
pub fn reference_price(state: &Valuation, on: Date) -> Result<ReferencePrice, Refusal> {
    let Some(r) = &state.result else {
        return Err(Refusal::conflict("no_reference_price").with("method", state.method.as_str()));
    };
    match (&state.objection, r.objection_until) {
        (Objection::Pending { .. }, _) => {
            return Err(Refusal::conflict("objection_pending"));
        }
        (Objection::None, Some(until)) if on <= until => {
            return Err(Refusal::conflict("objection_period_open").with("until", until));
        }
        _ => {}
    }
    if on > r.valid_until {
        return Err(expired(r.valid_until));
    }
    Ok(ReferencePrice {
        price: r.price,
        method: r.method,
        determined_on: r.on,
        valid_until: r.valid_until,
    })
}

/// The reference price may no longer be used: it was valid until `valid_until`.
pub(crate) fn expired(valid_until: Date) -> Refusal {
    Refusal::conflict("reference_price_expired")
        .with("valid_until", valid_until)
        .with("rule", VALIDITY_RULE)
}

#[cfg(test)]
mod tests;
