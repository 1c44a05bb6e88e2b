//! The command centre's alerts about cases (issue 7, item 2), raised and cleared by the watch
//! worker — never computed on page load: `node_overdue` (a statutory deadline of an open case
//! is past), `deadline_due_soon` (one falls within the rule book's lead time,
//! `alerts.deadline_lead`), `case_untouched` (an open case unchanged for
//! `alerts.untouched_days`) and `listing_past_end` (a dishonest listing still published after
//! its end: the expiry step is stuck on it). Each names its case and clears itself when its
//! condition goes.
//!
//! Scale (DOMAIN §13): the worker runs every minute over millions of open cases, so a pass
//! reads only what can have changed. Deadlines and untouchedness move with the date, so once
//! a day (the mark `case_alerts_day`) the worker reads the cases whose earliest open deadline
//! (`next_due`) falls within the widest lead — court by court along `cases_court_due` — and
//! the cases whose last change crossed the untouched threshold since the previous day — one
//! range of `cases_updated`. Every other pass reads only the cases changed since the previous
//! one. What a case calls for is compared with what is open, so a pass that finds nothing new
//! writes nothing and takes no write lock.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use serde_json::json;
use zhixing_domain::calendar::WorkingCalendar;
use zhixing_domain::case;
use zhixing_domain::rules::{RuleBook, Unit};
use zhixing_store::NewEvent;
use zhixing_store::cases::CaseRow;

use crate::case as svc;
use crate::command_centre::watch::Regions;
use crate::error::AppError;
use crate::state::App;

pub const NODE_OVERDUE: &str = "node_overdue";
pub const DUE_SOON: &str = "deadline_due_soon";
pub const UNTOUCHED: &str = "case_untouched";
pub const LISTING_PAST_END: &str = "listing_past_end";

/// Every kind of alert the platform raises; the list's `kind` filter accepts these.
pub const KINDS: [&str; 16] = [
    "measure_expiring",
    "measure_expired",
    "funds_overdue",
    "property_found",
    "dishonest_removal_due",
    "restriction_lift_due",
    NODE_OVERDUE,
    DUE_SOON,
    UNTOUCHED,
    LISTING_PAST_END,
    crate::oversight::supervision::OVERDUE_ALERT,
    crate::oversight::entrusted::OVERDUE_ALERT,
    crate::oversight::complaints::OVERDUE_ALERT,
    crate::review::OVERDUE_ALERT,
    crate::platform::rules::CALENDAR_ALERT,
    crate::case::service::UNSERVED_ALERT,
];

/// The kinds this step keeps in step with a case's data.
const CASE_KINDS: [&str; 3] = [NODE_OVERDUE, DUE_SOON, UNTOUCHED];
const DAY_MARK: &str = "case_alerts_day";
const LEAD_RULE: &str = "alerts.deadline_lead";
const UNTOUCHED_RULE: &str = "alerts.untouched_days";
/// Cases read (and alerts written, in one transaction) at a time.
const PAGE: i64 = 500;

/// What one pass of this step did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub raised: usize,
    pub cleared: usize,
}

/// An alert's words for the pages (`Tx::raise_alert`'s `params`): a message code of the
/// catalogue (`alert_*` in the server's `messages/`) and its parameters, each a string — a
/// date, a figure, a name as stored, or the code of a domain value (a measure's kind, a
/// review's kind…) that the page names in the viewer's language. The Chinese sentence beside
/// it (`message`) is what the API answers.
pub fn words(code: &str, args: &[(&str, String)]) -> String {
    let args: serde_json::Map<String, serde_json::Value> = args
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone())))
        .collect();
    json!({"code": code, "args": args}).to_string()
}

/// One alert a case calls for.
struct Want {
    kind: &'static str,
    subject: String,
    message: String,
    params: String,
    due_on: Option<String>,
}

/// The alerts one case calls for, among `kinds`.
struct CaseWants {
    case_id: i64,
    court_id: String,
    wants: Vec<Want>,
}

/// The start of a day in China Standard Time, in microseconds (legal days count there).
fn day_start_us(d: Date) -> Option<i64> {
    d.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .ok()
        .map(|z| z.timestamp().as_microsecond())
}

