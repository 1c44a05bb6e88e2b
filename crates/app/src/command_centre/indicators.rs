//! Indicators of the command centre (考核指标, DOMAIN §10): read from the rollups, never from
//! the cases, so the SPC's view of the whole country costs a few hundred rows.
//!
//! The rollups are written by `Tx::insert_case` / `Tx::update_case` in the transaction of
//! every case change (see `crates/store/src/indicators.rs`); [`recompute`] is the slow path
//! that folds every case again, for the consistency check and for [`rebuild`].

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::CaseState;
use zhixing_domain::case_number::CaseType;
use zhixing_domain::indicators::{self as ind, CaseFacts, Counters, Indicator, Metric, Targets};
use zhixing_store::courts::CourtRow;
use zhixing_store::indicators::{RollupQuery, Scope};

use crate::case::facts_of;
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// Longest period one query may cover: ten years of months.
const MAX_MONTHS: usize = 120;

/// A validated request: which court, whose cases, which months, which case type.
#[derive(Debug, Clone)]
pub struct Request {
    pub court_id: Option<String>,
    pub scope: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub case_type: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CourtRef {
    pub id: String,
    pub name: String,
    pub level: String,
}

impl From<&CourtRow> for CourtRef {
    fn from(c: &CourtRow) -> Self {
        CourtRef {
            id: c.id.clone(),
            name: c.name.clone(),
            level: c.level.clone(),
        }
    }
}

/// The indicators of one court and scope over a period.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub court: CourtRef,
    pub scope: &'static str,
    pub from: String,
    pub to: String,
    pub case_type: Option<String>,
    /// The filing months the three-year closure rate counts.
    pub three_years_from: String,
    pub officers: i64,
    pub counters: Map<String, Value>,
    pub indicators: Vec<Indicator>,
}

/// One month of a trend.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub month: String,
    pub counters: Map<String, Value>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub court: CourtRef,
    pub scope: &'static str,
    pub case_type: Option<String>,
    pub months: Vec<Point>,
}

/// A court below, with its subtree's indicators.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub court: CourtRef,
    pub counters: Map<String, Value>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ranking {
    pub court: CourtRef,
    pub from: String,
    pub to: String,
    pub case_type: Option<String>,
    /// The indicator the courts are ranked by, best first; courts without a value last.
    pub by: String,
    pub courts: Vec<Ranked>,
}

pub fn counters_json(c: &Counters) -> Map<String, Value> {
    Metric::ALL
        .iter()
        .map(|m| (m.column().to_owned(), Value::from(c.get(*m))))
        .collect()
}

struct Resolved {
    court: CourtRow,
    scope: Scope,
    from: String,
    to: String,
    case_type: Option<String>,
}

fn bad(code: &'static str, msg: impl Into<String>) -> AppError {
    AppError::bad_request(code, msg)
}

async fn resolve(app: &App, who: &Principal, r: &Request) -> Result<Resolved, AppError> {
    let court_id = r.court_id.as_deref().unwrap_or(&who.court_id);
    let court = app
        .store
        .court(court_id)
        .await?
        .filter(|c| who.may(Action::ReadCaseData, &c.path))
        .ok_or_else(|| AppError::not_found("court_not_found", format!("no court {court_id}")))?;
    let scope = match r.scope.as_deref().unwrap_or("subtree") {
        "self" => Scope::Own,
        "subtree" => Scope::Subtree,
        other => {
            return Err(bad(
                "invalid_scope",
                format!("scope must be self or subtree, not {other:?}"),
            ));
        }
    };
    // Sums over the courts below are for those who supervise them.
    if scope == Scope::Subtree && court.level != "basic" && !who.reads_below() {
        return Err(AppError::forbidden_as(
            "subtree_not_allowed",
            "only supervisors, division heads and auditors see the courts below",
        ));
    }
    let today = app.today();
    let this_month = ind::month_of(today);
    let to = r.to.clone().unwrap_or(this_month);
    let from = r
        .from
        .clone()
        .unwrap_or_else(|| format!("{}-01", to.get(..4).unwrap_or("2026")));
    let months = ind::months(&from, &to).ok_or_else(|| {
        bad(
            "invalid_period",
            "from and to are months as YYYY-MM, from not after to",
        )
    })?;
    if months.len() > MAX_MONTHS {
        return Err(bad(
            "invalid_period",
            format!("a period covers at most {MAX_MONTHS} months"),
        ));
    }
    let case_type = match r.case_type.as_deref() {
        None | Some("") => None,
        Some(t) => Some(
            CaseType::ALL
                .into_iter()
                .find(|c| c.code() == t)
                .ok_or_else(|| bad("invalid_case_type", format!("no case type {t:?}")))?
                .code()
                .to_owned(),
        ),
    };
    Ok(Resolved {
        court,
        scope,
        from,
        to,
        case_type,
    })
}

