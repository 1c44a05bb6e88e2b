//! The watch worker (监控): what must happen because time passed, not because someone asked.
//! Measures past their last day expire (the hold is lost); measures near it raise an alert
//! so that the officer renews in time; cases closed as 终本 are re-investigated every
//! interval of the rule book for its whole period; dishonest-list entries expire at the end of
//! their period, and removals and lifts the case data calls for are proposed. Several processes may run it at once:
//! every step is idempotent (an alert is unique per kind and subject, an expiry is a
//! conditional update, a re-investigation is due only if none was started since). The command
//! centre's alerts about cases — overdue and near deadlines, untouched cases, stuck listings —
//! are `service::alerts`, which reads only what is due or changed.

use std::collections::HashMap;

use serde_json::json;
use zhixing_domain::measure::days_left;
use zhixing_domain::rules::Unit;
use zhixing_store::NewEvent;

use crate::error::{AppError, OrInternal};
use crate::state::App;

/// What one sweep did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Sweep {
    pub expired: usize,
    pub alerts_raised: usize,
    pub rechecks_started: usize,
    /// Dishonest-list entries whose period ended.
    pub listings_expired: usize,
    /// Auctions whose bidding ended and whose outcome was recorded.
    pub auctions_closed: usize,
    /// Alerts that a year near today has no official calendar (on the administrators' queue).
    pub calendar_alerts_raised: usize,
    /// Alerts that a document is still unserved past the lead time after its issue.
    pub unserved_alerts_raised: usize,
    /// The command centre's alerts about cases (overdue and near deadlines, untouched cases,
    /// stuck listings), counted apart from the others: they come and go with every case.
    pub case_alerts_raised: usize,
    pub case_alerts_cleared: usize,
}

/// The rule-book region of each court, read once per sweep.
#[derive(Default)]
pub(crate) struct Regions(HashMap<String, String>);

impl Regions {
    pub(crate) async fn of(&mut self, app: &App, court_id: &str) -> Result<String, AppError> {
        if let Some(r) = self.0.get(court_id) {
            return Ok(r.clone());
        }
        let court = app
            .store
            .court(court_id)
            .await?
            .or_internal("court(court_id)")?;
        let r = crate::case::region(&court);
        self.0.insert(court_id.to_owned(), r.clone());
        Ok(r)
    }
}

/// How far before the previous pass the next one looks for changed cases: a transaction that
/// began before a pass but committed after it is still seen, as is a peer process's clock
/// running a little behind.
const CHANGED_SLACK_US: i64 = 10 * 60 * 1_000_000;

/// Runs [`sweep`] every `sweep_interval` until the task is dropped: a full pass first, then
/// passes that read only the cases changed since the previous one (less the slack).
pub async fn watch_forever(app: App) {
    let mut since = None;
    loop {
        let started = app.now_us();
        match sweep_changed(&app, since).await {
            Ok(_) => since = Some(started.saturating_sub(CHANGED_SLACK_US)),
            Err(e) => tracing::warn!(error = %e, "watch sweep failed"),
        }
        tokio::time::sleep(app.config.sweep_interval).await;
    }
}

/// The rule of how long before a measure's last day its alert is raised…
const EXPIRY_LEAD: &str = "investigation.measure.expiry_alert";
/// …and the lead when no version of it in days is in force for the region.
const DEFAULT_EXPIRY_LEAD: i64 = 30;

/// One full pass of the watch worker.
pub async fn sweep(app: &App) -> Result<Sweep, AppError> {
    sweep_changed(app, None).await
}