/// A case last changed before this moment has been untouched for `days` on `today`: its last
/// change fell on `today − days` or earlier.
fn untouched_cutoff(today: Date, days: i64) -> Option<i64> {
    today
        .checked_sub(jiff::Span::new().days(days.saturating_sub(1)))
        .ok()
        .and_then(day_start_us)
}

struct Pass<'a> {
    app: &'a App,
    rules: &'a RuleBook,
    calendar: &'a WorkingCalendar,
    today: Date,
    now_us: i64,
    regions: Regions,
    /// Region → the last day a deadline may fall on to be due soon (None: no lead in force).
    leads: HashMap<String, Option<Date>>,
    /// Region → (days, cutoff) of the untouched rule (None: not in force).
    untouched: HashMap<String, Option<(i64, i64)>>,
    counted: Counted,
}

/// The step, run by the watch worker after the credit step (so that a listing the expiry step
/// just removed is not reported as stuck). `changed_since` as in `watch::sweep_changed`.
pub async fn sweep(app: &App, changed_since: Option<i64>) -> Result<Counted, AppError> {
    let rules = app.rules.current(&app.store).await?;
    let calendar = app.calendar.current(&app.store).await?;
    let today = app.today();
    let mut pass = Pass {
        app,
        rules: &rules,
        calendar,
        today,
        now_us: app.now_us(),
        regions: Regions::default(),
        leads: HashMap::new(),
        untouched: HashMap::new(),
        counted: Counted::default(),
    };
    let done_day = app
        .store
        .watch_mark(DAY_MARK)
        .await?
        .and_then(|d| d.parse::<Date>().ok());
    if changed_since.is_none() || done_day.is_none_or(|d| d < today) {
        pass.daily(done_day).await?;
    }
    if let Some(since) = changed_since {
        pass.changed(since).await?;
    }
    pass.listings_past_end().await?;
    Ok(pass.counted)
}

