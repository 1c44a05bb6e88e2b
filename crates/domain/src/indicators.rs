//! Indicators (考核指标, DOMAIN §10): what a case contributes to its court's counters, and the
//! rates computed from summed counters.
//!
//! Every indicator of the command centre is a ratio of sums, so the sums can be kept in
//! rollup rows per (court, month, case type) and added up over any set of months and courts.
//! A case contributes to two months: the month it was filed (`filed`, and `filed_closed`
//! while it is closed, for the three-year closure rate) and the month it closed (everything
//! about the closure). [`CaseFacts`] is that contribution, a pure function of the case's
//! state: the rollups equal a recomputation from the cases by construction, and the store
//! only ever adds the difference between a case's facts before and after a change.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::case::{self, CaseState, CaseStatus, ClosureMode};

/// One counter of a rollup row. The order is the column order of `indicator_rollups`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Cases filed (收案).
    Filed,
    /// Of the cases filed, those closed now (for the three-year overall closure rate).
    FiledClosed,
    /// Cases closed (结案).
    Closed,
    /// Closed within the legal time limit (法定期限内结案).
    ClosedInLimit,
    /// Closures of cases with property: every closure but 终本, which is the closure of a case
    /// without enforceable property.
    WithProperty,
    /// Of those, closed within the legal time limit.
    WithPropertyInLimit,
    /// Closed as fully performed (执行完毕).
    FullyPerformed,
    /// Closed by actual enforcement (实际执行): fully performed, or terminated after money
    /// was recovered (a settlement performed in part ends as 终结执行).
    Actual,
    /// Closed as 终本.
    Zhongben,
    /// 终本 closures meeting every item of the checklist (DOMAIN §4) on the day of closure.
    ZhongbenCompliant,
    /// Sum of the days from filing to closure.
    DaysToClose,
    /// Amount applied for in closed cases, in fen.
    AmountDue,
    /// Amount recovered in closed cases, in fen (never above what was due).
    AmountRecovered,
    /// Complaints (执行信访) registered.
    Complaints,
    /// Complaints resolved.
    ComplaintsResolved,
    /// Complaints resolved within their limit.
    ComplaintsResolvedInTime,
    /// Entrusted tasks (事项委托) sent by the court.
    EntrustedSent,
    /// Entrusted tasks received by the court.
    EntrustedReceived,
    /// Received tasks done.
    EntrustedDone,
    /// Received tasks done within their limit.
    EntrustedDoneInTime,
}

impl Metric {
    pub const COUNT: usize = 20;
    pub const ALL: [Metric; Metric::COUNT] = [
        Metric::Filed,
        Metric::FiledClosed,
        Metric::Closed,
        Metric::ClosedInLimit,
        Metric::WithProperty,
        Metric::WithPropertyInLimit,
        Metric::FullyPerformed,
        Metric::Actual,
        Metric::Zhongben,
        Metric::ZhongbenCompliant,
        Metric::DaysToClose,
        Metric::AmountDue,
        Metric::AmountRecovered,
        Metric::Complaints,
        Metric::ComplaintsResolved,
        Metric::ComplaintsResolvedInTime,
        Metric::EntrustedSent,
        Metric::EntrustedReceived,
        Metric::EntrustedDone,
        Metric::EntrustedDoneInTime,
    ];

