//! Every change a user makes to a case, as a command: the API and the pages build the same
//! value and call [`execute`] (or [`file`] for a new case). One function loads the case,
//! authorises the command's [`Action`], lets the domain decide and writes the state, the
//! events and the documents in one transaction.

use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::{
    self, ActionKind, Candidate, CaseEvent, CaseState, ClosureMode, StatedPeriods,
};
use zhixing_domain::closure::Holdings;
use zhixing_domain::filing::{self, FilingInput};

use super::{Actor, change_in_tx, check_filing, file_in_tx, own_court};
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// A change to a case, as the user asked for it. Amounts are in fen.
#[derive(Debug, Clone)]
pub enum CaseCommand {
    /// Assigns or reassigns the officer (分案).
    Assign { officer_id: i64 },
    /// Records a step of the process (it may issue documents). The notice states its
    /// periods (to perform, to report); no other step has any.
    RecordAction {
        action: ActionKind,
        note: String,
        periods: StatedPeriods,
    },
    /// Records a property clue the applicant gave.
    SubmitClue { description: String, urgent: bool },
    /// Records the verification of clue `no`.
    VerifyClue { no: u32, result: String },
    /// Records security for performance (执行担保).
    RecordSecurity {
        provider: String,
        description: String,
        value_fen: i64,
    },
    /// Records an amount performed.
    RecordPayment { amount_fen: i64, note: String },
    /// Suspends the case (中止): its clock stops.
    Suspend { reason: String },
    /// Ends the suspension.
    EndSuspension,
    /// Asks the court president to extend the time to conclude by `months` (延长执行期限),
    /// no later than the rule book's lead time before it runs out.
    RequestExtension { months: i64, reason: String },
    /// The court president grants the requested extension or refuses it with the reason;
    /// never the one who asked.
    DecideExtension { approve: bool, note: String },
    /// Closes the case, or asks the division head to where the mode needs approval.
    RequestClosure { mode: ClosureMode, reason: String },
    /// The division head approves a requested closure or sends it back.
    DecideClosure { approve: bool, note: String },
    /// Resumes a terminated (终本) case as a new 执恢 case linked to it.
    Resume { reason: String },
}

impl CaseCommand {
    /// What the caller must be allowed to do at the case's court.
    pub fn action(&self) -> Action {
        match self {
            CaseCommand::DecideClosure { .. } => Action::Approve,
            CaseCommand::DecideExtension { .. } => Action::ApproveExtension,
            _ => Action::HandleCases,
        }
    }

    /// The domain's decision on the case as it stands; `officer` is the account an assignment
    /// names, looked up beforehand. A resumption records nothing on the old case until the new
    /// one is filed: here it is only checked. A party's clue submitted online
    /// (`portal::submissions`) is decided here too, as the staff's is.
    pub(crate) fn decide(
        &self,
        s: &CaseState,
        c: &case::Ctx<'_>,
        officer: Option<&Candidate>,
        actor: &str,
        held: &Holdings,
        releases: &mut Vec<i64>,
    ) -> Result<Vec<CaseEvent>, case::Refusal> {
        if let CaseCommand::Resume { reason } = self {
            return case::check_resumption(s, reason).map(|()| Vec::new());
        }
        let today = c.today;
        let event = match self {
            CaseCommand::Assign { .. } => case::decide_assignment(s, officer, today),
            CaseCommand::RecordAction {
                action,
                note,
                periods,
            } => case::decide_action(s, *action, note, *periods, today),
            CaseCommand::SubmitClue {
                description,
                urgent,
            } => case::decide_clue(s, description, *urgent, today),
            CaseCommand::VerifyClue { no, result } => {
                case::decide_clue_verification(s, *no, result, today)
            }
            CaseCommand::RecordSecurity {
                provider,
                description,
                value_fen,
            } => case::decide_security(s, provider, description, *value_fen, today),
            CaseCommand::RecordPayment { amount_fen, note } => {
                case::decide_payment(s, *amount_fen, note, today)
            }
            CaseCommand::Suspend { reason } => case::decide_suspension(s, true, reason, today),
            CaseCommand::EndSuspension => case::decide_suspension(s, false, "", today),
            CaseCommand::RequestExtension { months, reason } => {
                case::decide_extension_request(s, *months, reason, actor, c)
            }
            CaseCommand::DecideExtension { approve, note } => {
                case::decide_extension(s, *approve, note, actor, c)
            }
            CaseCommand::RequestClosure { mode, reason } => {
                return case::decide_closure(s, *mode, reason, actor, held, c).map(|closing| {
                    *releases = closing.releases;
                    closing.events
                });
            }
            CaseCommand::DecideClosure { approve, note } => {
                return case::decide_approval(s, *approve, note, actor, held, c).map(|closing| {
                    *releases = closing.releases;
                    closing.events
                });
            }
            CaseCommand::Resume { .. } => return Ok(Vec::new()),
        };
        event.map(|e| vec![e])
    }
}

