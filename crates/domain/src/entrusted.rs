//! Entrusted tasks between courts (事项委托, DOMAIN §9): a court handling a case asks another
//! court, anywhere in the country, to do one act for it — freeze, renew, deduct, seal,
//! investigate, serve. The receiving court accepts or declines, does the act and returns the
//! result with its documents. The time limit is rule `commission.task` of the rule book, in
//! working days from the request.
//!
//! Pure rules: the closed vocabulary of acts, the status moves, the due day and what counts
//! as overdue.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, WorkingCalendar};
use crate::rules::Unit;

/// The rule giving the time limit of an entrusted task.
pub const DEADLINE_RULE: &str = "commission.task";

/// The one act an entrusted task (事项委托) asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntrustedAct {
    /// 冻结
    Freeze,
    /// 续冻 — renewal of a freeze (or seizure) before it lapses.
    Renew,
    /// 扣划
    Deduct,
    /// 查封
    Seal,
    /// 调查 — investigation of property on the spot.
    Investigate,
    /// 送达 — service of documents.
    Serve,
}

impl EntrustedAct {
    pub const ALL: [EntrustedAct; 6] = [
        EntrustedAct::Freeze,
        EntrustedAct::Renew,
        EntrustedAct::Deduct,
        EntrustedAct::Seal,
        EntrustedAct::Investigate,
        EntrustedAct::Serve,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            EntrustedAct::Freeze => "freeze",
            EntrustedAct::Renew => "renew",
            EntrustedAct::Deduct => "deduct",
            EntrustedAct::Seal => "seal",
            EntrustedAct::Investigate => "investigate",
            EntrustedAct::Serve => "serve",
        }
    }
    pub fn parse(s: &str) -> Option<EntrustedAct> {
        EntrustedAct::ALL.into_iter().find(|a| a.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            EntrustedAct::Freeze => "冻结",
            EntrustedAct::Renew => "续冻",
            EntrustedAct::Deduct => "扣划",
            EntrustedAct::Seal => "查封",
            EntrustedAct::Investigate => "调查",
            EntrustedAct::Serve => "送达",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            EntrustedAct::Freeze => "Freeze",
            EntrustedAct::Renew => "Renew a freeze",
            EntrustedAct::Deduct => "Deduct",
            EntrustedAct::Seal => "Seal",
            EntrustedAct::Investigate => "Investigate",
            EntrustedAct::Serve => "Serve",
        }
    }
}

/// Where an entrusted task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// 待接收 — sent, not yet accepted or declined.
    Requested,
    /// 已接收 — the receiving court is doing it.
    Accepted,
    /// 已拒收 — declined, with a reason.
    Declined,
    /// 已办结 — done; result and documents returned.
    Completed,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Requested => "requested",
            TaskStatus::Accepted => "accepted",
            TaskStatus::Declined => "declined",
            TaskStatus::Completed => "completed",
        }
    }
    pub fn parse(s: &str) -> Option<TaskStatus> {
        [
            TaskStatus::Requested,
            TaskStatus::Accepted,
            TaskStatus::Declined,
            TaskStatus::Completed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            TaskStatus::Requested => "待接收",
            TaskStatus::Accepted => "办理中",
            TaskStatus::Declined => "已拒收",
            TaskStatus::Completed => "已办结",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            TaskStatus::Requested => "To accept",
            TaskStatus::Accepted => "In progress",
            TaskStatus::Declined => "Declined",
            TaskStatus::Completed => "Done",
        }
    }
    /// Still running against the time limit.
    pub fn is_open(self) -> bool {
        matches!(self, TaskStatus::Requested | TaskStatus::Accepted)
    }
}

pub use crate::refusal::Refusal;

/// A task goes to another court: a court does its own acts itself.
pub fn check_courts(from: &str, to: &str) -> Result<(), Refusal> {
    if from == to {
        Err(Refusal::invalid("same_court").with("court", from))
    } else {
        Ok(())
    }
}

/// Accepting: only a task not yet answered.
pub fn accept(s: TaskStatus) -> Result<TaskStatus, Refusal> {
    match s {
        TaskStatus::Requested => Ok(TaskStatus::Accepted),
        _ => Err(answered(s)),
    }
}

/// Declining (with a reason, checked by the caller): only a task not yet answered.
pub fn decline(s: TaskStatus) -> Result<TaskStatus, Refusal> {
    match s {
        TaskStatus::Requested => Ok(TaskStatus::Declined),
        _ => Err(answered(s)),
    }
}

/// Returning the result: only an accepted task, with at least one document.
pub fn complete(s: TaskStatus, documents: usize) -> Result<TaskStatus, Refusal> {
    match s {
        TaskStatus::Accepted if documents == 0 => Err(Refusal::invalid("documents_required")),
        TaskStatus::Accepted => Ok(TaskStatus::Completed),
        TaskStatus::Requested => Err(Refusal::conflict("task_not_accepted")),
        _ => Err(Refusal::conflict("task_finished").with("status", s.as_str())),
    }
}

