//! Roles and court-scoped authorization: the one place that decides who may do what where.
//!
//! The rule (issue 2): a user acts within their own court; supervisors, division heads and
//! auditors of a court may read every court below it; nobody reads a sibling's or a
//! superior's data. Administrators manage accounts in their court and the courts below it,
//! because provincial IT departments provision the courts of their province.

use serde::{Deserialize, Serialize};

/// A role a user holds at their court.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 执行员 — handles cases day to day.
    Officer,
    /// 执行法官 — rules on cases.
    Judge,
    /// 执行局长 — head of the enforcement division; approves closures.
    DivisionHead,
    /// 指挥中心监督员 — command-centre supervisor.
    Supervisor,
    /// 审计员 — reads the audit trail.
    Auditor,
    /// 系统管理员 — accounts and the rule book.
    Administrator,
    /// 院长 — the court president; approves an extension of the time to conclude.
    President,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Officer,
        Role::Judge,
        Role::DivisionHead,
        Role::Supervisor,
        Role::Auditor,
        Role::Administrator,
        Role::President,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Judge => "judge",
            Role::DivisionHead => "division_head",
            Role::Supervisor => "supervisor",
            Role::Auditor => "auditor",
            Role::Administrator => "administrator",
            Role::President => "president",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Officer => "执行员",
            Role::Judge => "执行法官",
            Role::DivisionHead => "执行局长",
            Role::Supervisor => "指挥中心监督员",
            Role::Auditor => "审计员",
            Role::Administrator => "系统管理员",
            Role::President => "院长",
        }
    }
    pub fn name_en(self) -> &'static str {
        match self {
            Role::Officer => "Enforcement officer",
            Role::Judge => "Enforcement judge",
            Role::DivisionHead => "Division head",
            Role::Supervisor => "Command-centre supervisor",
            Role::Auditor => "Auditor",
            Role::Administrator => "Administrator",
            Role::President => "Court president",
        }
    }
}

/// What a caller wants to do. Every route names one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See a court in the directory.
    ReadCourt,
    /// Read the cases and records of a court.
    ReadCaseData,
    /// File, handle and decide the cases of a court.
    HandleCases,
    /// Create and change user accounts of a court.
    ManageUsers,
    /// Add rule-book versions for a region.
    ManageRules,
    /// Read the audit trail of a court.
    ReadAudit,
    /// Draft data-sharing agreements (数据共享协议) for a court's subtree and issue their keys.
    ManageSharing,
    /// Approve a data-sharing agreement (the division head, as for closures and payouts).
    ApproveSharing,
    /// See the data-sharing agreements of a court and below (no key material).
    ReadSharing,
    /// Issue a supervision order (督办) to a court strictly below, and close or send back its
    /// replies: the command-centre supervisor or the division head of the superior court.
    Supervise,
    /// Approve what an officer of the court proposed — a closure that needs approval, a
    /// payout from the case account: the division head (执行局长) of the court itself.
    Approve,
    /// Grant or refuse an extension of the time to conclude a case (延长执行期限): the
    /// president (院长) of the court itself (DOMAIN §4a, Approvals).
    ApproveExtension,
    /// Register the institutions that answer investigations and measures (banks, registries,
    /// platforms): an administrator, nationally at the SPC, regionally below.
    ManageInstitutions,
    /// Open the command centre (指挥中心) of a court: its and its subtree's indicators, alerts
    /// and supervision — the supervisor and the division head, at their court and below.
    Command,
    /// Advance the clock of training mode (演练模式): the platform's one clock, so only an
    /// administrator of the court at the root of the tree (the SPC).
    SetClock,
}

/// How the target court stands to the caller's court.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Own,
    Below,
    Unrelated,
}

/// The authenticated caller, as every service call receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub court_id: String,
    /// Materialised path of the caller's court, e.g. `/spc/h11/`.
    pub court_path: String,
    pub roles: Vec<Role>,
}

impl Principal {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the caller carries a caseload of their own (an officer, 执行员): their case
    /// list starts with the cases they handle rather than the whole court's.
    pub fn carries_a_caseload(&self) -> bool {
        self.has(Role::Officer)
    }

    pub fn relation_to(&self, target_path: &str) -> Relation {
        if target_path == self.court_path {
            Relation::Own
        } else if target_path.starts_with(&self.court_path) {
            Relation::Below
        } else {
            Relation::Unrelated
        }
    }

    /// Whether the caller may read below its own court at all (the subtree reach).
    pub fn reads_below(&self) -> bool {
        self.roles.iter().any(|r| {
            matches!(
                r,
                Role::Supervisor | Role::DivisionHead | Role::Auditor | Role::Administrator
            )
        })
    }

