//! One debtor across courts (关联案件): who may see the other enforcement cases against a
//! respondent of a case, and how far. The cases are matched by the blind index of the
//! respondent's ID number or credit code (the store's), never by name.
//!
//! The rule (issue 17): an officer, judge or division head who handles cases at the case's
//! court holds a case against that respondent and sees every other case against them
//! nationally — court, number, status, amount due and the measures on their property, no
//! more. A supervisor or division head of a court above sees the cases of the courts below
//! their own (a court above both courts: joint action is theirs to direct). Nobody else.

use crate::access::{Action, Principal, Relation, Role};

/// How far the caller sees the other cases against a respondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every court: the caller holds a case against the respondent.
    National,
    /// The courts at or below this path (`/spc/h11/`): a supervisor above both courts.
    Subtree(String),
}

impl Reach {
    /// Whether a case at the court with this path is within reach.
    pub fn covers(&self, court_path: &str) -> bool {
        match self {
            Reach::National => true,
            Reach::Subtree(top) => court_path.starts_with(top.as_str()),
        }
    }
}

/// How far `by` sees the other cases against a respondent of a case at `case_court_path`,
/// or `None` if not at all.
pub fn reach(by: &Principal, case_court_path: &str) -> Option<Reach> {
    if by.may(Action::HandleCases, case_court_path) {
        return Some(Reach::National);
    }
    let commands = by.has(Role::Supervisor) || by.has(Role::DivisionHead);
    match by.relation_to(case_court_path) {
        Relation::Own | Relation::Below if commands => Some(Reach::Subtree(by.court_path.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &str, roles: &[Role]) -> Principal {
        Principal {
            user_id: 1,
            username: "u".into(),
            court_id: "x".into(),
            court_path: path.into(),
            roles: roles.to_vec(),
        }
    }

    const BASIC: &str = "/spc/h11/i1101/b110105/";
    const OTHER_BASIC: &str = "/spc/h31/i3101/b310101/";
    const HIGH: &str = "/spc/h11/";

    #[test]
    fn a_handler_of_the_case_sees_every_court() {
        for role in [Role::Officer, Role::Judge, Role::DivisionHead] {
            let r = reach(&at(BASIC, &[role]), BASIC);
            assert_eq!(r, Some(Reach::National), "{role:?}");
            assert!(r.is_some_and(|r| r.covers(OTHER_BASIC)));
        }
    }

    #[test]
    fn a_supervisor_above_sees_the_courts_below_only() {
        for role in [Role::Supervisor, Role::DivisionHead] {
            let r = reach(&at(HIGH, &[role]), BASIC);
            assert_eq!(r, Some(Reach::Subtree(HIGH.into())));
            assert!(r.as_ref().is_some_and(|r| r.covers(BASIC)));
            assert!(
                r.is_some_and(|r| !r.covers(OTHER_BASIC)),
                "another province is not below"
            );
        }
    }

    #[test]
    fn nobody_else_sees_them() {
        // An officer of another court, even one holding a case against the same person,
        // does not reach this case's respondent through this case.
        assert_eq!(reach(&at(OTHER_BASIC, &[Role::Officer]), BASIC), None);
        for role in [Role::Auditor, Role::Administrator, Role::President] {
            assert_eq!(reach(&at(BASIC, &[role]), BASIC), None, "{role:?}");
            assert_eq!(reach(&at(HIGH, &[role]), BASIC), None, "{role:?}");
        }
        // A supervisor of a sibling or lower court is not above the case's court.
        assert_eq!(reach(&at("/spc/h31/", &[Role::Supervisor]), BASIC), None);
    }
}