    /// The column name in `indicator_rollups`.
    pub fn column(self) -> &'static str {
        match self {
            Metric::Filed => "filed",
            Metric::FiledClosed => "filed_closed",
            Metric::Closed => "closed",
            Metric::ClosedInLimit => "closed_in_limit",
            Metric::WithProperty => "with_property",
            Metric::WithPropertyInLimit => "with_property_in_limit",
            Metric::FullyPerformed => "fully_performed",
            Metric::Actual => "actual",
            Metric::Zhongben => "zhongben",
            Metric::ZhongbenCompliant => "zhongben_compliant",
            Metric::DaysToClose => "days_to_close",
            Metric::AmountDue => "amount_due",
            Metric::AmountRecovered => "amount_recovered",
            Metric::Complaints => "complaints",
            Metric::ComplaintsResolved => "complaints_resolved",
            Metric::ComplaintsResolvedInTime => "complaints_resolved_in_time",
            Metric::EntrustedSent => "entrusted_sent",
            Metric::EntrustedReceived => "entrusted_received",
            Metric::EntrustedDone => "entrusted_done",
            Metric::EntrustedDoneInTime => "entrusted_done_in_time",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A set of counters, one per [`Metric`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counters(pub [i64; Metric::COUNT]);

impl Counters {
    pub fn get(&self, m: Metric) -> i64 {
        self.0[m.index()]
    }
    pub fn set(&mut self, m: Metric, v: i64) {
        self.0[m.index()] = v;
    }
    pub fn add(&mut self, other: &Counters) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a = a.saturating_add(*b);
        }
    }
    pub fn sub(&mut self, other: &Counters) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a = a.saturating_sub(*b);
        }
    }
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|v| *v == 0)
    }
    pub fn one(m: Metric, v: i64) -> Counters {
        let mut c = Counters::default();
        c.set(m, v);
        c
    }
}

/// A rollup bucket: the month (`YYYY-MM`) and the case type code (执, 执恢, …).
pub type Bucket = (String, String);

/// Counters per bucket. A `BTreeMap` so that writes touch rows in a fixed order (no
/// deadlocks between two transactions updating the same rows).
pub type Contribution = BTreeMap<Bucket, Counters>;

