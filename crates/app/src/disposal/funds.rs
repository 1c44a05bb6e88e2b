//! The case account (案款, 一案一账号): money received into the case's sub-account, payouts to
//! the applicants with the division head's approval, distribution among several creditors
//! (参与分配), and the view of it all. The arithmetic is the domain's (`zhixing_domain::funds`).
//!
//! Every command runs in one transaction that first locks the case row (`Tx::case_tx`), then
//! reads the journal, decides and writes: two payouts can never both spend the same money, on
//! either backend. Receipts and payouts are taken on closed and suspended cases too: money
//! that has arrived in the bank must be booked and paid on whatever the state of the case,
//! and money left over after a closure is exactly what the overdue alert must show.

use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::Principal;
use zhixing_domain::case::{CaseEvent, CaseState, PartyRole};
use zhixing_domain::funds::{self, Account, Balances, Claim, Entry, FundsError, Posting, Side};
use zhixing_domain::money::Fen;
use zhixing_store::cases::CaseRow;
use zhixing_store::courts::CourtRow;
use zhixing_store::funds::{
    NewEntry, NewPayout, NewReceipt, PayoutRow, PayoutStep, PostingRow, ReceiptRow,
};
use zhixing_store::{NewEvent, Store, Tx};

use crate::case::{self as svc};
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// Money that arrived in a case's account, as the caller knows it.
#[derive(Debug, Clone)]
pub struct Receipt<'a> {
    pub amount: Fen,
    pub source: funds::Source,
    /// The bank's or the institution's reference of the transfer: with the source, it
    /// identifies the receipt, so the same reference is never booked twice.
    pub reference: &'a str,
    pub note: &'a str,
    /// The day the money arrived; the payout time limit runs from it.
    pub on: Date,
}

/// A refusal of the ledger as an HTTP answer.
fn ledger_refused(e: FundsError) -> AppError {
    let conflict = matches!(e, FundsError::Insufficient { .. });
    let r = zhixing_domain::case::Refusal::from(e);
    if conflict {
        AppError::from(r.kind(zhixing_domain::refusal::RefusalKind::Conflict))
    } else {
        AppError::from(r)
    }
}

#[track_caller]
fn corrupt(case_id: i64, what: &str) -> AppError {
    AppError::internal(format_args!(
        "inconsistent account of case {case_id}: {what}"
    ))
}

/// The balances of a case from its stored postings.
fn balances_of(case_id: i64, rows: &[PostingRow]) -> Result<Balances, AppError> {
    let mut balances = Balances::default();
    let mut lines: Vec<Posting> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let (side, amount) = if r.debit > 0 {
            (Side::Debit, r.debit)
        } else {
            (Side::Credit, r.credit)
        };
        lines.push(Posting {
            account: Account::parse(&r.account).ok_or_else(|| corrupt(case_id, "account"))?,
            side,
            amount: Fen::new(amount).map_err(|_| corrupt(case_id, "amount"))?,
        });
        if rows.get(i + 1).is_none_or(|n| n.entry_id != r.entry_id) {
            let entry = Entry::new(std::mem::take(&mut lines))
                .map_err(|_| corrupt(case_id, "unbalanced entry"))?;
            balances
                .post(&entry)
                .map_err(|_| corrupt(case_id, "overdrawn account"))?;
        }
    }
    Ok(balances)
}

/// The case locked for this transaction, with its court and state.
struct Locked {
    row: CaseRow,
    court: CourtRow,
    state: CaseState,
    balances: Balances,
}

async fn lock(tx: &mut Tx, app: &App, case_id: i64) -> Result<Locked, AppError> {
    let row = tx
        .case_tx(case_id)
        .await?
        .ok_or_else(|| AppError::not_found("case_not_found", format!("no case {case_id}")))?;
    let court = app
        .store
        .court(&row.court_id)
        .await?
        .or_internal("court(row.court_id)")?;
    let state = svc::state_of(&row)?;
    let balances = balances_of(case_id, &tx.postings_tx(case_id).await?)?;
    Ok(Locked {
        row,
        court,
        state,
        balances,
    })
}