    /// The single authorization decision of the platform.
    pub fn may(&self, action: Action, target_court_path: &str) -> bool {
        let rel = self.relation_to(target_court_path);
        let any = |roles: &[Role]| roles.iter().any(|r| self.has(*r));
        match (action, rel) {
            (_, Relation::Unrelated) => false,
            (Action::ReadCourt, Relation::Own) => true,
            (Action::ReadCourt, Relation::Below) => self.reads_below(),
            (Action::ReadCaseData, Relation::Own) => true,
            (Action::ReadCaseData, Relation::Below) => {
                any(&[Role::Supervisor, Role::DivisionHead, Role::Auditor])
            }
            (Action::HandleCases, Relation::Own) => {
                any(&[Role::Officer, Role::Judge, Role::DivisionHead])
            }
            (Action::HandleCases, Relation::Below) => false,
            (Action::ManageUsers | Action::ManageRules, _) => self.has(Role::Administrator),
            (Action::ReadAudit, _) => self.has(Role::Auditor),
            // An agreement shares a court's whole subtree, so it is made and approved at that
            // court or above: a provincial high court may agree for its province.
            (Action::ManageSharing, _) => self.has(Role::Administrator),
            (Action::ApproveSharing, _) => self.has(Role::DivisionHead),
            (Action::ReadSharing, _) => {
                any(&[Role::Administrator, Role::DivisionHead, Role::Auditor])
            }
            // Supervision runs downward only (DOMAIN §2: a superior court supervises the courts
            // below it): a court never supervises itself.
            (Action::Supervise, Relation::Own) => false,
            (Action::Supervise, Relation::Below) => any(&[Role::Supervisor, Role::DivisionHead]),
            (Action::Approve, Relation::Own) => self.has(Role::DivisionHead),
            (Action::Approve, Relation::Below) => false,
            (Action::ApproveExtension, Relation::Own) => self.has(Role::President),
            (Action::ApproveExtension, Relation::Below) => false,
            (Action::ManageInstitutions, _) => self.has(Role::Administrator),
            (Action::Command, _) => any(&[Role::Supervisor, Role::DivisionHead]),
            (Action::SetClock, Relation::Own) => self.has(Role::Administrator),
            (Action::SetClock, Relation::Below) => false,
        }
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

    const OWN: &str = "/spc/h11/i1101/";
    const CHILD: &str = "/spc/h11/i1101/b110105/";
    const SIBLING: &str = "/spc/h11/i1102/";
    const PARENT: &str = "/spc/h11/";

    #[test]
    fn nobody_reaches_siblings_or_superiors() {
        for role in Role::ALL {
            let p = at(OWN, &[role]);
            for action in [
                Action::ReadCourt,
                Action::ReadCaseData,
                Action::HandleCases,
                Action::ManageUsers,
                Action::ReadAudit,
                Action::ManageSharing,
                Action::ApproveSharing,
                Action::ReadSharing,
                Action::Supervise,
                Action::Approve,
                Action::ApproveExtension,
                Action::ManageInstitutions,
                Action::Command,
                Action::SetClock,
            ] {
                assert!(!p.may(action, SIBLING), "{role:?} {action:?} sibling");
                assert!(!p.may(action, PARENT), "{role:?} {action:?} parent");
            }
        }
    }

    #[test]
    fn only_an_administrator_of_the_root_court_sets_the_training_clock() {
        assert!(at("/spc/", &[Role::Administrator]).may(Action::SetClock, "/spc/"));
        assert!(!at(OWN, &[Role::Administrator]).may(Action::SetClock, "/spc/"));
        for role in Role::ALL {
            if role != Role::Administrator {
                assert!(
                    !at("/spc/", &[role]).may(Action::SetClock, "/spc/"),
                    "{role:?}"
                );
            }
        }
    }

    #[test]
    fn a_prefix_that_is_not_a_path_segment_is_not_below() {
        // i11010 must not be mistaken for a child of i1101.
        let p = at("/spc/h11/i1101/", &[Role::Supervisor]);
        assert!(!p.may(Action::ReadCaseData, "/spc/h11/i11010/"));
    }

    #[test]
    fn reading_below_is_for_supervisory_roles_only() {
        assert!(at(OWN, &[Role::Supervisor]).may(Action::ReadCaseData, CHILD));
        assert!(at(OWN, &[Role::DivisionHead]).may(Action::ReadCaseData, CHILD));
        assert!(at(OWN, &[Role::Auditor]).may(Action::ReadCaseData, CHILD));
        assert!(!at(OWN, &[Role::Officer]).may(Action::ReadCaseData, CHILD));
        assert!(!at(OWN, &[Role::Judge]).may(Action::ReadCourt, CHILD));
        assert!(!at(OWN, &[Role::Administrator]).may(Action::ReadCaseData, CHILD));
        assert!(at(OWN, &[Role::Administrator]).may(Action::ReadCourt, CHILD));
    }

    #[test]
    fn acting_is_own_court_only() {
        assert!(at(OWN, &[Role::Officer]).may(Action::HandleCases, OWN));
        assert!(!at(OWN, &[Role::DivisionHead]).may(Action::HandleCases, CHILD));
        assert!(!at(OWN, &[Role::Supervisor]).may(Action::HandleCases, OWN));
        assert!(at(OWN, &[Role::Administrator]).may(Action::ManageUsers, CHILD));
        assert!(!at(OWN, &[Role::Officer]).may(Action::ManageUsers, OWN));
    }

    #[test]
    fn sharing_is_for_administrators_and_division_heads_of_the_court_or_above() {
        assert!(at(OWN, &[Role::Administrator]).may(Action::ManageSharing, CHILD));
        assert!(!at(OWN, &[Role::DivisionHead]).may(Action::ManageSharing, OWN));
        assert!(at(OWN, &[Role::DivisionHead]).may(Action::ApproveSharing, CHILD));
        assert!(!at(OWN, &[Role::Administrator]).may(Action::ApproveSharing, OWN));
        assert!(at(OWN, &[Role::Auditor]).may(Action::ReadSharing, OWN));
        assert!(!at(OWN, &[Role::Officer]).may(Action::ReadSharing, OWN));
    }

    #[test]
    fn approval_is_the_division_head_s_at_the_own_court_only() {
        assert!(at(OWN, &[Role::DivisionHead]).may(Action::Approve, OWN));
        assert!(!at(OWN, &[Role::DivisionHead]).may(Action::Approve, CHILD));
        for role in [
            Role::Officer,
            Role::Judge,
            Role::Supervisor,
            Role::Auditor,
            Role::Administrator,
            Role::President,
        ] {
            assert!(!at(OWN, &[role]).may(Action::Approve, OWN), "{role:?}");
        }
    }

    #[test]
    fn an_extension_is_the_president_s_at_the_own_court_only() {
        assert!(at(OWN, &[Role::President]).may(Action::ApproveExtension, OWN));
        assert!(!at(OWN, &[Role::President]).may(Action::ApproveExtension, CHILD));
        assert!(!at(PARENT, &[Role::President]).may(Action::ApproveExtension, OWN));
        for role in Role::ALL.into_iter().filter(|r| *r != Role::President) {
            assert!(
                !at(OWN, &[role]).may(Action::ApproveExtension, OWN),
                "{role:?}"
            );
        }
        // The president decides extensions; the case work and its other approvals stay with
        // the officers and the division head.
        for action in [Action::HandleCases, Action::Approve, Action::ManageRules] {
            assert!(!at(OWN, &[Role::President]).may(action, OWN), "{action:?}");
        }
        assert!(at(OWN, &[Role::President]).may(Action::ReadCaseData, OWN));
        assert!(!at(OWN, &[Role::President]).may(Action::ReadCaseData, CHILD));
    }

    #[test]
    fn the_command_centre_is_for_supervisors_and_division_heads() {
        assert!(at(OWN, &[Role::Supervisor]).may(Action::Command, CHILD));
        assert!(at(OWN, &[Role::DivisionHead]).may(Action::Command, OWN));
        assert!(!at(OWN, &[Role::Officer]).may(Action::Command, OWN));
        assert!(at(OWN, &[Role::Administrator]).may(Action::ManageInstitutions, OWN));
        assert!(!at(OWN, &[Role::DivisionHead]).may(Action::ManageInstitutions, OWN));
    }

    #[test]
    fn supervision_is_downward_only_and_for_supervisors_and_division_heads() {
        assert!(at(OWN, &[Role::Supervisor]).may(Action::Supervise, CHILD));
        assert!(at(OWN, &[Role::DivisionHead]).may(Action::Supervise, CHILD));
        assert!(at(PARENT, &[Role::Supervisor]).may(Action::Supervise, CHILD));
        for role in Role::ALL {
            assert!(
                !at(OWN, &[role]).may(Action::Supervise, OWN),
                "{role:?} own"
            );
        }
        for role in [
            Role::Officer,
            Role::Judge,
            Role::Auditor,
            Role::Administrator,
        ] {
            assert!(!at(OWN, &[role]).may(Action::Supervise, CHILD), "{role:?}");
        }
        assert!(!at(CHILD, &[Role::Supervisor]).may(Action::Supervise, OWN));
    }
}
