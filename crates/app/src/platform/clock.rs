//! Training mode's clock (演练模式). `zhixing demo --simulated-clock START` runs the platform
//! on a [`SimulatedClock`]: it starts at START, runs on in real time, and an administrator of
//! the SPC moves it forward — a day, or to a chosen moment — to let people practise what
//! takes weeks (an auction's announcement period, a freeze's renewal before its last day) in
//! minutes. Each advance is an audited event, followed at once by a pass of the watch worker,
//! so that measures expire, alerts rise and auctions close at the new time. On a real clock
//! (`zhixing serve`) nothing here moves anything: the advance is refused.

use jiff::Timestamp;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::refusal::Refusal;
use zhixing_store::NewEvent;

use crate::error::AppError;
use crate::state::{App, Clock, SimulatedClock};

/// The court at the root of the tree, whose administrators own the platform's one clock.
const ROOT_PATH: &str = "/spc/";

/// The most days one advance may move the clock: a bound on a typing mistake (36500 for
/// 365), not a rule of law.
pub const MAX_DAYS: i64 = 3660;

/// How far to move the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    /// This many days on (at the same time of day).
    Days(i64),
    /// To this moment.
    To(Timestamp),
}

/// The platform's clock as the doors show it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClockView {
    /// The platform's time now (RFC 3339, UTC).
    pub now: String,
    /// Today in Beijing time, the date legal periods count in.
    pub today: String,
    /// The time now in Beijing time, `YYYY-MM-DD HH:MM`.
    pub now_beijing: String,
    /// Whether the platform runs in training mode on a simulated clock, which an
    /// administrator of the SPC may advance.
    pub simulated: bool,
}

/// What one advance did.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Advanced {
    /// The time before and after the advance (RFC 3339).
    pub from: String,
    pub to: String,
    pub clock: ClockView,
    /// What the watch worker did at once at the new time (absent if its pass failed: the
    /// worker's next regular pass does it then).
    pub sweep: Option<SweepDone>,
}

/// The counts of one pass of the watch worker.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SweepDone {
    pub measures_expired: usize,
    pub alerts_raised: usize,
    pub rechecks_started: usize,
    pub listings_expired: usize,
    pub auctions_closed: usize,
}

fn beijing() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::fixed(jiff::tz::offset(8))
}

/// A moment in Beijing time to the minute, as pages and messages write it.
pub fn beijing_minutes(t: Timestamp) -> String {
    t.to_zoned(beijing()).strftime("%Y-%m-%d %H:%M").to_string()
}

/// A moment as an administrator (or `--simulated-clock`) writes it: RFC 3339 with its offset
/// (`2026-01-05T09:00+08:00`), a Beijing wall time (`2026-01-05T09:00`, `2026-01-05 09:00`,
/// as a `datetime-local` input sends it), or a bare date, meaning 09:00 Beijing time — the
/// start of a court's working day.
pub fn parse_moment(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    // RFC 3339 allows a minute-precision time with an offset; jiff wants seconds there.
    if let Ok(z) = jiff::fmt::temporal::DateTimeParser::new().parse_zoned(s) {
        return Some(z.timestamp());
    }
    // jiff reads a date out of a date and time too: only a bare date is one.
    if s.len() == "2026-01-05".len() {
        let d = s.parse::<jiff::civil::Date>().ok()?;
        return d
            .at(9, 0, 0, 0)
            .to_zoned(beijing())
            .ok()
            .map(|z| z.timestamp());
    }
    let wall = s.replacen(' ', "T", 1);
    wall.parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|dt| dt.to_zoned(beijing()).ok())
        .map(|z| z.timestamp())
}

/// The advance a door's fields ask for: `days` on, or `to` a moment — one of the two.
pub fn advance_of(days: Option<i64>, to: Option<&str>) -> Result<Advance, AppError> {
    let to = to.map(str::trim).filter(|s| !s.is_empty());
    match (days, to) {
        (Some(n), None) => Ok(Advance::Days(n)),
        (None, Some(s)) => parse_moment(s)
            .map(Advance::To)
            .ok_or_else(|| Refusal::invalid("clock_time_invalid").into()),
        _ => Err(Refusal::invalid("clock_advance_invalid").into()),
    }
}

/// Where a training clock starting at `start` has to start instead on a database already
/// used: no earlier than its newest record, so that what is done next never comes before what
/// was done (a demo restarted after its clock was advanced goes on from there).
pub async fn start_after_records(
    store: &zhixing_store::Store,
    start: Timestamp,
) -> Result<Timestamp, AppError> {
    // The latest moment among the last events appended, not the moment of the very last:
    // a worker's transaction stamped before an advance may commit after it.
    let newest = store
        .list_events(&zhixing_store::events::EventFilter {
            limit: 1000,
            newest_first: true,
            ..Default::default()
        })
        .await?;
    let last = newest
        .iter()
        .map(|e| e.at_us)
        .max()
        .and_then(|us| zhixing_store::from_micros(us).ok());
    Ok(match last {
        Some(t) if t > start => t,
        _ => start,
    })
}