pub fn month_of(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// What a case contributes to the indicators of its court.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseFacts {
    pub case_type: String,
    pub filed_month: String,
    /// `None` while the case is open.
    pub closure: Option<ClosureFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClosureFacts {
    pub month: String,
    pub mode: String,
    pub in_limit: bool,
    pub zhongben_compliant: bool,
    pub days: i64,
    pub due: i64,
    pub recovered: i64,
}

impl CaseFacts {
    /// The facts of a case as it stands. `ctx` is the case's rule context; only a closed
    /// case needs it (the conclusion deadline and the 终本 checklist), and both are judged as
    /// on the day of closure, so the facts never change while the case stays closed.
    pub fn of(state: &CaseState, ctx: &case::Ctx<'_>) -> Result<CaseFacts, case::Refusal> {
        let closure = match (&state.closure, state.status) {
            (Some((mode, reason, on)), CaseStatus::Closed) => {
                let at_closure = case::Ctx {
                    rules: ctx.rules,
                    calendar: ctx.calendar,
                    region: ctx.region,
                    today: *on,
                };
                let in_limit = case::deadlines(state, &at_closure)?
                    .iter()
                    .find(|d| d.node == "conclusion")
                    .is_some_and(|d| d.status == "done");
                let zhongben_compliant = *mode == ClosureMode::Zhongben
                    && case::closure_checklist(state, *mode, reason, &at_closure)?
                        .iter()
                        .all(|c| c.met);
                let due = state.total_due().get();
                Some(ClosureFacts {
                    month: month_of(*on),
                    mode: mode.as_str().to_owned(),
                    in_limit,
                    zhongben_compliant,
                    days: (*on - state.filed_on).get_days().into(),
                    due,
                    recovered: state.paid.min(state.total_due()).get(),
                })
            }
            _ => None,
        };
        Ok(CaseFacts {
            case_type: state.case_type.code().to_owned(),
            filed_month: month_of(state.filed_on),
            closure,
        })
    }

    /// The counters this case adds, per bucket.
    pub fn contribution(&self) -> Contribution {
        let mut out = Contribution::new();
        let mut filing = Counters::one(Metric::Filed, 1);
        if self.closure.is_some() {
            filing.set(Metric::FiledClosed, 1);
        }
        out.insert((self.filed_month.clone(), self.case_type.clone()), filing);
        if let Some(c) = &self.closure {
            let mode = ClosureMode::parse(&c.mode);
            let with_property = mode != Some(ClosureMode::Zhongben);
            let mut k = Counters::default();
            k.set(Metric::Closed, 1);
            k.set(Metric::ClosedInLimit, i64::from(c.in_limit));
            k.set(Metric::WithProperty, i64::from(with_property));
            k.set(
                Metric::WithPropertyInLimit,
                i64::from(with_property && c.in_limit),
            );
            k.set(
                Metric::FullyPerformed,
                i64::from(mode == Some(ClosureMode::FullyPerformed)),
            );
            let actual = mode == Some(ClosureMode::FullyPerformed)
                || (mode == Some(ClosureMode::Terminated) && c.recovered > 0);
            k.set(Metric::Actual, i64::from(actual));
            k.set(
                Metric::Zhongben,
                i64::from(mode == Some(ClosureMode::Zhongben)),
            );
            k.set(Metric::ZhongbenCompliant, i64::from(c.zhongben_compliant));
            k.set(Metric::DaysToClose, c.days);
            k.set(Metric::AmountDue, c.due);
            k.set(Metric::AmountRecovered, c.recovered);
            out.entry((c.month.clone(), self.case_type.clone()))
                .or_default()
                .add(&k);
        }
        out
    }
}

/// What an entrusted task (事项委托) contributes, counted in the month it was requested (a
/// cohort: of the tasks received in a period, how many were done, and in time): `Sent` to
/// the entrusting court, `Received` / `Done` / `DoneInTime` to the receiving court.
/// `done` is `Some(in_time)` once the result is returned.
pub fn entrusted(
    case_type: &str,
    requested_month: &str,
    done: Option<bool>,
) -> (Contribution, Contribution) {
    let bucket = (requested_month.to_owned(), case_type.to_owned());
    let mut to = Counters::one(Metric::EntrustedReceived, 1);
    if let Some(in_time) = done {
        to.set(Metric::EntrustedDone, 1);
        to.set(Metric::EntrustedDoneInTime, i64::from(in_time));
    }
    (
        Contribution::from([(bucket.clone(), Counters::one(Metric::EntrustedSent, 1))]),
        Contribution::from([(bucket, to)]),
    )
}

/// What a complaint (执行信访) contributes to its case's court, counted in the month it was
/// received (a cohort, like entrusted tasks). `resolved` is `Some(in_time)` once resolved.
pub fn complaint(case_type: &str, received_month: &str, resolved: Option<bool>) -> Contribution {
    let mut c = Counters::one(Metric::Complaints, 1);
    if let Some(in_time) = resolved {
        c.set(Metric::ComplaintsResolved, 1);
        c.set(Metric::ComplaintsResolvedInTime, i64::from(in_time));
    }
    Contribution::from([((received_month.to_owned(), case_type.to_owned()), c)])
}

/// What changes in the rollups when a contribution goes from `before` to `after`: only the
/// buckets whose counters differ.
pub fn delta(before: &Contribution, after: &Contribution) -> Contribution {
    let mut out = after.clone();
    for (bucket, c) in before {
        out.entry(bucket.clone()).or_default().sub(c);
    }
    out.retain(|_, c| !c.is_zero());
    out
}

/// The English name of an indicator named `name_zh`, for pages in English. Kept here, beside
/// the Chinese names, because an indicator's name can carry a figure of the rule book (the
/// three years of the overall closure rate) that pages may not write themselves.
pub fn english_name(name_zh: &str) -> Option<&'static str> {
    match name_zh {
        "近三年执行案件整体执结率" => Some("Overall closure rate, last three years"),
        _ => None,
    }
}

/// One indicator, computed from summed counters, with its target where it has one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub key: &'static str,
    pub name_zh: &'static str,
    pub numerator: i64,
    pub denominator: i64,
    /// `None` when the denominator is zero: no cases, no rate.
    pub value: Option<f64>,
    /// Percent, from the rule book.
    pub target: Option<i64>,
    pub meets_target: Option<bool>,
}