async fn targets(app: &App, court: &CourtRow) -> Result<Targets, AppError> {
    let rules = app.rules.current(&app.store).await?;
    app.calendar.current(&app.store).await?;
    let region = crate::case::region(court);
    let today = app.today();
    let get = |id: &str| rules.lookup(id, today, &region).ok().map(|r| r.value);
    Ok(Targets {
        on_time_with_property: get("indicators.on_time_with_property"),
        zhongben_compliance: get("indicators.zhongben_compliance"),
        complaint_resolution: get("indicators.complaint_resolution"),
        overall_closure_3y: get("indicators.overall_closure_3y"),
    })
}

fn three_years_from(to: &str) -> Result<String, AppError> {
    ind::months_before(to, 35).or_internal("ind::months_before(to, 35)")
}

/// `GET /api/v1/indicators`.
pub async fn summary(app: &App, who: &Principal, r: &Request) -> Result<Summary, AppError> {
    let x = resolve(app, who, r).await?;
    let q = RollupQuery {
        court_id: &x.court.id,
        scope: x.scope,
        from: &x.from,
        to: &x.to,
        case_type: x.case_type.as_deref(),
    };
    let period = app.store.rollup_sum(&q).await?;
    let three_from = three_years_from(&x.to)?;
    let three = app
        .store
        .rollup_sum(&RollupQuery {
            from: &three_from,
            ..q.clone()
        })
        .await?;
    let officers = app.store.count_officers(&x.court.id, x.scope).await?;
    let t = targets(app, &x.court).await?;
    Ok(Summary {
        court: CourtRef::from(&x.court),
        scope: scope_str(x.scope),
        indicators: ind::compute(&period, &three, officers, &t),
        counters: counters_json(&period),
        officers,
        three_years_from: three_from,
        from: x.from,
        to: x.to,
        case_type: x.case_type,
    })
}

fn scope_str(s: Scope) -> &'static str {
    match s {
        Scope::Own => "self",
        Scope::Subtree => "subtree",
    }
}

/// `GET /api/v1/indicators/trend`: every month of the period, with its own indicators (the
/// three-year rate of a month counts the 36 filing months ending with it).
pub async fn trend(app: &App, who: &Principal, r: &Request) -> Result<Trend, AppError> {
    let x = resolve(app, who, r).await?;
    let wide_from = three_years_from(&x.from)?;
    let rows = app
        .store
        .rollup_by_month(&RollupQuery {
            court_id: &x.court.id,
            scope: x.scope,
            from: &wide_from,
            to: &x.to,
            case_type: x.case_type.as_deref(),
        })
        .await?;
    let by_month: BTreeMap<String, Counters> = rows.into_iter().collect();
    let officers = app.store.count_officers(&x.court.id, x.scope).await?;
    let t = targets(app, &x.court).await?;
    let mut points = Vec::new();
    for month in ind::months(&x.from, &x.to).unwrap_or_default() {
        let period = by_month.get(&month).copied().unwrap_or_default();
        let start = three_years_from(&month)?;
        let mut three = Counters::default();
        for (_, c) in by_month.range(start..=month.clone()) {
            three.add(c);
        }
        points.push(Point {
            indicators: ind::compute(&period, &three, officers, &t),
            counters: counters_json(&period),
            month,
        });
    }
    Ok(Trend {
        court: CourtRef::from(&x.court),
        scope: scope_str(x.scope),
        case_type: x.case_type,
        months: points,
    })
}

