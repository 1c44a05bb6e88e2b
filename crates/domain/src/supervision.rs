//! Supervision orders (督办, DOMAIN §1, §2): a superior court orders a court below it to act on
//! one of that court's cases, or on a problem, by a deadline. The subordinate court replies
//! (as often as it needs until the order is closed); the superior accepts a reply and closes
//! the order, or sends it back; an order left unanswered past its deadline escalates.
//!
//! Pure rules: the direction of an order, its texts, the status moves and what counts as
//! overdue. Who may act is `access::Action::Supervise`.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The most characters an order's title, instructions or a reply may have: a supervision
/// order is a short instruction, not a file.
pub const MAX_TEXT_CHARS: usize = 4000;
/// The most characters of an order's title.
pub const MAX_TITLE_CHARS: usize = 200;

/// Where a supervision order (督办) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupervisionStatus {
    /// 待办理 — issued, no reply yet.
    Open,
    /// 已回复 — the subordinate court replied; the superior has to accept or send it back.
    Replied,
    /// 已退回 — the superior sent the reply back: the subordinate court must reply again.
    Returned,
    /// 已办结 — the superior accepted the reply.
    Closed,
}

impl SupervisionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SupervisionStatus::Open => "open",
            SupervisionStatus::Replied => "replied",
            SupervisionStatus::Returned => "returned",
            SupervisionStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<SupervisionStatus> {
        [
            SupervisionStatus::Open,
            SupervisionStatus::Replied,
            SupervisionStatus::Returned,
            SupervisionStatus::Closed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            SupervisionStatus::Open => "待办理",
            SupervisionStatus::Replied => "已回复",
            SupervisionStatus::Returned => "已退回",
            SupervisionStatus::Closed => "已办结",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            SupervisionStatus::Open => "Open",
            SupervisionStatus::Replied => "Replied",
            SupervisionStatus::Returned => "Returned",
            SupervisionStatus::Closed => "Closed",
        }
    }
    /// Waiting for the subordinate court: the deadline runs against it.
    pub fn awaits_reply(self) -> bool {
        matches!(self, SupervisionStatus::Open | SupervisionStatus::Returned)
    }
}

pub use crate::refusal::Refusal;
use crate::refusal::{Reason, RefusalKind};

/// Whether `target_path` lies strictly below `issuer_path` (materialised court paths such as
/// `/spc/h11/i1101/`): an order to the court itself, a sibling or a superior is refused.
pub fn check_downward(issuer_path: &str, target_path: &str) -> Result<(), Refusal> {
    // Paths end with '/', so a prefix is a whole path segment (i1101 is not above i11010).
    if target_path != issuer_path && target_path.starts_with(issuer_path) {
        Ok(())
    } else {
        Err(Refusal::invalid("supervision_not_downward"))
    }
}

/// A required text: trimmed, not empty, at most `max` characters.
pub fn check_text(text: &str, max: usize) -> Result<String, Refusal> {
    use crate::text::{Bounds, TextProblem, clean, fault_reason};
    match clean(text, Bounds::block(max)) {
        Ok(t) => Ok(t),
        Err(TextProblem::Chars(f)) => Err(crate::case::refused_as(
            "invalid_text",
            RefusalKind::Invalid,
            fault_reason("content", f),
        )),
        Err(TextProblem::Invisible | TextProblem::TooShort { .. }) => {
            Err(Refusal::invalid("empty_text"))
        }
        Err(TextProblem::TooLong { .. }) => Err(text_too_long(max)),
    }
}

/// A text over `max` characters, under the code several contexts share; its words come from
/// the reason.
pub fn text_too_long(max: usize) -> Refusal {
    crate::case::refused_as(
        "text_too_long",
        RefusalKind::Invalid,
        Reason::new("oversight_text_too_long").with("max", max),
    )
}

/// The deadline of a new order: not before the day it is issued.
pub fn check_deadline(deadline: Date, today: Date) -> Result<(), Refusal> {
    if deadline < today {
        Err(Refusal::invalid("deadline_in_past")
            .with("deadline", deadline)
            .with("today", today))
    } else {
        Ok(())
    }
}

/// A reply from the subordinate court: allowed until the order is closed, several times.
pub fn reply(status: SupervisionStatus) -> Result<SupervisionStatus, Refusal> {
    match status {
        SupervisionStatus::Closed => Err(closed()),
        _ => Ok(SupervisionStatus::Replied),
    }
}

/// The superior accepts the reply and closes the order: only once there is a reply to accept.
pub fn close(status: SupervisionStatus) -> Result<SupervisionStatus, Refusal> {
    match status {
        SupervisionStatus::Replied => Ok(SupervisionStatus::Closed),
        SupervisionStatus::Closed => Err(closed()),
        _ => Err(no_reply()),
    }
}

/// The superior sends the reply back: only a reply can be sent back.
pub fn send_back(status: SupervisionStatus) -> Result<SupervisionStatus, Refusal> {
    match status {
        SupervisionStatus::Replied => Ok(SupervisionStatus::Returned),
        SupervisionStatus::Closed => Err(closed()),
        _ => Err(no_reply()),
    }
}