/// The clock now.
pub fn view(app: &App) -> ClockView {
    let now = app.now();
    ClockView {
        now: now.to_string(),
        today: crate::state::china_date(now).to_string(),
        now_beijing: beijing_minutes(now),
        simulated: app.clock.simulated().is_some(),
    }
}

/// Whether `by` may advance the clock (the administrators' page shows its forms only then).
pub fn may_advance(by: &Principal) -> bool {
    by.may(Action::SetClock, ROOT_PATH)
}

/// Moves training mode's clock forward for `by`, an administrator of the SPC; then lets the
/// watch worker do at once what the new time calls for.
pub async fn advance(app: &App, by: &Principal, how: Advance) -> Result<Advanced, AppError> {
    if !may_advance(by) {
        return Err(AppError::forbidden(
            "only an administrator of the Supreme People's Court may advance the clock",
        ));
    }
    let Some(clock) = app.clock.simulated() else {
        return Err(Refusal::conflict("clock_not_simulated").into());
    };
    let from = clock.now();
    let to = match how {
        Advance::Days(n) if (1..=MAX_DAYS).contains(&n) => from
            .checked_add(jiff::SignedDuration::from_hours(n.saturating_mul(24)))
            .map_err(|_| Refusal::invalid("clock_days_invalid").with("max", MAX_DAYS))?,
        Advance::Days(_) => {
            return Err(Refusal::invalid("clock_days_invalid")
                .with("max", MAX_DAYS)
                .into());
        }
        Advance::To(t) => t,
    };
    if to <= from {
        return Err(backwards(from));
    }
    move_and_record(app, by, clock, from, to).await?;
    let sweep = match crate::command_centre::watch::sweep(app).await {
        Ok(s) => Some(SweepDone {
            measures_expired: s.expired,
            alerts_raised: s.alerts_raised + s.case_alerts_raised,
            rechecks_started: s.rechecks_started,
            listings_expired: s.listings_expired,
            auctions_closed: s.auctions_closed,
        }),
        Err(e) => {
            tracing::warn!(error = %e, "watch pass after the clock's advance failed");
            None
        }
    };
    Ok(Advanced {
        from: from.to_string(),
        to: to.to_string(),
        clock: view(app),
        sweep,
    })
}

/// The event and the move in one transaction: the clock moves only once the event is written
/// (and is held by the audit chain's lock), and if it cannot move — another advance took it
/// past `to` meanwhile — the event is rolled back.
async fn move_and_record(
    app: &App,
    by: &Principal,
    clock: &SimulatedClock,
    from: Timestamp,
    to: Timestamp,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    tx.append_events(
        from.as_microsecond(),
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(by.court_id.clone()),
            kind: "platform.clock_advanced".into(),
            subject: "platform:clock".into(),
            payload: json!({"from": from.to_string(), "to": to.to_string()}),
        }],
    )
    .await?;
    clock.advance_to(to).map_err(backwards)?;
    if let Err(e) = tx.commit().await {
        // The clock cannot go back: say so loudly, the audit trail lacks this advance.
        tracing::error!(error = %e, %from, %to, "the clock advanced but its event was not committed");
        return Err(e.into());
    }
    Ok(())
}

fn backwards(now: Timestamp) -> AppError {
    Refusal::invalid("clock_backwards")
        .with("now", beijing_minutes(now))
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_read_as_written_or_in_beijing_time() {
        let t = |s: &str| parse_moment(s).map(|t| t.to_string());
        assert_eq!(
            t("2026-01-05T09:00+08:00").as_deref(),
            Some("2026-01-05T01:00:00Z")
        );
        assert_eq!(
            t("2026-01-05T01:00:00Z").as_deref(),
            Some("2026-01-05T01:00:00Z")
        );
        assert_eq!(t("2026-01-05").as_deref(), Some("2026-01-05T01:00:00Z"));
        assert_eq!(
            t("2026-01-05T09:30").as_deref(),
            Some("2026-01-05T01:30:00Z")
        );
        assert_eq!(
            t("2026-01-05 09:30").as_deref(),
            Some("2026-01-05T01:30:00Z")
        );
        assert_eq!(t("next monday"), None);
        assert_eq!(t("2026-02-30"), None);
    }

    #[test]
    fn the_simulated_clock_runs_on_and_never_goes_back() {
        let start: Timestamp = "2026-01-05T01:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let c = SimulatedClock::new(start);
        let now = Clock::now(&c);
        assert!(now >= start);
        let later = start
            .checked_add(jiff::SignedDuration::from_hours(48))
            .unwrap_or(start);
        assert!(c.advance_to(later).is_ok());
        assert!(Clock::now(&c) >= later);
        assert!(c.advance_to(start).is_err(), "not back to the start");
        assert!(Clock::now(&c) >= later);
    }
}