/// `GET /api/v1/indicators/ranking`: the courts directly below, by one indicator.
pub async fn ranking(
    app: &App,
    who: &Principal,
    r: &Request,
    by: Option<&str>,
) -> Result<Ranking, AppError> {
    // A ranking is always over the subtrees; a scope it could not honour is still refused, as
    // on the other indicator routes.
    if let Some(s) = r.scope.as_deref()
        && s != "self"
        && s != "subtree"
    {
        return Err(bad(
            "invalid_scope",
            format!("scope must be self or subtree, not {s:?}"),
        ));
    }
    let x = resolve(
        app,
        who,
        &Request {
            scope: Some("subtree".into()),
            ..r.clone()
        },
    )
    .await?;
    let by = by.unwrap_or("on_time_with_property").to_owned();
    let probe = ind::compute(
        &Counters::default(),
        &Counters::default(),
        0,
        &Targets::default(),
    );
    if !probe.iter().any(|i| i.key == by) {
        return Err(bad("invalid_indicator", format!("no indicator {by:?}")));
    }
    let q = RollupQuery {
        court_id: &x.court.id,
        scope: Scope::Subtree,
        from: &x.from,
        to: &x.to,
        case_type: x.case_type.as_deref(),
    };
    let period: BTreeMap<String, Counters> =
        app.store.rollup_children(&q).await?.into_iter().collect();
    let three_from = three_years_from(&x.to)?;
    let three: BTreeMap<String, Counters> = app
        .store
        .rollup_children(&RollupQuery {
            from: &three_from,
            ..q.clone()
        })
        .await?
        .into_iter()
        .collect();
    let t = targets(app, &x.court).await?;
    let mut courts = Vec::new();
    for child in app.store.court_children(&x.court.id).await? {
        let p = period.get(&child.id).copied().unwrap_or_default();
        let th = three.get(&child.id).copied().unwrap_or_default();
        let officers = app.store.count_officers(&child.id, Scope::Subtree).await?;
        courts.push(Ranked {
            court: CourtRef::from(&child),
            counters: counters_json(&p),
            indicators: ind::compute(&p, &th, officers, &t),
        });
    }
    let value = |r: &Ranked| {
        r.indicators
            .iter()
            .find(|i| i.key == by)
            .and_then(|i| i.value)
    };
    // Best first; for days to close the lower the better.
    let lower_is_better = by == "average_days_to_close";
    courts.sort_by(|a, b| match (value(a), value(b)) {
        (Some(x), Some(y)) => {
            let o = x.total_cmp(&y);
            if lower_is_better { o } else { o.reverse() }
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.court.id.cmp(&b.court.id),
    });
    Ok(Ranking {
        court: CourtRef::from(&x.court),
        from: x.from,
        to: x.to,
        case_type: x.case_type,
        by,
        courts,
    })
}

/// What complaints and entrusted tasks contribute, per court path (the cases' share is in
/// their facts).
async fn other_contributions(app: &App) -> Result<Vec<(String, ind::Contribution)>, AppError> {
    let mut out = Vec::new();
    for (path, case_type, received_on, resolved_on, due) in
        app.store.complaints_for_indicators().await?
    {
        let month = received_on.get(..7).unwrap_or_default().to_owned();
        let resolved = resolved_on.map(|on| on <= due);
        out.push((path, ind::complaint(&case_type, &month, resolved)));
    }
    for (from, to, case_type, requested_on, due_on, status, completed_at) in
        app.store.entrusted_for_indicators().await?
    {
        let month = requested_on.get(..7).unwrap_or_default().to_owned();
        let done = match (status.as_str(), completed_at) {
            ("completed", Some(us)) => {
                let at = jiff::Timestamp::from_microsecond(us)
                    .or_internal("jiff::Timestamp::from_microsecond(us)")?;
                Some(crate::state::china_date(at).to_string() <= due_on)
            }
            _ => None,
        };
        let (sent, received) = ind::entrusted(&case_type, &month, done);
        out.push((from, sent));
        out.push((to, received));
    }
    Ok(out)
}

/// One rollup row as a recomputation produces it: (court, scope, month, case type).
pub type RollupKey = (String, String, String, String);

/// One page of cases after `after` (id order) with their court's path and their facts as
/// they stand; `courts` caches the courts read so far. Empty at the end.
async fn case_facts_page(
    app: &App,
    rules: &zhixing_domain::rules::RuleBook,
    courts: &mut BTreeMap<String, CourtRow>,
    after: i64,
) -> Result<Vec<(i64, String, CaseFacts)>, AppError> {
    let page = app.store.cases_for_indicators(after, 1000).await?;
    let mut out = Vec::with_capacity(page.len());
    for c in page {
        if !courts.contains_key(&c.court_id) {
            let k = app
                .store
                .court(&c.court_id)
                .await?
                .or_internal("court(c.court_id)")?;
            courts.insert(c.court_id.clone(), k);
        }
        let court = courts
            .get(&c.court_id)
            .or_internal("courts.get(c.court_id)")?;
        let state: CaseState =
            serde_json::from_str(&c.state).or_internal("serde_json::from_str(c.state)")?;
        out.push((c.id, c.court_path, facts_of(app, &state, court, rules)?));
    }
    Ok(out)
}

/// Folds every case again into rollup rows, without touching the stored ones: what the
/// rollups must equal.
pub async fn recompute(app: &App) -> Result<BTreeMap<RollupKey, Counters>, AppError> {
    let rules = app.rules.current(&app.store).await?;
    app.calendar.current(&app.store).await?;
    let mut courts = BTreeMap::new();
    let mut out: BTreeMap<RollupKey, Counters> = BTreeMap::new();
    // The same rows the store's `add_to_rollups` writes for a contribution at a court.
    let mut fold = |path: &str, contribution: ind::Contribution| {
        let rows = zhixing_store::indicators::rows_of(path);
        for ((month, ty), k) in contribution {
            for (court_id, scope) in &rows {
                out.entry((
                    (*court_id).to_owned(),
                    (*scope).to_owned(),
                    month.clone(),
                    ty.clone(),
                ))
                .or_default()
                .add(&k);
            }
        }
    };
    let mut after = 0;
    loop {
        let page = case_facts_page(app, &rules, &mut courts, after).await?;
        let Some(last) = page.last() else { break };
        after = last.0;
        for (_, path, facts) in page {
            fold(&path, facts.contribution());
        }
    }
    for (path, contribution) in other_contributions(app).await? {
        fold(&path, contribution);
    }
    out.retain(|_, c| !c.is_zero());
    Ok(out)
}

/// Rebuilds the rollups from the cases (a database from before the rollups, or after a
/// repair). One transaction: readers see the old sums or the new ones.
pub async fn rebuild(app: &App) -> Result<usize, AppError> {
    let rules = app.rules.current(&app.store).await?;
    app.calendar.current(&app.store).await?;
    let mut courts = BTreeMap::new();
    let mut tx = app.store.begin().await?;
    tx.clear_rollups().await?;
    let mut n = 0;
    let mut after = 0;
    loop {
        let page = case_facts_page(app, &rules, &mut courts, after).await?;
        let Some(last) = page.last() else { break };
        after = last.0;
        for (id, path, facts) in &page {
            tx.record_case_facts(*id, path, facts).await?;
            n += 1;
        }
    }
    for (path, contribution) in other_contributions(app).await? {
        tx.add_to_rollups(&path, &contribution).await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// At start: a database whose cases predate the rollups gets them built once.
pub async fn ensure_built(app: &App) -> Result<(), AppError> {
    if app.store.has_cases().await? && !app.store.has_case_facts().await? {
        let n = rebuild(app).await?;
        tracing::info!(cases = n, "indicator rollups built from the cases");
    }
    Ok(())
}