fn event(
    actor: &str,
    court_id: &str,
    case_id: i64,
    kind: &str,
    payload: serde_json::Value,
) -> NewEvent {
    NewEvent {
        actor: actor.to_owned(),
        court_id: Some(court_id.to_owned()),
        kind: kind.to_owned(),
        subject: format!("case:{case_id}"),
        payload,
    }
}

/// A text field, trimmed, of `min` to `max` characters; `code` names the refusal.
fn text(
    code: &'static str,
    field: &str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<String, AppError> {
    let v = value.trim();
    let n = v.chars().count();
    if n < min || n > max {
        return Err(AppError::unprocessable(
            code,
            format!("{field} takes {min} to {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

fn not_positive() -> AppError {
    AppError::unprocessable("invalid_amount", "an amount above zero, in fen")
}

fn positive(amount: i64) -> Result<Fen, AppError> {
    match Fen::new(amount) {
        Ok(f) if f > Fen::ZERO => Ok(f),
        Ok(_) => Err(not_positive()),
        Err(e) => Err(AppError::unprocessable("invalid_amount", e.to_string())),
    }
}

/// What booking a receipt did.
enum Booked {
    New { receipt_id: i64, payout_due: Date },
    Already(Box<ReceiptRow>),
}

async fn book(
    tx: &mut Tx,
    app: &App,
    case_id: i64,
    r: &Receipt<'_>,
    actor: &str,
    at_us: i64,
    events: &mut Vec<NewEvent>,
) -> Result<Booked, AppError> {
    if r.amount == Fen::ZERO {
        return Err(not_positive());
    }
    let reference = text("invalid_reference", "reference", r.reference, 1, 100)?;
    let note = text("invalid_note", "note", r.note, 0, 500)?;
    let mut locked = lock(tx, app, case_id).await?;
    if let Some(existing) = tx
        .receipt_by_reference(case_id, r.source.as_str(), &reference)
        .await?
    {
        return Ok(Booked::Already(Box::new(existing)));
    }
    let rules = app.rules.current(&app.store).await?;
    let region = svc::region(&locked.court);
    let due = funds::payout_due(r.on, &rules, &app.calendar, &region).map_err(svc::refused)?;
    let entry = Entry::receipt(r.amount).map_err(ledger_refused)?;
    locked.balances.post(&entry).map_err(ledger_refused)?;
    if locked.state.paid.checked_add(r.amount).is_err() {
        return Err(AppError::unprocessable(
            "invalid_amount",
            "the total received would overflow",
        ));
    }
    let on = r.on.to_string();
    let entry_id = tx
        .insert_entry(
            &NewEntry {
                case_id,
                court_id: &locked.court.id,
                kind: "receipt",
                memo: &format!("{} {}", r.source.as_str(), reference),
                on: &on,
                by: actor,
                at_us,
            },
            &entry,
        )
        .await?;
    let receipt_id = tx
        .insert_receipt(&NewReceipt {
            case_id,
            court_id: &locked.court.id,
            amount: r.amount.get(),
            source: r.source.as_str(),
            reference: &reference,
            note: &note,
            received_on: &on,
            payout_due: &due.to_string(),
            entry_id,
            by: actor,
            at_us,
        })
        .await?
        // The case row is locked and the reference was checked under the lock.
        .ok_or_else(|| corrupt(case_id, "receipt booked concurrently"))?;
    let received = CaseEvent::FundsReceived {
        amount: r.amount,
        on: r.on,
        source: r.source.as_str().to_owned(),
        reference: reference.clone(),
    };
    let mut state = locked.state;
    state.apply(&received);
    let json = serde_json::to_string(&state).or_internal("serde_json::to_string(state)")?;
    let next_due = Some(locked.row.next_due.as_str());
    let rules = app.rules.current(&app.store).await?;
    let facts = svc::facts_of(app, &state, &locked.court, &rules)?;
    if !tx
        .update_case(
            case_id,
            locked.row.version,
            &svc::update_of(
                &state,
                &json,
                next_due,
                locked.row.closed_on.as_deref(),
                at_us,
                &locked.court.path,
                &facts,
            ),
        )
        .await?
    {
        return Err(svc::version_conflict(locked.row.version));
    }
    events.push(event(
        actor,
        &locked.court.id,
        case_id,
        received.kind(),
        serde_json::to_value(&received).or_internal("serde_json::to_value(received)")?,
    ));
    Ok(Booked::New {
        receipt_id,
        payout_due: due,
    })
}

/// Books money received into a case's account inside the caller's transaction: the journal
/// entry, the receipt with its payout due date, and `FundsReceived` on the case (so that it
/// counts as performance). Idempotent by (case, source, reference): `None` if that receipt was
/// already booked, and nothing is written. Otherwise returns the audit events, which the
/// caller appends (`tx.append_events`) before it commits — as a reply batch does once for all.
///
/// Takes the case row lock; meant for the investigation code when an institution confirms a
/// deduction (扣划), from inside its reply-applying transaction.
pub async fn receive_in_tx(
    tx: &mut Tx,
    app: &App,
    case_id: i64,
    receipt: &Receipt<'_>,
    actor: &str,
    at_us: i64,
) -> Result<Option<Vec<NewEvent>>, AppError> {
    let mut events = Vec::new();
    match book(tx, app, case_id, receipt, actor, at_us, &mut events).await? {
        Booked::New { .. } => Ok(Some(events)),
        Booked::Already(existing) => {
            if existing.amount != receipt.amount.get() {
                tracing::warn!(
                    case = case_id,
                    reference = receipt.reference,
                    booked = existing.amount,
                    reported = receipt.amount.get(),
                    "a receipt was reported again with another amount; the first stands"
                );
            }
            Ok(None)
        }
    }
}

/// A receipt as the API shows it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ReceiptView {
    pub id: i64,
    pub amount_fen: i64,
    /// deduction, voluntary or auction.
    pub source: String,
    pub reference: String,
    pub note: String,
    pub received_on: String,
    /// The day by which it must be paid out (rule `funds.payout`).
    pub payout_due: String,
    /// How much of it has been paid out (transfers settle the oldest receipts first).
    pub paid_out_fen: i64,
    /// Past its due day with money still held.
    pub overdue: bool,
    pub recorded_by: String,
}

fn receipt_view(r: &ReceiptRow, today: Date) -> ReceiptView {
    let outstanding = Fen::new(r.amount - r.settled).unwrap_or(Fen::ZERO);
    let overdue = r
        .payout_due
        .parse::<Date>()
        .is_ok_and(|due| funds::overdue(due, outstanding, today));
    ReceiptView {
        id: r.id,
        amount_fen: r.amount,
        source: r.source.clone(),
        reference: r.reference.clone(),
        note: r.note.clone(),
        received_on: r.received_on.clone(),
        payout_due: r.payout_due.clone(),
        paid_out_fen: r.settled,
        overdue,
        recorded_by: r.recorded_by.clone(),
    }
}

/// Records a payment into the case's account (the debtor paid the court). Returns the receipt
/// and whether it is new: the same reference again with the same amount is a harmless repeat
/// (nothing written); with another amount it is refused.
pub async fn receive_voluntary(
    app: &App,
    by: &Principal,
    case_id: i64,
    amount: i64,
    received_on: Option<Date>,
    reference: &str,
    note: &str,
) -> Result<(ReceiptView, bool), AppError> {
    let amount = positive(amount)?;
    let (row, _) = svc::may_act(
        app,
        by,
        case_id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    let today = app.today();
    let on = received_on.unwrap_or(today);
    let filed_on: Date = row.filed_on.parse().or_internal("row.filed_on.parse()")?;
    if on > today || on < filed_on {
        return Err(AppError::unprocessable(
            "invalid_date",
            format!("received_on lies between the filing ({filed_on}) and today ({today})"),
        ));
    }
    let receipt = Receipt {
        amount,
        source: funds::Source::Voluntary,
        reference,
        note,
        on,
    };
    let actor = crate::actor_of(by);
    let at_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let mut events = Vec::new();
    match book(&mut tx, app, case_id, &receipt, &actor, at_us, &mut events).await? {
        Booked::New {
            receipt_id,
            payout_due,
        } => {
            tx.append_events(at_us, &events).await?;
            tx.commit().await?;
            Ok((
                ReceiptView {
                    id: receipt_id,
                    amount_fen: amount.get(),
                    source: receipt.source.as_str().to_owned(),
                    reference: reference.trim().to_owned(),
                    note: note.trim().to_owned(),
                    received_on: on.to_string(),
                    payout_due: payout_due.to_string(),
                    paid_out_fen: 0,
                    overdue: funds::overdue(payout_due, amount, today),
                    recorded_by: actor,
                },
                true,
            ))
        }
        Booked::Already(existing) if existing.amount == amount.get() => {
            Ok((receipt_view(&existing, today), false))
        }
        Booked::Already(existing) => Err(AppError::conflict(
            "receipt_conflict",
            format!(
                "receipt {} was booked with {} under this reference",
                existing.id,
                Fen::new(existing.amount).unwrap_or(Fen::ZERO)
            ),
        )),
    }
}

/// The applicant a payout goes to, or why not.
fn payee(state: &CaseState, party_no: u32) -> Result<(), AppError> {
    match state.parties.iter().find(|p| p.no == party_no) {
        None => Err(AppError::unprocessable(
            "unknown_party",
            format!("the case has no party {party_no}"),
        )),
        Some(p) if p.role != PartyRole::Applicant => Err(AppError::unprocessable(
            "not_an_applicant",
            format!(
                "party {party_no} ({}) is a respondent; money is paid out to applicants",
                p.name
            ),
        )),
        Some(_) => Ok(()),
    }
}

/// Whether money of the case is held past its payout day: a payout proposed now is late and
/// needs a reason for the delay.
async fn late(tx: &mut Tx, case_id: i64, today: Date) -> Result<Option<String>, AppError> {
    for r in tx.open_receipts(case_id).await? {
        let outstanding = Fen::new(r.amount - r.settled).unwrap_or(Fen::ZERO);
        if let Ok(due) = r.payout_due.parse::<Date>()
            && funds::overdue(due, outstanding, today)
        {
            return Ok(Some(r.payout_due));
        }
    }
    Ok(None)
}

fn delay_reason(due: Option<&str>, given: Option<&str>) -> Result<Option<String>, AppError> {
    match (due, given.map(str::trim).filter(|s| !s.is_empty())) {
        (Some(due), None) => Err(AppError::unprocessable(
            "delay_reason_required",
            format!(
                "money of this case was due to be paid out by {due}; give the reason for the delay (delay_reason)"
            ),
        )),
        (_, Some(r)) => text("delay_reason_required", "delay_reason", r, 4, 500).map(Some),
        (None, None) => Ok(None),
    }
}

/// A payout to propose.
#[derive(Debug, Clone)]
pub struct PayoutRequest {
    pub party_no: u32,
    pub amount: i64,
    pub note: String,
    pub delay_reason: Option<String>,
}

/// Proposes a payout to an applicant; the division head approves it. The amount must fit in
/// what the account holds undistributed, less what other proposals hold back. Returns its
/// number in the case.
pub async fn propose(
    app: &App,
    by: &Principal,
    case_id: i64,
    req: &PayoutRequest,
) -> Result<i64, AppError> {
    let amount = positive(req.amount)?;
    let note = text("invalid_note", "note", &req.note, 0, 500)?;
    svc::may_act(
        app,
        by,
        case_id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    let actor = crate::actor_of(by);
    let today = app.today();
    let at_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let locked = lock(&mut tx, app, case_id).await?;
    payee(&locked.state, req.party_no)?;
    let reserved =
        Fen::new(tx.reserved(case_id).await?).map_err(|_| corrupt(case_id, "reserved"))?;
    funds::check_payout(&locked.balances, reserved, amount).map_err(ledger_refused)?;
    let due = late(&mut tx, case_id, today).await?;
    let delay = delay_reason(due.as_deref(), req.delay_reason.as_deref())?;
    let on = today.to_string();
    let no = tx
        .insert_payout(&NewPayout {
            case_id,
            court_id: &locked.court.id,
            party_no: i64::from(req.party_no),
            amount: amount.get(),
            note: &note,
            delay_reason: delay.as_deref(),
            claim_rank: None,
            by: &actor,
            on: &on,
            at_us,
        })
        .await?;
    let e = event(
        &actor,
        &locked.court.id,
        case_id,
        "funds.payout_proposed",
        json!({"no": no, "party_no": req.party_no, "amount": amount.get(), "note": note, "delay_reason": delay}),
    );
    tx.append_events(at_us, &[e]).await?;
    tx.commit().await?;
    Ok(no)
}

async fn payout_in(tx: &mut Tx, case_id: i64, no: i64) -> Result<PayoutRow, AppError> {
    tx.payout_tx(case_id, no).await?.ok_or_else(|| {
        AppError::not_found(
            "payout_not_found",
            format!("case {case_id} has no payout {no}"),
        )
    })
}

fn party_of(p: &PayoutRow) -> Result<u32, AppError> {
    u32::try_from(p.party_no).map_err(|_| corrupt(p.case_id, "party number"))
}

/// The division head approves a proposed payout (the money is then owed to the applicant) or
/// rejects it with a reason. Nobody approves their own proposal.
pub async fn decide(
    app: &App,
    by: &Principal,
    case_id: i64,
    no: i64,
    approve: bool,
    reason: &str,
) -> Result<(), AppError> {
    svc::may_act(app, by, case_id, zhixing_domain::access::Action::Approve).await?;
    let reason = if approve {
        text("reason_required", "reason", reason, 0, 500)?
    } else {
        text("reason_required", "reason", reason, 2, 500)?
    };
    let actor = crate::actor_of(by);
    let today = app.today().to_string();
    let at_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let mut locked = lock(&mut tx, app, case_id).await?;
    let payout = payout_in(&mut tx, case_id, no).await?;
    if payout.status != "proposed" {
        return Err(AppError::conflict(
            "payout_not_proposed",
            format!("payout {no} is {} and awaits no decision", payout.status),
        ));
    }
    if payout.proposed_by == actor {
        return Err(AppError::forbidden_as(
            "own_proposal",
            "a payout is approved by someone other than who proposed it",
        ));
    }
    let entry_id = if approve {
        let amount = Fen::new(payout.amount).map_err(|_| corrupt(case_id, "payout amount"))?;
        let entry = Entry::allocation(party_of(&payout)?, amount).map_err(ledger_refused)?;
        locked.balances.post(&entry).map_err(ledger_refused)?;
        Some(
            tx.insert_entry(
                &NewEntry {
                    case_id,
                    court_id: &locked.court.id,
                    kind: "allocation",
                    memo: &format!("payout {no} approved"),
                    on: &today,
                    by: &actor,
                    at_us,
                },
                &entry,
            )
            .await?,
        )
    } else {
        None
    };
    let step = PayoutStep {
        by: &actor,
        on: &today,
        entry_id,
    };
    if !tx
        .decide_payout(case_id, no, approve, &reason, &step)
        .await?
    {
        return Err(corrupt(case_id, "payout changed under the lock"));
    }
    let kind = if approve {
        "funds.payout_approved"
    } else {
        "funds.payout_rejected"
    };
    let e = event(
        &actor,
        &locked.court.id,
        case_id,
        kind,
        json!({"no": no, "party_no": payout.party_no, "amount": payout.amount, "reason": reason, "entry": entry_id}),
    );
    tx.append_events(at_us, &[e]).await?;
    tx.commit().await?;
    Ok(())
}

/// Records the transfer of an approved payout to the applicant: the money leaves the case's
/// account, paying out its oldest receipts first.
pub async fn paid(
    app: &App,
    by: &Principal,
    case_id: i64,
    no: i64,
    transfer_reference: &str,
) -> Result<(), AppError> {
    svc::may_act(
        app,
        by,
        case_id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    let reference = text(
        "invalid_reference",
        "transfer_reference",
        transfer_reference,
        1,
        100,
    )?;
    let actor = crate::actor_of(by);
    let today = app.today().to_string();
    let at_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let mut locked = lock(&mut tx, app, case_id).await?;
    let payout = payout_in(&mut tx, case_id, no).await?;
    if payout.status != "approved" {
        return Err(AppError::conflict(
            "payout_not_approved",
            format!(
                "payout {no} is {}; only an approved payout is transferred",
                payout.status
            ),
        ));
    }
    let amount = Fen::new(payout.amount).map_err(|_| corrupt(case_id, "payout amount"))?;
    let entry = Entry::transfer(party_of(&payout)?, amount).map_err(ledger_refused)?;
    locked.balances.post(&entry).map_err(ledger_refused)?;
    let entry_id = tx
        .insert_entry(
            &NewEntry {
                case_id,
                court_id: &locked.court.id,
                kind: "transfer",
                memo: &format!("payout {no}: {reference}"),
                on: &today,
                by: &actor,
                at_us,
            },
            &entry,
        )
        .await?;
    let open = tx.open_receipts(case_id).await?;
    let outstanding: Vec<Fen> = open
        .iter()
        .map(|r| Fen::new(r.amount - r.settled).unwrap_or(Fen::ZERO))
        .collect();
    let mut settled = Vec::new();
    for (r, take) in open.iter().zip(funds::settle(&outstanding, amount)) {
        if take > Fen::ZERO {
            tx.settle_receipt(r.id, take.get()).await?;
            settled.push(json!({"receipt": r.id, "amount": take.get()}));
        }
    }
    let step = PayoutStep {
        by: &actor,
        on: &today,
        entry_id: Some(entry_id),
    };
    if !tx.payout_paid(case_id, no, &reference, &step).await? {
        return Err(corrupt(case_id, "payout changed under the lock"));
    }
    let e = event(
        &actor,
        &locked.court.id,
        case_id,
        "funds.payout_paid",
        json!({"no": no, "party_no": payout.party_no, "amount": payout.amount, "transfer_reference": reference, "entry": entry_id, "settled": settled}),
    );
    tx.append_events(at_us, &[e]).await?;
    tx.commit().await?;
    Ok(())
}

/// One line of a distribution plan.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PlannedShare {
    pub party_no: u32,
    /// costs, priority or ordinary.
    pub rank: String,
    pub claimed_fen: i64,
    pub share_fen: i64,
    /// The payout proposed for it (none when the share is nothing).
    pub payout_no: Option<i64>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DistributionPlan {
    /// What was available to distribute.
    pub distributable_fen: i64,
    pub shares: Vec<PlannedShare>,
    /// What stays in the account (claims were smaller than the money).
    pub left_fen: i64,
}

/// Distributes what the account holds available among the claims (参与分配), in legal order,
/// and proposes one payout per share — one transaction. Each payout still needs approval.
pub async fn distribute(
    app: &App,
    by: &Principal,
    case_id: i64,
    claims: &[Claim],
    note: &str,
    delay_reason_given: Option<&str>,
) -> Result<DistributionPlan, AppError> {
    if claims.is_empty() || claims.len() > 200 {
        return Err(AppError::unprocessable("no_claims", "name 1 to 200 claims"));
    }
    let mut seen = std::collections::HashSet::new();
    for c in claims {
        if c.amount == Fen::ZERO {
            return Err(not_positive());
        }
        if !seen.insert((c.party_no, c.rank)) {
            return Err(AppError::unprocessable(
                "duplicate_claim",
                format!(
                    "party {} has two {} claims; add them up into one",
                    c.party_no,
                    c.rank.as_str()
                ),
            ));
        }
    }
    let note = text("invalid_note", "note", note, 0, 500)?;
    svc::may_act(
        app,
        by,
        case_id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    let actor = crate::actor_of(by);
    let today = app.today();
    let at_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let locked = lock(&mut tx, app, case_id).await?;
    for c in claims {
        payee(&locked.state, c.party_no)?;
    }
    let reserved =
        Fen::new(tx.reserved(case_id).await?).map_err(|_| corrupt(case_id, "reserved"))?;
    let available = locked.balances.available(reserved);
    if available == Fen::ZERO {
        return Err(AppError::conflict(
            "insufficient_funds",
            "the account holds nothing undistributed to share out",
        ));
    }
    let due = late(&mut tx, case_id, today).await?;
    let delay = delay_reason(due.as_deref(), delay_reason_given)?;
    let shares = funds::distribute(available, claims).map_err(ledger_refused)?;
    let on = today.to_string();
    let mut planned = Vec::with_capacity(shares.len());
    let mut events = Vec::new();
    let mut given = 0i64;
    for s in &shares {
        let payout_no = if s.share > Fen::ZERO {
            let no = tx
                .insert_payout(&NewPayout {
                    case_id,
                    court_id: &locked.court.id,
                    party_no: i64::from(s.party_no),
                    amount: s.share.get(),
                    note: &note,
                    delay_reason: delay.as_deref(),
                    claim_rank: Some(s.rank.as_str()),
                    by: &actor,
                    on: &on,
                    at_us,
                })
                .await?;
            events.push(event(
                &actor,
                &locked.court.id,
                case_id,
                "funds.payout_proposed",
                json!({"no": no, "party_no": s.party_no, "amount": s.share.get(), "note": note, "delay_reason": delay, "rank": s.rank.as_str()}),
            ));
            Some(no)
        } else {
            None
        };
        given += s.share.get();
        planned.push(PlannedShare {
            party_no: s.party_no,
            rank: s.rank.as_str().to_owned(),
            claimed_fen: s.claimed.get(),
            share_fen: s.share.get(),
            payout_no,
        });
    }
    let plan = DistributionPlan {
        distributable_fen: available.get(),
        left_fen: available.get() - given,
        shares: planned,
    };
    events.insert(
        0,
        event(
            &actor,
            &locked.court.id,
            case_id,
            "funds.distribution_planned",
            json!({"plan": &plan, "note": note}),
        ),
    );
    tx.append_events(at_us, &events).await?;
    tx.commit().await?;
    Ok(plan)
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PayoutView {
    pub no: i64,
    pub party_no: i64,
    pub party_name: String,
    pub amount_fen: i64,
    /// proposed, approved, rejected or paid.
    pub status: String,
    pub note: String,
    pub delay_reason: Option<String>,
    /// The claim's rank when the payout comes from a distribution.
    pub claim_rank: Option<String>,
    pub proposed_by: String,
    pub proposed_on: String,
    pub decided_by: Option<String>,
    pub decided_on: Option<String>,
    pub decision_reason: Option<String>,
    pub transfer_reference: Option<String>,
    pub paid_on: Option<String>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PostingView {
    pub account: String,
    pub debit_fen: i64,
    pub credit_fen: i64,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct EntryView {
    pub id: i64,
    /// receipt, allocation or transfer.
    pub kind: String,
    pub memo: String,
    pub posted_on: String,
    pub posted_by: String,
    pub postings: Vec<PostingView>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Payable {
    pub party_no: u32,
    pub amount_fen: i64,
}

/// The case account (一案一账号).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct AccountView {
    pub case_id: i64,
    pub number: String,
    /// The money in the case's sub-account.
    pub balance_fen: i64,
    /// Held and not yet approved for payout to anyone.
    pub undistributed_fen: i64,
    /// Held back by payouts proposed and not yet decided.
    pub reserved_fen: i64,
    /// What a new payout or distribution may take.
    pub available_fen: i64,
    /// Approved for payout and not yet transferred, per applicant.
    pub payable: Vec<Payable>,
    pub received_fen: i64,
    pub paid_out_fen: i64,
    /// Some receipt is past its payout day with money still held.
    pub overdue: bool,
    pub receipts: Vec<ReceiptView>,
    pub payouts: Vec<PayoutView>,
    pub journal: Vec<EntryView>,
}

/// The account of a case, for whoever may read the case.
pub async fn account(app: &App, by: &Principal, case_id: i64) -> Result<AccountView, AppError> {
    let (row, _) = svc::readable(app, by, case_id).await?;
    let state = svc::state_of(&row)?;
    let today = app.today();
    let (entries, postings) = app.store.journal_of(case_id).await?;
    let balances = balances_of(case_id, &postings)?;
    let receipts: Vec<ReceiptView> = app
        .store
        .receipts_of(case_id)
        .await?
        .iter()
        .map(|r| receipt_view(r, today))
        .collect();
    let payouts = app.store.payouts_of(case_id).await?;
    let reserved: i64 = payouts
        .iter()
        .filter(|p| p.status == "proposed")
        .map(|p| p.amount)
        .sum();
    let name_of = |no: i64| {
        state
            .parties
            .iter()
            .find(|p| i64::from(p.no) == no)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let journal = entries
        .into_iter()
        .map(|e| EntryView {
            postings: postings
                .iter()
                .filter(|p| p.entry_id == e.id)
                .map(|p| PostingView {
                    account: p.account.clone(),
                    debit_fen: p.debit,
                    credit_fen: p.credit,
                })
                .collect(),
            id: e.id,
            kind: e.kind,
            memo: e.memo,
            posted_on: e.posted_on,
            posted_by: e.posted_by,
        })
        .collect();
    Ok(AccountView {
        case_id,
        number: row.number.clone(),
        balance_fen: balances.held().get(),
        undistributed_fen: balances.undistributed().get(),
        reserved_fen: reserved,
        available_fen: balances
            .available(Fen::new(reserved).unwrap_or(Fen::ZERO))
            .get(),
        payable: balances
            .payables()
            .map(|(party_no, v)| Payable {
                party_no,
                amount_fen: v.get(),
            })
            .collect(),
        received_fen: receipts.iter().map(|r| r.amount_fen).sum(),
        paid_out_fen: payouts
            .iter()
            .filter(|p| p.status == "paid")
            .map(|p| p.amount)
            .sum(),
        overdue: receipts.iter().any(|r| r.overdue),
        receipts,
        payouts: payouts
            .into_iter()
            .map(|p| PayoutView {
                party_name: name_of(p.party_no),
                no: p.no,
                party_no: p.party_no,
                amount_fen: p.amount,
                status: p.status,
                note: p.note,
                delay_reason: p.delay_reason,
                claim_rank: p.claim_rank,
                proposed_by: p.proposed_by,
                proposed_on: p.proposed_on,
                decided_by: p.decided_by,
                decided_on: p.decided_on,
                decision_reason: p.decision_reason,
                transfer_reference: p.transfer_reference,
                paid_on: p.paid_on,
            })
            .collect(),
        journal,
    })
}

/// A receipt whose payout time has run out with money still held: what the alerts worker
/// reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueReceipt {
    pub case_id: i64,
    pub court_id: String,
    pub receipt_id: i64,
    pub amount: Fen,
    /// Still held of it.
    pub outstanding: Fen,
    pub received_on: Date,
    pub payout_due: Date,
}

/// Every receipt, at every court, past its payout day (`today` later than the due day) with
/// money still held; earliest due first.
pub async fn overdue_receipts(store: &Store, today: Date) -> Result<Vec<OverdueReceipt>, AppError> {
    store
        .overdue_receipts(&today.to_string())
        .await?
        .into_iter()
        .map(|r| {
            let bad = || corrupt(r.case_id, "receipt");
            Ok(OverdueReceipt {
                case_id: r.case_id,
                court_id: r.court_id.clone(),
                receipt_id: r.receipt_id,
                amount: Fen::new(r.amount).map_err(|_| bad())?,
                outstanding: Fen::new(r.amount - r.settled).map_err(|_| bad())?,
                received_on: r.received_on.parse().map_err(|_| bad())?,
                payout_due: r.payout_due.parse().map_err(|_| bad())?,
            })
        })
        .collect()
}
