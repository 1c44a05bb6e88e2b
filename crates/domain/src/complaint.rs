//! Complaints (执行信访) and hotline reports (热线来电) against a case: the channel they came by,
//! their status, and the working-day deadlines of the rule book (DOMAIN §11) — registered
//! within `complaints.register` of receipt, resolved within `complaints.resolve` of
//! registration. The resolution rate is a headline indicator, so the dates are kept, not
//! recomputed.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingCalendar;
use crate::case::Refusal;
use crate::refusal::{Reason, RefusalKind};
use crate::rules::RuleBook;

/// The rule giving the time limit to register a complaint, counted from its receipt.
pub const REGISTER_RULE: &str = "complaints.register";
/// The rule giving the time limit to resolve a complaint, counted from its registration.
pub const RESOLVE_RULE: &str = "complaints.resolve";

/// The longest complainant name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest summary or result text, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

/// How a complaint (信访渠道) reached the court.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 来访 — in person.
    Visit,
    /// 来信 — by letter.
    Letter,
    /// 热线 — by the hotline (12368).
    Hotline,
    /// 网上信访 — online.
    Online,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Visit,
        Channel::Letter,
        Channel::Hotline,
        Channel::Online,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Visit => "visit",
            Channel::Letter => "letter",
            Channel::Hotline => "hotline",
            Channel::Online => "online",
        }
    }
    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            Channel::Visit => "来访",
            Channel::Letter => "来信",
            Channel::Hotline => "热线",
            Channel::Online => "网上信访",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Channel::Visit => "Visit",
            Channel::Letter => "Letter",
            Channel::Hotline => "Hotline",
            Channel::Online => "Online",
        }
    }
}

/// Where a complaint (信访状态) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已登记 — registered, being handled.
    Registered,
    /// 已办结 — resolved, with the reply to the complainant.
    Resolved,
}

impl Status {
    pub const ALL: [Status; 2] = [Status::Registered, Status::Resolved];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Resolved => "resolved",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            Status::Registered => "办理中",
            Status::Resolved => "已办结",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Status::Registered => "In progress",
            Status::Resolved => "Closed",
        }
    }
}

/// The deadlines (办理期限) of one complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// The last day to register it: `complaints.register` after receipt.
    pub register_by: Date,
    /// The last day to resolve it: `complaints.resolve` after registration.
    pub resolve_by: Date,
}

fn period(
    rules: &RuleBook,
    calendar: &WorkingCalendar,
    rule: &str,
    start: Date,
    rule_date: Date,
    region: &str,
) -> Result<Date, Refusal> {
    let r = rules.lookup(rule, rule_date, region)?;
    calendar
        .period_end(start, r.value, r.unit)
        .map_err(crate::case::calendar_fault)
}

/// The deadlines of a complaint received on `received_on` and registered on `registered_on`,
/// by the rule versions in force on the day it was received.
pub fn deadlines(
    received_on: Date,
    registered_on: Date,
    rules: &RuleBook,
    calendar: &WorkingCalendar,
    region: &str,
) -> Result<Deadlines, Refusal> {
    Ok(Deadlines {
        register_by: period(
            rules,
            calendar,
            REGISTER_RULE,
            received_on,
            received_on,
            region,
        )?,
        resolve_by: period(
            rules,
            calendar,
            RESOLVE_RULE,
            registered_on,
            received_on,
            region,
        )?,
    })
}

/// A complaint as typed, checked before anything is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub channel: Channel,
    pub complainant: String,
    pub summary: String,
    pub received_on: Date,
}

/// Checks a registration made on `today`; every problem at once.
pub fn check_registration(
    channel: &str,
    complainant: &str,
    summary: &str,
    received_on: Date,
    today: Date,
) -> Result<Registration, Refusal> {
    let mut problems: Vec<Reason> = Vec::new();
    let ch = Channel::parse(channel.trim());
    if ch.is_none() {
        problems.push(Reason::new("unknown_channel").with("channel", channel));
    }
    let name = complainant.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        problems.push(
            Reason::new("invalid_complainant")
                .with("min", 1)
                .with("max", MAX_NAME_CHARS),
        );
    }
    let text = summary.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        problems.push(
            Reason::new("invalid_summary")
                .with("min", 1)
                .with("max", MAX_TEXT_CHARS),
        );
    }
    if received_on > today {
        problems.push(
            Reason::new("received_in_future")
                .with("received_on", received_on)
                .with("today", today),
        );
    }
    match (ch, problems.first()) {
        (Some(channel), None) => Ok(Registration {
            channel,
            complainant: name.to_owned(),
            summary: text.to_owned(),
            received_on,
        }),
        (_, first) => {
            // The refusal goes by its first problem's code; each problem has its own words.
            let code = first.map_or("invalid_complaint", |p| p.code);
            Err(Refusal::of_reasons(code, RefusalKind::Invalid, problems))
        }
    }
}

/// Checks a resolution: the complaint must still be open, the reply 1–4,000 characters.
pub fn check_resolution(status: Status, result: &str) -> Result<String, Refusal> {
    if status == Status::Resolved {
        return Err(Refusal::conflict("already_resolved"));
    }
    let text = result.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        return Err(crate::case::refused_as(
            "invalid_result",
            RefusalKind::Invalid,
            Reason::new("complaint_result_length")
                .with("min", 1)
                .with("max", MAX_TEXT_CHARS),
        ));
    }
    Ok(text.to_owned())
}