/// One pass; the credit step and the case-alerts step consider only cases changed at or after
/// `changed_since` (all when `None`; the case-alerts step then does its once-a-day work too).
/// Expiries and alerts by date always look at everything due.
pub async fn sweep_changed(app: &App, changed_since: Option<i64>) -> Result<Sweep, AppError> {
    let mut out = Sweep::default();
    let today = app.today();
    let now_us = app.now_us();
    let rules = app.rules.current(&app.store).await?;
    let mut regions = Regions::default();

    // Expiry first: a measure past its last day is no longer a warning but a loss.
    let mut tx = app.store.begin().await?;
    let expired = tx.expire_measures(&today.to_string(), now_us).await?;
    let mut events = Vec::new();
    for m in &expired {
        let subject = format!("measure:{}", m.id);
        tx.clear_alerts(&subject, &["measure_expiring"], now_us)
            .await?;
        tx.raise_alert(
            &m.court_id,
            Some(m.case_id),
            "measure_expired",
            &subject,
            &format!(
                "控制措施已于 {} 到期失效（未续行）：财产可能已不受控制",
                m.until.as_deref().unwrap_or("")
            ),
            &crate::command_centre::alerts::words(
                "alert_measure_expired",
                &[("until", m.until.clone().unwrap_or_default())],
            ),
            m.until.as_deref(),
            now_us,
        )
        .await?;
        events.push(NewEvent {
            actor: "system:watch".into(),
            court_id: Some(m.court_id.clone()),
            kind: "measure.expired".into(),
            subject: format!("case:{}", m.case_id),
            payload: json!({"measure": m.id, "until": m.until}),
        });
    }
    tx.append_events(now_us, &events).await?;
    tx.commit().await?;
    out.expired = expired.len();

    // Alerts before expiry, with the lead time of the court's region: only the measures
    // within the widest lead in force anywhere are read (along `measures_until`).
    let widest_lead = rules
        .versions_of(EXPIRY_LEAD)
        .unwrap_or_default()
        .iter()
        .filter(|v| v.effective_from <= today && v.effective_to.is_none_or(|to| today <= to))
        .filter(|v| v.unit == Unit::Days)
        .map(|v| v.value)
        .max()
        .unwrap_or(DEFAULT_EXPIRY_LEAD);
    let horizon = today
        .checked_add(jiff::Span::new().days(widest_lead.max(DEFAULT_EXPIRY_LEAD)))
        .unwrap_or(today);
    let expiring = app.store.measures_expiring(&horizon.to_string()).await?;
    let mut tx = app.store.begin().await?;
    let mut events = Vec::new();
    for m in expiring {
        let Some(until) = m.until.as_deref().and_then(|d| d.parse().ok()) else {
            continue;
        };
        let region = regions.of(app, &m.court_id).await?;
        let lead = match rules.value(EXPIRY_LEAD, today, &region) {
            Ok((n, Unit::Days)) => n,
            _ => DEFAULT_EXPIRY_LEAD,
        };
        let left = days_left(until, today);
        if left > lead {
            continue;
        }
        let renewing = if m.pending.as_deref() == Some("renew") {
            "（续行已申请，待机构回复）"
        } else {
            ""
        };
        let new = tx
            .raise_alert(
                &m.court_id,
                Some(m.case_id),
                "measure_expiring",
                &format!("measure:{}", m.id),
                &format!(
                    "{}措施将于 {until} 到期，剩 {left} 天：请在期满前续行{renewing}",
                    zhixing_domain::measure::MeasureKind::parse(&m.kind)
                        .map_or("控制", |k| k.name_zh())
                ),
                &crate::command_centre::alerts::words(
                    "alert_measure_expiring",
                    &[
                        ("measure", m.kind.clone()),
                        ("until", until.to_string()),
                        ("left", left.to_string()),
                        (
                            "renewing",
                            if renewing.is_empty() { "no" } else { "yes" }.to_owned(),
                        ),
                    ],
                ),
                Some(&until.to_string()),
                now_us,
            )
            .await?;
        if new {
            out.alerts_raised += 1;
            events.push(NewEvent {
                actor: "system:watch".into(),
                court_id: Some(m.court_id.clone()),
                kind: "alert.measure_expiring".into(),
                subject: format!("case:{}", m.case_id),
                payload: json!({"measure": m.id, "until": until, "days_left": left}),
            });
        }
    }
    tx.append_events(now_us, &events).await?;
    tx.commit().await?;

    out.alerts_raised += payouts_late(app, today, now_us).await?;
    // Documents unserved past the lead time after issue: their periods have not started.
    out.unserved_alerts_raised = crate::case::service::alert_unserved(app, today, now_us).await?;
    // Complaints (执行信访) open past their day to resolve.
    out.alerts_raised += crate::oversight::complaints::sweep(app, today, now_us).await?;
    out.rechecks_started = rechecks(app, &rules, today, &mut regions).await?;
    // Credit discipline: listings past their period expire; performed debts propose removal
    // of the listing and lifting of the restriction order (alerts, never done silently).
    let (listings_expired, proposed) = crate::credit::listings::sweep(app, changed_since).await?;
    out.auctions_closed = crate::disposal::auction::sweep(app).await?;
    out.listings_expired = listings_expired;
    out.alerts_raised += proposed;
    // Supervision orders (督办) unanswered past their deadline escalate to the issuing court;
    // entrusted tasks (事项委托) past their last day alert both courts.
    out.alerts_raised += crate::oversight::supervision::escalate_overdue(app).await?;
    out.alerts_raised += crate::oversight::entrusted::flag_overdue(app).await?;
    // Review cases (执异, 执复) still examined past their limit alert their court.
    out.alerts_raised += crate::review::flag_overdue(app).await?;
    // A year near today without an official calendar: provisional deadlines, never silent.
    out.calendar_alerts_raised = crate::platform::rules::sweep_calendar_gaps(app).await?;
    // The command centre's alerts last: a listing the credit step just expired is not stuck.
    let counted = crate::command_centre::alerts::sweep(app, changed_since).await?;
    out.case_alerts_raised = counted.raised;
    out.case_alerts_cleared = counted.cleared;
    Ok(out)
}