impl Pass<'_> {
    /// The values of a rule in force today across every region that has a version of it.
    fn values_everywhere(&self, id: &str) -> Vec<(i64, Unit)> {
        let mut keys: Vec<String> = self
            .rules
            .versions_of(id)
            .unwrap_or_default()
            .iter()
            .map(|v| v.region.clone().unwrap_or_default())
            .collect();
        keys.sort();
        keys.dedup();
        keys.iter()
            .filter_map(|k| self.rules.value(id, self.today, k).ok())
            .collect()
    }

    fn lead_end_of(&self, n: i64, unit: Unit) -> Option<Date> {
        match unit {
            Unit::Days | Unit::WorkingDays => self.calendar.period_end(self.today, n, unit).ok(),
            _ => None,
        }
    }

    async fn lead_end(&mut self, court_id: &str) -> Result<Option<Date>, AppError> {
        let region = self.regions.of(self.app, court_id).await?;
        if let Some(l) = self.leads.get(&region) {
            return Ok(*l);
        }
        let l = match self.rules.value(LEAD_RULE, self.today, &region) {
            Ok((n, unit)) => self.lead_end_of(n, unit),
            Err(e) => {
                tracing::error!(error = %e, "no deadline lead in force: no due-soon alerts");
                None
            }
        };
        self.leads.insert(region, l);
        Ok(l)
    }

    async fn untouched_rule(&mut self, court_id: &str) -> Result<Option<(i64, i64)>, AppError> {
        let region = self.regions.of(self.app, court_id).await?;
        if let Some(u) = self.untouched.get(&region) {
            return Ok(*u);
        }
        let u = match self.rules.value(UNTOUCHED_RULE, self.today, &region) {
            Ok((n, Unit::Days)) if n > 0 => untouched_cutoff(self.today, n).map(|c| (n, c)),
            other => {
                tracing::error!(
                    ?other,
                    "no untouched-case rule in days: no untouched alerts"
                );
                None
            }
        };
        self.untouched.insert(region, u);
        Ok(u)
    }

    /// The alerts of `CASE_KINDS` a case calls for; None when its deadlines cannot be computed
    /// (then its alerts are left as they are, and the failure logged).
    async fn wants_of(&mut self, row: &CaseRow) -> Result<Option<CaseWants>, AppError> {
        let mut wants = Vec::new();
        if row.status == "closed" {
            return Ok(Some(CaseWants {
                case_id: row.id,
                court_id: row.court_id.clone(),
                wants,
            }));
        }
        let lead_end = self.lead_end(&row.court_id).await?;
        // `next_due` is the earliest open deadline: past the lead, no deadline is near (a
        // suspension only moves deadlines later), and the state need not even be parsed.
        let horizon = lead_end.unwrap_or(self.today).to_string();
        if row.next_due.as_str() <= horizon.as_str() {
            let state = svc::state_of(row)?;
            let region = self.regions.of(self.app, &row.court_id).await?;
            let ctx = case::Ctx {
                rules: self.rules,
                calendar: self.calendar,
                region: &region,
                today: self.today,
            };
            let ds = match case::deadlines(&state, &ctx) {
                Ok(ds) => ds,
                Err(e) => {
                    tracing::warn!(case = row.id, refusal = ?e, "deadlines not computed: alerts left as they are");
                    return Ok(None);
                }
            };
            for d in ds {
                let subject = format!("case:{}:node:{}", row.id, d.node);
                if d.status == "overdue" {
                    wants.push(Want {
                        kind: NODE_OVERDUE,
                        subject,
                        message: format!(
                            "「{}」已于 {} 届满，尚未完成（{}）",
                            d.title, d.due, d.citation
                        ),
                        params: words(
                            "alert_node_overdue",
                            &[
                                ("title", d.title.clone()),
                                ("due", d.due.to_string()),
                                ("citation", d.citation.clone()),
                            ],
                        ),
                        due_on: Some(d.due.to_string()),
                    });
                } else if d.status == "pending"
                    // A suspended case's conclusion is pending though its day passed: the
                    // clock is stopped, nothing is coming due.
                    && d.due >= self.today
                    && lead_end.is_some_and(|end| d.due <= end)
                {
                    wants.push(Want {
                        kind: DUE_SOON,
                        subject,
                        message: format!(
                            "「{}」将于 {} 届满，请及时办理（{}）",
                            d.title, d.due, d.citation
                        ),
                        params: words(
                            "alert_deadline_due_soon",
                            &[
                                ("title", d.title.clone()),
                                ("due", d.due.to_string()),
                                ("citation", d.citation.clone()),
                            ],
                        ),
                        due_on: Some(d.due.to_string()),
                    });
                }
            }
        }
        if let Some(w) = self
            .untouched_want(row.id, &row.court_id, &row.status, row.updated_at)
            .await?
        {
            wants.push(w);
        }
        Ok(Some(CaseWants {
            case_id: row.id,
            court_id: row.court_id.clone(),
            wants,
        }))
    }

    async fn untouched_want(
        &mut self,
        case_id: i64,
        court_id: &str,
        status: &str,
        updated_at: i64,
    ) -> Result<Option<Want>, AppError> {
        // A suspended case waits on something outside the court (bankruptcy, a retrial):
        // lying still is what it should do.
        if !matches!(status, "open" | "pending_closure") {
            return Ok(None);
        }
        let Some((days, cutoff)) = self.untouched_rule(court_id).await? else {
            return Ok(None);
        };
        if updated_at >= cutoff {
            return Ok(None);
        }
        let last = zhixing_store::from_micros(updated_at)
            .map(crate::state::china_date)
            .map(|d| d.to_string())
            .unwrap_or_default();
        Ok(Some(Want {
            kind: UNTOUCHED,
            subject: format!("case:{case_id}:untouched"),
            message: format!("案件自 {last} 起已逾 {days} 日无任何办理动态"),
            params: words(
                "alert_case_untouched",
                &[("last", last.clone()), ("days", days.to_string())],
            ),
            due_on: None,
        }))
    }

    /// Makes the open alerts of `kinds` on these cases exactly what they call for: raises the
    /// missing (or changed) ones, clears the rest. One transaction with its events, opened only
    /// when there is something to write.
    async fn reconcile(&mut self, cases: Vec<CaseWants>, kinds: &[&str]) -> Result<(), AppError> {
        if cases.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = cases.iter().map(|c| c.case_id).collect();
        let open = self.app.store.open_alerts_of_cases(&ids, kinds).await?;
        let open_by: HashMap<(&str, &str), &zhixing_store::measures::AlertRow> = open
            .iter()
            .map(|a| ((a.kind.as_str(), a.subject.as_str()), a))
            .collect();
        let mut keep: HashSet<(String, String)> = HashSet::new();
        let mut raise = Vec::new();
        for c in &cases {
            for w in &c.wants {
                keep.insert((w.kind.to_owned(), w.subject.clone()));
                let same = open_by
                    .get(&(w.kind, w.subject.as_str()))
                    // An alert raised before its words were stored as a code and parameters
                    // is raised again to store them.
                    .is_some_and(|a| {
                        a.due_on == w.due_on
                            && a.message == w.message
                            && a.params.as_deref() == Some(w.params.as_str())
                    });
                if !same {
                    raise.push((c, w));
                }
            }
        }
        let clear: Vec<_> = open
            .iter()
            .filter(|a| !keep.contains(&(a.kind.clone(), a.subject.clone())))
            .collect();
        if raise.is_empty() && clear.is_empty() {
            return Ok(());
        }
        let now_us = self.now_us;
        let mut tx = self.app.store.begin().await?;
        let mut events = Vec::new();
        for (c, w) in raise {
            let new = tx
                .raise_alert(
                    &c.court_id,
                    Some(c.case_id),
                    w.kind,
                    &w.subject,
                    &w.message,
                    &w.params,
                    w.due_on.as_deref(),
                    now_us,
                )
                .await?;
            if new {
                self.counted.raised += 1;
                events.push(NewEvent {
                    actor: "system:watch".into(),
                    court_id: Some(c.court_id.clone()),
                    kind: format!("alert.{}", w.kind),
                    subject: format!("case:{}", c.case_id),
                    payload: json!({"alert": w.subject, "due": w.due_on}),
                });
            }
        }
        for a in clear {
            tx.clear_alerts(&a.subject, &[a.kind.as_str()], now_us)
                .await?;
            self.counted.cleared += 1;
            events.push(NewEvent {
                actor: "system:watch".into(),
                court_id: Some(a.court_id.clone()),
                kind: "alert.cleared".into(),
                subject: a
                    .case_id
                    .map_or_else(|| a.subject.clone(), |id| format!("case:{id}")),
                payload: json!({"alert": a.subject, "kind": a.kind}),
            });
        }
        tx.append_events(now_us, &events).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn reconcile_rows(&mut self, rows: &[CaseRow]) -> Result<(), AppError> {
        let mut batch = Vec::with_capacity(rows.len());
        for r in rows {
            if let Some(w) = self.wants_of(r).await? {
                batch.push(w);
            }
        }
        self.reconcile(batch, &CASE_KINDS).await
    }

    /// Once a day: everything the date alone moves.
    async fn daily(&mut self, done_day: Option<Date>) -> Result<(), AppError> {
        // Deadlines: cases whose earliest open deadline is within the widest lead of any
        // region (each case then gets its own region's lead).
        let horizon = self
            .values_everywhere(LEAD_RULE)
            .into_iter()
            .filter_map(|(n, u)| self.lead_end_of(n, u))
            .max()
            .unwrap_or(self.today)
            .max(self.today)
            .to_string();
        for court in self.app.store.court_ids().await? {
            let mut after = (String::new(), 0i64);
            loop {
                let rows = self
                    .app
                    .store
                    .due_cases(&court, &horizon, (&after.0, after.1), PAGE)
                    .await?;
                let Some(last) = rows.last() else { break };
                after = (last.next_due.clone(), last.id);
                self.reconcile_rows(&rows).await?;
                if (rows.len() as i64) < PAGE {
                    break;
                }
            }
        }
        // Deadline alerts on cases the pass above no longer reaches: closed, or the node done,
        // by a change no pass saw (no process was running).
        let stale = self
            .app
            .store
            .cases_with_stale_alerts(NODE_OVERDUE, DUE_SOON, &horizon)
            .await?;
        for ids in stale.chunks(PAGE as usize) {
            let mut rows = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(r) = self.app.store.case(*id).await? {
                    rows.push(r);
                }
            }
            self.reconcile_rows(&rows).await?;
        }

        // Untouched: the cases whose last change crossed the threshold since the day last
        // done (all of history the first time ever), as one range of `cases_updated`.
        let days: Vec<i64> = self
            .values_everywhere(UNTOUCHED_RULE)
            .into_iter()
            .filter(|(n, u)| *u == Unit::Days && *n > 0)
            .map(|(n, _)| n)
            .collect();
        if let (Some(shortest), Some(longest)) = (days.iter().min(), days.iter().max()) {
            let from = done_day
                .and_then(|d| untouched_cutoff(d, *longest))
                .unwrap_or(i64::MIN);
            let to = untouched_cutoff(self.today, *shortest).unwrap_or(i64::MIN);
            let mut after = (i64::MIN, 0i64);
            loop {
                let rows = self
                    .app
                    .store
                    .cases_last_changed_between(from, to, after, PAGE)
                    .await?;
                let Some(last) = rows.last() else { break };
                after = (last.updated_at, last.id);
                let mut batch = Vec::with_capacity(rows.len());
                for r in &rows {
                    let wants = self
                        .untouched_want(r.id, &r.court_id, &r.status, r.updated_at)
                        .await?
                        .into_iter()
                        .collect();
                    batch.push(CaseWants {
                        case_id: r.id,
                        court_id: r.court_id.clone(),
                        wants,
                    });
                }
                self.reconcile(batch, &[UNTOUCHED]).await?;
                if (rows.len() as i64) < PAGE {
                    break;
                }
            }
            // Untouched alerts on cases touched, suspended or closed by a change no pass saw.
            let earliest = untouched_cutoff(self.today, *longest).unwrap_or(i64::MIN);
            let touched = self
                .app
                .store
                .touched_cases_with_alert(UNTOUCHED, earliest)
                .await?;
            for rows in touched.chunks(PAGE as usize) {
                let mut batch = Vec::with_capacity(rows.len());
                for r in rows {
                    let wants = self
                        .untouched_want(r.id, &r.court_id, &r.status, r.updated_at)
                        .await?
                        .into_iter()
                        .collect();
                    batch.push(CaseWants {
                        case_id: r.id,
                        court_id: r.court_id.clone(),
                        wants,
                    });
                }
                self.reconcile(batch, &[UNTOUCHED]).await?;
            }
        }

        if done_day.is_none_or(|d| d < self.today) {
            let mut tx = self.app.store.begin().await?;
            tx.set_watch_mark(DAY_MARK, &self.today.to_string()).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Every pass: the cases changed since the previous one (touched, a node done, closed…).
    async fn changed(&mut self, since: i64) -> Result<(), AppError> {
        let mut after = (i64::MIN, 0i64);
        loop {
            let rows = self.app.store.changed_cases(since, after, PAGE).await?;
            let Some(last) = rows.last() else { break };
            after = (last.updated_at, last.id);
            self.reconcile_rows(&rows).await?;
            if (rows.len() as i64) < PAGE {
                break;
            }
        }
        Ok(())
    }

    /// Listings still published after their end, once the expiry step of this very pass has
    /// run: it is stuck on them (the case data disagrees, a failure). Few, so every pass
    /// compares them with the open alerts of the kind.
    async fn listings_past_end(&mut self) -> Result<(), AppError> {
        let stuck = self
            .app
            .store
            .listings_ending_before(&self.today.to_string())
            .await?;
        let mut by_case: HashMap<i64, CaseWants> = HashMap::new();
        for l in &stuck {
            let ends = l.ends_on.clone().unwrap_or_default();
            by_case
                .entry(l.case_id)
                .or_insert_with(|| CaseWants {
                    case_id: l.case_id,
                    court_id: l.court_id.clone(),
                    wants: Vec::new(),
                })
                .wants
                .push(Want {
                    kind: LISTING_PAST_END,
                    subject: format!("case:{}:listing:{}", l.case_id, l.no),
                    message: format!(
                        "{}（失信名单 {}）纳入期限已于 {ends} 届满，仍在公布：请核查并删除",
                        l.name, l.no
                    ),
                    params: words(
                        "alert_listing_past_end",
                        &[
                            ("name", l.name.clone()),
                            ("no", l.no.to_string()),
                            ("ends", ends.clone()),
                        ],
                    ),
                    due_on: Some(ends),
                });
        }
        for a in self.app.store.open_alerts_of_kind(LISTING_PAST_END).await? {
            if let Some(case_id) = a.case_id {
                by_case.entry(case_id).or_insert_with(|| CaseWants {
                    case_id,
                    court_id: a.court_id.clone(),
                    wants: Vec::new(),
                });
            }
        }
        self.reconcile(by_case.into_values().collect(), &[LISTING_PAST_END])
            .await
    }
}