/// An open complaint is overdue once the day to resolve it has passed.
pub fn overdue(status: Status, resolve_by: Date, today: Date) -> bool {
    status == Status::Registered && today > resolve_by
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use jiff::civil::date;

    const RULES: &str = r#"
[[rule]]
id = "complaints.register"
title = "登记"
value = 5
unit = "working_days"
citation = "test"
effective_from = "2017-01-01"

[[rule]]
id = "complaints.resolve"
title = "办结"
value = 30
unit = "working_days"
citation = "test"
effective_from = "2017-01-01"
"#;

    const Y2026: &str = r#"
year = 2026
source = "test"
holidays = ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"]
workdays = ["2026-09-20", "2026-10-10"]
"#;

    fn setup() -> (RuleBook, WorkingCalendar) {
        (
            RuleBook::from_toml([("c.toml", RULES)]).unwrap(), // allow-panic: test code
            WorkingCalendar::from_toml([("2026.toml", Y2026)]).unwrap(), // allow-panic: test code
        )
    }

    #[test]
    fn registration_deadline_skips_national_day() {
        let (rules, cal) = setup();
        // Received Tue 29 Sep: 30 Sep is the 1st working day, 1–7 Oct are off, Thu 8 and
        // Fri 9 are the 2nd and 3rd, Sat 10 Oct is a make-up working day (4th), Mon 12 the 5th.
        let d = deadlines(date(2026, 9, 29), date(2026, 9, 29), &rules, &cal, "").unwrap(); // allow-panic: test code
        assert_eq!(d.register_by, date(2026, 10, 12));
    }

    #[test]
    fn resolution_counts_thirty_working_days_from_registration() {
        let (rules, cal) = setup();
        // Registered Mon 2 Nov 2026: six weeks of working days, no holiday, end Mon 14 Dec.
        let d = deadlines(date(2026, 10, 30), date(2026, 11, 2), &rules, &cal, "").unwrap(); // allow-panic: test code
        assert_eq!(d.resolve_by, date(2026, 12, 14));
    }

    #[test]
    fn missing_rule_is_refused_not_guessed() {
        let cal = WorkingCalendar::default();
        let rules = RuleBook::default();
        let e = deadlines(date(2026, 1, 5), date(2026, 1, 5), &rules, &cal, "").unwrap_err();
        assert!(!e.problems().is_empty());
    }

    #[test]
    fn registration_lists_every_problem() {
        let e = check_registration("fax", "", " ", date(2026, 5, 2), date(2026, 5, 1)).unwrap_err();
        assert_eq!(e.code, "unknown_channel");
        assert_eq!(e.problems().len(), 4);
        let ok = check_registration(
            "hotline",
            " 张三 ",
            "执行款未发放",
            date(2026, 5, 1),
            date(2026, 5, 1),
        )
        .unwrap(); // allow-panic: test code
        assert_eq!(ok.channel, Channel::Hotline);
        assert_eq!(ok.complainant, "张三");
    }

    #[test]
    fn registration_problems_carry_their_parameters() {
        use crate::refusal::{Param, RefusalKind};
        let e = check_registration("fax", "", " ", date(2026, 5, 2), date(2026, 5, 1)).unwrap_err();
        assert_eq!(e.kind, RefusalKind::Invalid);
        let codes: Vec<&str> = e.reasons.iter().map(|r| r.code).collect();
        assert_eq!(
            codes,
            [
                "unknown_channel",
                "invalid_complainant",
                "invalid_summary",
                "received_in_future"
            ]
        );
        assert_eq!(
            e.reasons[0].params.get("channel"),
            Some(&Param::Text("fax".into()))
        );
        assert_eq!(
            e.reasons[1].params.get("max"),
            Some(&Param::Int(i64::try_from(MAX_NAME_CHARS).unwrap_or(0)))
        );
        assert_eq!(
            e.reasons[3].params.get("received_on"),
            Some(&Param::Date(date(2026, 5, 2)))
        );
        // A second resolution is refused by the complaint's state; a bad result by its own
        // reason under the shared code.
        assert_eq!(
            check_resolution(Status::Resolved, "答复").unwrap_err().kind,
            RefusalKind::Conflict
        );
        let e = check_resolution(Status::Registered, " ").unwrap_err();
        assert_eq!(e.reasons[0].code, "complaint_result_length");
    }

    #[test]
    fn resolution_once_only() {
        assert_eq!(
            check_resolution(Status::Resolved, "答复").unwrap_err().code,
            "already_resolved"
        );
        assert_eq!(
            check_resolution(Status::Registered, "  ").unwrap_err().code,
            "invalid_result"
        );
        assert_eq!(
            check_resolution(Status::Registered, " 已答复 ").unwrap(), // allow-panic: test code
            "已答复"
        );
    }

    #[test]
    fn overdue_only_while_open_and_after_the_last_day() {
        let due = date(2026, 6, 1);
        assert!(!overdue(Status::Registered, due, due));
        assert!(overdue(Status::Registered, due, date(2026, 6, 2)));
        assert!(!overdue(Status::Resolved, due, date(2026, 6, 2)));
    }

    #[test]
    fn names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }
}