/// Money received more than the payout limit ago and not yet paid out (一案一账号: 30 days
/// from arrival, rule `funds.payout`) raises an alert; paying it out clears the alert.
async fn payouts_late(app: &App, today: jiff::civil::Date, now_us: i64) -> Result<usize, AppError> {
    let late = crate::disposal::funds::overdue_receipts(&app.store, today).await?;
    let still: std::collections::HashSet<String> = late
        .iter()
        .map(|r| format!("receipt:{}", r.receipt_id))
        .collect();
    let mut tx = app.store.begin().await?;
    let mut raised = 0;
    let mut events = Vec::new();
    for r in &late {
        let subject = format!("receipt:{}", r.receipt_id);
        let new = tx
            .raise_alert(
                &r.court_id,
                Some(r.case_id),
                "funds_overdue",
                &subject,
                &format!(
                    "案款 {} 元于 {} 到账，应于 {} 前发放，尚有 {} 元未发放",
                    r.amount, r.received_on, r.payout_due, r.outstanding
                ),
                &crate::command_centre::alerts::words(
                    "alert_funds_overdue",
                    &[
                        ("amount", r.amount.to_string()),
                        ("received", r.received_on.to_string()),
                        ("due", r.payout_due.to_string()),
                        ("outstanding", r.outstanding.to_string()),
                    ],
                ),
                Some(&r.payout_due.to_string()),
                now_us,
            )
            .await?;
        if new {
            raised += 1;
            events.push(NewEvent {
                actor: "system:watch".into(),
                court_id: Some(r.court_id.clone()),
                kind: "alert.funds_overdue".into(),
                subject: format!("case:{}", r.case_id),
                payload: json!({"receipt": r.receipt_id, "due": r.payout_due, "outstanding_fen": r.outstanding.get()}),
            });
        }
    }
    for a in app.store.open_alerts_of_kind("funds_overdue").await? {
        if !still.contains(&a.subject) {
            tx.clear_alerts(&a.subject, &["funds_overdue"], now_us)
                .await?;
        }
    }
    tx.append_events(now_us, &events).await?;
    tx.commit().await?;
    Ok(raised)
}

/// Marks read (and periods ended, unmarked in one transaction) at a time.
const RECHECK_PAGE: i64 = 500;

/// Starts the re-investigations that are due: every interval after closure (or after the
/// last investigation), for the period after closure, both from the rule book. Reads only the
/// marks (migration 0024) whose interval began long enough ago to be due under the shortest
/// interval in force in any region, a page at a time along their index; each is then checked
/// against its own region's rules. A mark whose period is over is removed.
async fn rechecks(
    app: &App,
    rules: &zhixing_domain::rules::RuleBook,
    today: jiff::civil::Date,
    regions: &mut Regions,
) -> Result<usize, AppError> {
    const INTERVAL: &str = "case.zhongben.recheck_interval";
    const PERIOD: &str = "case.zhongben.recheck_period";
    let span = |n: i64, unit: Unit| match unit {
        Unit::Years => Some(jiff::Span::new().years(n)),
        Unit::Months => Some(jiff::Span::new().months(n)),
        Unit::Days => Some(jiff::Span::new().days(n)),
        _ => None,
    };
    // The latest day an interval may have begun on and be due today: under the shortest
    // interval in force anywhere.
    let latest_start = rules
        .versions_of(INTERVAL)
        .unwrap_or_default()
        .iter()
        .filter(|v| v.effective_from <= today && v.effective_to.is_none_or(|to| today <= to))
        .filter_map(|v| span(v.value, v.unit).and_then(|s| today.checked_sub(s).ok()))
        .max();
    let Some(latest_start) = latest_start else {
        tracing::error!("rule {INTERVAL} is not in force: no re-investigation");
        return Ok(0);
    };
    let Some(before_us) = latest_start
        .tomorrow()
        .ok()
        .and_then(crate::state::china_day_start_us)
    else {
        return Ok(0);
    };
    let mut started = 0;
    let mut after = (i64::MIN, i64::MIN);
    loop {
        let page = app
            .store
            .zhongben_rechecks_due(before_us, after, RECHECK_PAGE)
            .await?;
        let mut over = Vec::new();
        for m in &page {
            after = (m.since_us, m.case_id);
            let region = regions.of(app, &m.court_id).await?;
            let (Ok((iv, iu)), Ok((pv, pu))) = (
                rules.value(INTERVAL, today, &region),
                rules.value(PERIOD, today, &region),
            ) else {
                continue;
            };
            let Ok(closed) = m.closed_on.parse::<jiff::civil::Date>() else {
                continue;
            };
            if span(pv, pu)
                .and_then(|s| closed.checked_add(s).ok())
                .is_none_or(|end| today > end)
            {
                over.push(m.case_id);
                continue;
            }
            let last = zhixing_store::from_micros(m.since_us)
                .ok()
                .map(crate::state::china_date)
                .map_or(closed, |d| d.max(closed));
            let due = span(iv, iu).and_then(|s| last.checked_add(s).ok());
            if due.is_some_and(|d| d <= today) {
                match crate::control::investigation::recheck(app, m.case_id).await {
                    Ok(_) => started += 1,
                    Err(e) => {
                        tracing::warn!(case = m.case_id, error = %e, "re-investigation not started")
                    }
                }
            }
        }
        if !over.is_empty() {
            let mut tx = app.store.begin().await?;
            for id in over {
                tx.unmark_zhongben_recheck(id).await?;
            }
            tx.commit().await?;
        }
        if i64::try_from(page.len()).unwrap_or(i64::MAX) < RECHECK_PAGE {
            break;
        }
    }
    Ok(started)
}