fn closed() -> Refusal {
    Refusal::conflict("supervision_closed")
}

fn no_reply() -> Refusal {
    Refusal::conflict("no_reply_to_decide")
}

/// An order escalates once the day after its deadline has come with no reply awaiting
/// decision (the deadline day itself is still in time).
pub fn is_overdue(status: SupervisionStatus, deadline: Date, today: Date) -> bool {
    status.awaits_reply() && today > deadline
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn only_strictly_downward() {
        assert!(check_downward("/spc/h11/", "/spc/h11/i1101/b110105/").is_ok());
        assert!(check_downward("/spc/h11/i1101/", "/spc/h11/i1101/b110105/").is_ok());
        for target in [
            "/spc/h11/i1101/",
            "/spc/h11/",
            "/spc/",
            "/spc/h11/i1102/",
            "/spc/h11/i11010/",
        ] {
            assert_eq!(
                check_downward("/spc/h11/i1101/", target).map_err(|r| r.code),
                Err("supervision_not_downward"),
                "{target}"
            );
        }
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(check_text("  办理  ", 10), Ok("办理".to_owned()));
        assert_eq!(
            check_text(" \n ", 10).map_err(|r| r.code),
            Err("empty_text")
        );
        assert_eq!(
            check_text(&"字".repeat(11), 10).map_err(|r| r.code),
            Err("text_too_long")
        );
        assert!(check_text(&"字".repeat(10), 10).is_ok());
    }

    #[test]
    fn refusals_carry_their_kind_and_parameters() {
        use crate::refusal::{Param, RefusalKind};
        let today = date(2026, 3, 2);
        let e = check_deadline(date(2026, 3, 1), today).err();
        assert_eq!(e.as_ref().map(|r| r.kind), Some(RefusalKind::Invalid));
        assert_eq!(
            e.as_ref().and_then(|r| r.params.get("deadline")),
            Some(&Param::Date(date(2026, 3, 1)))
        );
        assert_eq!(
            e.as_ref().and_then(|r| r.params.get("today")),
            Some(&Param::Date(today))
        );
        // A text too long goes by the shared code; its words come from its own reason.
        let e = check_text(&"字".repeat(11), 10).err();
        assert_eq!(e.as_ref().map(|r| r.code), Some("text_too_long"));
        let reasons = e.map(|r| r.reasons).unwrap_or_default();
        assert_eq!(reasons.len(), 1);
        assert_eq!(
            reasons.first().map(|r| r.code),
            Some("oversight_text_too_long")
        );
        assert_eq!(
            reasons.first().and_then(|r| r.params.get("max")),
            Some(&Param::Int(10))
        );
        // The order's state refuses, not the input.
        assert_eq!(
            reply(SupervisionStatus::Closed).map_err(|r| r.kind),
            Err(RefusalKind::Conflict)
        );
        assert_eq!(
            close(SupervisionStatus::Open).map_err(|r| r.kind),
            Err(RefusalKind::Conflict)
        );
    }

    #[test]
    fn deadline_not_in_the_past() {
        let today = date(2026, 3, 2);
        assert!(check_deadline(today, today).is_ok());
        assert!(check_deadline(date(2026, 3, 1), today).is_err());
    }

    #[test]
    fn status_moves() {
        use SupervisionStatus::*;
        assert_eq!(reply(Open), Ok(Replied));
        assert_eq!(reply(Replied), Ok(Replied));
        assert_eq!(reply(Returned), Ok(Replied));
        assert_eq!(reply(Closed).map_err(|r| r.code), Err("supervision_closed"));
        assert_eq!(close(Replied), Ok(Closed));
        assert_eq!(close(Open).map_err(|r| r.code), Err("no_reply_to_decide"));
        assert_eq!(
            close(Returned).map_err(|r| r.code),
            Err("no_reply_to_decide")
        );
        assert_eq!(close(Closed).map_err(|r| r.code), Err("supervision_closed"));
        assert_eq!(send_back(Replied), Ok(Returned));
        assert_eq!(
            send_back(Open).map_err(|r| r.code),
            Err("no_reply_to_decide")
        );
        assert_eq!(
            send_back(Closed).map_err(|r| r.code),
            Err("supervision_closed")
        );
        for s in [Open, Replied, Returned, Closed] {
            assert_eq!(SupervisionStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn overdue_the_day_after_the_deadline_while_unanswered() {
        use SupervisionStatus::*;
        let due = date(2026, 3, 10);
        assert!(!is_overdue(Open, due, due));
        assert!(is_overdue(Open, due, date(2026, 3, 11)));
        assert!(is_overdue(Returned, due, date(2026, 3, 11)));
        assert!(!is_overdue(Replied, due, date(2026, 3, 11)));
        assert!(!is_overdue(Closed, due, date(2026, 3, 11)));
    }
}