/// A new case: its number, and each party's access code (当事人查询码), shown this once.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Filed {
    pub id: i64,
    pub number: String,
    /// Each party's access code for the public party page, shown this once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub access_codes: Vec<crate::portal::AccessCode>,
}

/// What a command did.
#[derive(Debug)]
pub struct Executed {
    /// The case's version now.
    pub version: i64,
    /// For a resumption: the new 执恢 case.
    pub resumed_as: Option<Filed>,
}

/// Carries out `cmd` on case `id` for `by`; `expected_version`, if given, refuses it when the
/// case changed meanwhile. All of it is written in one transaction, or nothing.
pub async fn execute(
    app: &App,
    by: &Principal,
    id: i64,
    expected_version: Option<i64>,
    cmd: CaseCommand,
) -> Result<Executed, AppError> {
    let officer = match &cmd {
        CaseCommand::Assign { officer_id } => candidate(app, *officer_id).await?,
        _ => None,
    };
    let mut tx = app.store.begin().await?;
    let held = match &cmd {
        CaseCommand::RequestClosure { .. } | CaseCommand::DecideClosure { .. } => {
            holdings_in_tx(&mut tx, id).await?
        }
        _ => Holdings::default(),
    };
    let actor = Actor::User(by, cmd.action());
    let mut releases = Vec::new();
    let changed = change_in_tx(&mut tx, app, actor, id, expected_version, |s, c| {
        cmd.decide(s, c, officer.as_ref(), &by.username, &held, &mut releases)
    })
    .await?;
    if changed
        .decided
        .iter()
        .any(|e| matches!(e, CaseEvent::Closed { .. }))
    {
        // What the closure ends elsewhere, in the same transaction: the published listings
        // and orders, and the release orders to the institutions.
        crate::credit::listings::project(
            &mut tx,
            &changed.row,
            &changed.before,
            &changed.decided,
            app.now_us(),
        )
        .await?;
        let reason = closure_release_reason(&changed.decided);
        crate::control::measures::release_for_closure(
            app,
            &mut tx,
            by,
            &changed.row.number,
            &releases,
            &reason,
        )
        .await?;
    }
    let done = match &cmd {
        CaseCommand::Resume { reason } => {
            resume_in_tx(&mut tx, app, by, id, &changed.before, reason).await?
        }
        _ => Executed {
            version: changed.version,
            resumed_as: None,
        },
    };
    tx.commit().await?;
    Ok(done)
}

/// What the case holds outside its own state, read under the case's lock: its measures and
/// its account.
async fn holdings_in_tx(tx: &mut zhixing_store::Tx, id: i64) -> Result<Holdings, AppError> {
    // Lock the case first, so that no measure or payment of it changes until the closure is
    // decided and written (change_in_tx locks it again, in the same transaction).
    tx.case_tx(id).await?;
    let measures = crate::control::measures::held_in_tx(tx, id).await?;
    let (held, undistributed) = crate::disposal::funds::settlement_in_tx(tx, id).await?;
    Ok(Holdings {
        measures,
        held,
        undistributed,
    })
}