/// A rate indicator; `unit` 100 for percentages, 1 for averages.
fn rate(
    key: &'static str,
    name_zh: &'static str,
    numerator: i64,
    denominator: i64,
    target: Option<i64>,
) -> Indicator {
    let value = (denominator > 0).then(|| numerator as f64 / denominator as f64);
    Indicator {
        key,
        name_zh,
        numerator,
        denominator,
        value,
        target,
        meets_target: match (value, target) {
            (Some(v), Some(t)) => Some(v * 100.0 >= t as f64 - 1e-9),
            _ => None,
        },
    }
}

/// The targets of the "three 90%, one 80%" (rule book, percent).
#[derive(Debug, Clone, Copy, Default)]
pub struct Targets {
    pub on_time_with_property: Option<i64>,
    pub zhongben_compliance: Option<i64>,
    pub complaint_resolution: Option<i64>,
    pub overall_closure_3y: Option<i64>,
}

/// The key of every indicator `compute` gives, in its order.
pub fn keys() -> Vec<&'static str> {
    compute(
        &Counters::default(),
        &Counters::default(),
        0,
        &Targets::default(),
    )
    .into_iter()
    .map(|i| i.key)
    .collect()
}

/// The indicators of DOMAIN §10 from the counters of a period (`period`), the counters of
/// the three years ending with it (`three_years`, filing months), and the number of officers.
pub fn compute(
    period: &Counters,
    three_years: &Counters,
    officers: i64,
    t: &Targets,
) -> Vec<Indicator> {
    use Metric as M;
    let closed = period.get(M::Closed);
    vec![
        rate(
            "on_time_with_property",
            "有财产可供执行案件法定期限内实际执结率",
            period.get(M::WithPropertyInLimit),
            period.get(M::WithProperty),
            t.on_time_with_property,
        ),
        rate(
            "zhongben_compliance",
            "终本合格率",
            period.get(M::ZhongbenCompliant),
            period.get(M::Zhongben),
            t.zhongben_compliance,
        ),
        rate(
            "complaint_resolution",
            "执行信访办结率",
            period.get(M::ComplaintsResolved),
            period.get(M::Complaints),
            t.complaint_resolution,
        ),
        rate(
            "overall_closure_3y",
            "近三年执行案件整体执结率",
            three_years.get(M::FiledClosed),
            three_years.get(M::Filed),
            t.overall_closure_3y,
        ),
        rate(
            "actual_enforcement",
            "实际执行率",
            period.get(M::Actual),
            closed,
            None,
        ),
        rate(
            "recovery",
            "执行到位率",
            period.get(M::AmountRecovered),
            period.get(M::AmountDue),
            None,
        ),
        rate(
            "fully_performed",
            "执行完毕率",
            period.get(M::FullyPerformed),
            closed,
            None,
        ),
        rate(
            "closed_in_limit",
            "法定期限内结案率",
            period.get(M::ClosedInLimit),
            closed,
            None,
        ),
        rate(
            "average_days_to_close",
            "平均结案用时（天）",
            period.get(M::DaysToClose),
            closed,
            None,
        ),
        rate("closed_per_officer", "人均结案数", closed, officers, None),
        rate(
            "entrusted_done_in_time",
            "委托事项按期办结率",
            period.get(M::EntrustedDoneInTime),
            period.get(M::EntrustedReceived),
            None,
        ),
    ]
}

/// The months from `from` to `to` inclusive (`YYYY-MM`), or `None` if either is malformed
/// or `to` is before `from`.
pub fn months(from: &str, to: &str) -> Option<Vec<String>> {
    let (fy, fm) = parse_month(from)?;
    let (ty, tm) = parse_month(to)?;
    if (ty, tm) < (fy, fm) {
        return None;
    }
    let mut out = Vec::new();
    let (mut y, mut m) = (fy, fm);
    while (y, m) <= (ty, tm) {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    Some(out)
}

pub fn parse_month(s: &str) -> Option<(i32, i32)> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    ((1900..=9999).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

/// The month `n` months before `month` (`YYYY-MM`).
pub fn months_before(month: &str, n: i32) -> Option<String> {
    let (y, m) = parse_month(month)?;
    let total = y * 12 + (m - 1) - n;
    Some(format!("{:04}-{:02}", total / 12, total % 12 + 1))
}

#[cfg(test)]
mod tests;