fn answered(s: TaskStatus) -> Refusal {
    Refusal::conflict("task_already_answered").with("status", s.as_str())
}

/// The last day of a task requested on `requested_on`: the period of the rule book (in
/// working days, the request day not counted) by the working-day calendar.
pub fn due_on(
    calendar: &WorkingCalendar,
    requested_on: Date,
    period: (i64, Unit),
) -> Result<Date, CalendarError> {
    calendar.period_end(requested_on, period.0, period.1)
}

/// A task is overdue from the day after its last day while it is still open.
pub fn is_overdue(s: TaskStatus, due: Date, today: Date) -> bool {
    s.is_open() && today > due
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn refusals_carry_their_kind_and_parameters() {
        use crate::refusal::{Param, RefusalKind};
        let e = check_courts("J0105", "J0105").err();
        assert_eq!(e.as_ref().map(|r| r.kind), Some(RefusalKind::Invalid));
        assert_eq!(
            e.as_ref().and_then(|r| r.params.get("court")),
            Some(&Param::Text("J0105".into()))
        );
        let e = accept(TaskStatus::Declined).err();
        assert_eq!(e.as_ref().map(|r| r.kind), Some(RefusalKind::Conflict));
        assert_eq!(
            e.as_ref().and_then(|r| r.params.get("status")),
            Some(&Param::Text("declined".into()))
        );
        assert_eq!(
            complete(TaskStatus::Requested, 1).map_err(|r| r.kind),
            Err(RefusalKind::Conflict)
        );
        assert_eq!(
            complete(TaskStatus::Accepted, 0).map_err(|r| r.kind),
            Err(RefusalKind::Invalid)
        );
    }

    #[test]
    fn the_vocabulary_is_closed() {
        for a in EntrustedAct::ALL {
            assert_eq!(EntrustedAct::parse(a.as_str()), Some(a));
            assert!(!a.name_zh().is_empty());
        }
        assert_eq!(EntrustedAct::parse("auction"), None);
        assert_eq!(EntrustedAct::parse("Freeze"), None);
    }

    #[test]
    fn never_to_itself() {
        assert_eq!(
            check_courts("b110105", "b110105").map_err(|r| r.code),
            Err("same_court")
        );
        assert!(check_courts("b110105", "b130102").is_ok());
    }

    #[test]
    fn status_moves() {
        use TaskStatus::*;
        assert_eq!(accept(Requested), Ok(Accepted));
        assert_eq!(decline(Requested), Ok(Declined));
        for s in [Accepted, Declined, Completed] {
            assert_eq!(accept(s).map_err(|r| r.code), Err("task_already_answered"));
            assert_eq!(decline(s).map_err(|r| r.code), Err("task_already_answered"));
        }
        assert_eq!(complete(Accepted, 1), Ok(Completed));
        assert_eq!(
            complete(Accepted, 0).map_err(|r| r.code),
            Err("documents_required")
        );
        assert_eq!(
            complete(Requested, 1).map_err(|r| r.code),
            Err("task_not_accepted")
        );
        assert_eq!(
            complete(Completed, 1).map_err(|r| r.code),
            Err("task_finished")
        );
        assert_eq!(
            complete(Declined, 1).map_err(|r| r.code),
            Err("task_finished")
        );
        for s in [Requested, Accepted, Declined, Completed] {
            assert_eq!(TaskStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn due_day_counts_working_days_across_a_holiday() -> Result<(), CalendarError> {
        let cal = WorkingCalendar::from_toml([(
            "2025.toml",
            r#"
year = 2025
source = "test"
holidays = ["2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08"]
workdays = ["2025-09-28", "2025-10-11"]
"#,
        )])?;
        // Friday 26 September: 28 Sep (Sun, a working day), 29, 30, then the holiday, 9, 10,
        // 11 (Sat, a working day), 13, 14, 15, 16.
        assert_eq!(
            due_on(&cal, date(2025, 9, 26), (10, Unit::WorkingDays))?,
            date(2025, 10, 16)
        );
        // An ordinary fortnight: ten working days from a Monday end on the second Monday.
        assert_eq!(
            due_on(&cal, date(2025, 11, 3), (10, Unit::WorkingDays))?,
            date(2025, 11, 17)
        );
        Ok(())
    }

    #[test]
    fn overdue_only_while_open_and_after_the_last_day() {
        let due = date(2026, 3, 10);
        assert!(!is_overdue(TaskStatus::Requested, due, due));
        assert!(is_overdue(TaskStatus::Requested, due, date(2026, 3, 11)));
        assert!(is_overdue(TaskStatus::Accepted, due, date(2026, 3, 11)));
        assert!(!is_overdue(TaskStatus::Completed, due, date(2026, 3, 11)));
        assert!(!is_overdue(TaskStatus::Declined, due, date(2026, 3, 11)));
    }
}