/// The reason a release order gives the institution: the closure, by its mode.
fn closure_release_reason(events: &[CaseEvent]) -> String {
    events
        .iter()
        .find_map(|e| match e {
            CaseEvent::Closed { mode, .. } => {
                Some(format!("本案以{}方式结案，解除控制措施", mode.name_zh()))
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// The account an assignment names, as the domain judges it; none if there is no such user.
async fn candidate(app: &App, user_id: i64) -> Result<Option<Candidate>, AppError> {
    Ok(app.store.user(user_id).await?.map(|u| Candidate {
        id: u.id,
        name: u.display_name,
        court_id: u.court_id,
        active: u.active,
        roles: crate::identity::auth::parse_roles(&u.roles),
    }))
}

/// Resumes a terminated case (`old`, checked and locked by the caller): files the 执恢 case
/// against the same parties for what is still unpaid, and records on the old case what it was
/// resumed as, in the caller's transaction.
async fn resume_in_tx(
    tx: &mut zhixing_store::Tx,
    app: &App,
    by: &Principal,
    id: i64,
    old: &CaseState,
    reason: &str,
) -> Result<Executed, AppError> {
    // The new case repeats the old parties: their identifiers come from the encrypted store.
    let mut identifiers = Vec::with_capacity(old.parties.len());
    for p in &old.parties {
        let sealed = app
            .store
            .party_cipher(id, i64::from(p.no))
            .await?
            .or_internal("the stored identifier of a party")?;
        let address = match app.store.party_address_cipher(id, i64::from(p.no)).await? {
            Some(a) => Some(app.cipher.open(&a)?),
            None => None,
        };
        identifiers.push((app.cipher.open(&sealed)?, address));
    }
    let input = filing::resumption_input(old, reason, identifiers);
    let court = own_court(app, by).await?;
    let checked = check_filing(app, by, &court, &input, true).await?;
    let filed = file_in_tx(tx, app, by, &court, checked, Some((id, old.number.clone()))).await?;
    let actor = Actor::User(by, Action::HandleCases);
    let changed = change_in_tx(tx, app, actor, id, None, |s, _| {
        case::decide_resumption(s, reason, &filed.number, filed.id).map(|e| vec![e])
    })
    .await?;
    // The new case's access codes are not shown here: the officer hands the parties new ones
    // from its page (a re-issued code replaces the one issued with the filing).
    Ok(Executed {
        version: changed.version,
        resumed_as: Some(Filed {
            access_codes: Vec::new(),
            ..filed
        }),
    })
}

/// A filing (立案), as the user made it.
#[derive(Debug, Clone)]
pub struct FileCase {
    pub input: FilingInput,
    /// The court named, if any: a case is filed at the caller's own court.
    pub court_id: Option<String>,
}

impl FileCase {
    /// A filing at the caller's own court.
    pub fn new(input: FilingInput) -> FileCase {
        FileCase {
            input,
            court_id: None,
        }
    }
}

/// Files a case at the caller's court and issues each party its access code, in one
/// transaction.
pub async fn file(app: &App, by: &Principal, cmd: FileCase) -> Result<Filed, AppError> {
    if cmd.court_id.as_ref().is_some_and(|c| *c != by.court_id) {
        return Err(AppError::forbidden(
            "a case is filed at the caller's own court",
        ));
    }
    let court = own_court(app, by).await?;
    let checked = check_filing(app, by, &court, &cmd.input, false).await?;
    let mut tx = app.store.begin().await?;
    let filed = file_in_tx(&mut tx, app, by, &court, checked, None).await?;
    tx.commit().await?;
    Ok(filed)
}
