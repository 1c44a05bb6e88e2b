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
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::{CaseEvent, CaseState};
use zhixing_domain::funds::{self, Account, Balances, Claim, Entry, FundsError, Posting, Side};
use zhixing_domain::money::{Fen, MoneyError};
use zhixing_domain::refusal::{Reason, Refusal};
use zhixing_domain::valuation::refused_as;
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

/// The longest bank reference, in characters.
pub const MAX_REFERENCE: usize = 100;
/// The longest note or reason, in characters.
pub const MAX_NOTE: usize = 500;
/// The most claims one distribution shares among.
pub const MAX_CLAIMS: usize = 200;

/// A command of the case account.
#[derive(Debug, Clone)]
pub enum FundsCommand {
    /// Books a payment by the debtor into the case's account. The same reference again with
    /// the same amount is a harmless repeat (nothing written); with another amount it is
    /// refused.
    Receipt {
        case_id: i64,
        amount: i64,
        /// The day it arrived, between the filing and today; today if none.
        received_on: Option<Date>,
        reference: String,
        note: String,
    },
    /// Proposes a payout to an applicant; the division head decides it.
    Propose { case_id: i64, payout: PayoutRequest },
    /// The division head approves a proposed payout or rejects it with a reason — never
    /// their own proposal.
    Decide {
        case_id: i64,
        no: i64,
        approve: bool,
        reason: String,
    },
    /// Records the transfer of an approved payout to the applicant.
    Paid {
        case_id: i64,
        no: i64,
        transfer_reference: String,
    },
    /// Distributes what the account holds available among the claims (参与分配), in legal
    /// order, and proposes one payout per share.
    Distribute {
        case_id: i64,
        claims: Vec<Claim>,
        note: String,
        delay_reason: Option<String>,
    },
}

/// What a command of the case account answers.
#[derive(Debug)]
pub enum FundsDone {
    /// The receipt, and whether it is new (false: the same receipt was booked before).
    Receipt {
        receipt: ReceiptView,
        new: bool,
    },
    /// The payout's number in the case.
    Proposed {
        no: i64,
    },
    /// The payout's number and its status now: approved, rejected or paid.
    Payout {
        no: i64,
        status: &'static str,
    },
    Distributed(DistributionPlan),
}

/// Runs a command of the case account: authorises the caller through `access::Action`
/// (`HandleCases`, or `Approve` to decide a payout), locks the case, decides on its ledger,
/// and writes the journal, the case's change and the audited events in one transaction.
pub async fn execute(app: &App, by: &Principal, cmd: FundsCommand) -> Result<FundsDone, AppError> {
    match cmd {
        FundsCommand::Receipt {
            case_id,
            amount,
            received_on,
            reference,
            note,
        } => receive_voluntary(app, by, case_id, amount, received_on, &reference, &note)
            .await
            .map(|(receipt, new)| FundsDone::Receipt { receipt, new }),
        FundsCommand::Propose { case_id, payout } => propose(app, by, case_id, &payout)
            .await
            .map(|no| FundsDone::Proposed { no }),
        FundsCommand::Decide {
            case_id,
            no,
            approve,
            reason,
        } => decide(app, by, case_id, no, approve, &reason)
            .await
            .map(|status| FundsDone::Payout { no, status }),
        FundsCommand::Paid {
            case_id,
            no,
            transfer_reference,
        } => paid(app, by, case_id, no, &transfer_reference)
            .await
            .map(|()| FundsDone::Payout { no, status: "paid" }),
        FundsCommand::Distribute {
            case_id,
            claims,
            note,
            delay_reason,
        } => distribute(app, by, case_id, &claims, &note, delay_reason.as_deref())
            .await
            .map(FundsDone::Distributed),
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

/// What the case account holds, read in the caller's transaction (which holds the case's
/// lock): (held, of which no approved payout has assigned).
pub(crate) async fn settlement_in_tx(tx: &mut Tx, case_id: i64) -> Result<(Fen, Fen), AppError> {
    let balances = balances_of(case_id, &tx.postings_tx(case_id).await?)?;
    Ok((balances.held(), balances.undistributed()))
}

/// What the case account holds, as it stands (for showing): (held, unassigned).
pub(crate) async fn settlement(app: &App, case_id: i64) -> Result<(Fen, Fen), AppError> {
    let (_, postings) = app.store.journal_of(case_id).await?;
    let balances = balances_of(case_id, &postings)?;
    Ok((balances.held(), balances.undistributed()))
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

/// A command of the case account under way: who, when, and the case locked in its
/// transaction.
struct Open {
    tx: Tx,
    locked: Locked,
    actor: String,
    today: Date,
    at_us: i64,
}

impl Open {
    /// Authorises `by` to do `action` on the case (404 if it may not read it), then opens the
    /// transaction and locks the case.
    async fn begin(
        app: &App,
        by: &Principal,
        case_id: i64,
        action: Action,
    ) -> Result<Open, AppError> {
        svc::may_act(app, by, case_id, action).await?;
        let mut tx = app.store.begin().await?;
        let locked = lock(&mut tx, app, case_id).await?;
        Ok(Open {
            tx,
            locked,
            actor: crate::actor_of(by),
            today: app.today(),
            at_us: app.now_us(),
        })
    }

    fn event(&self, kind: &str, payload: serde_json::Value) -> NewEvent {
        NewEvent {
            actor: self.actor.clone(),
            court_id: Some(self.locked.court.id.clone()),
            kind: kind.to_owned(),
            subject: format!("case:{}", self.locked.row.id),
            payload,
        }
    }

    /// Appends the audited events and commits.
    async fn commit(mut self, events: &[NewEvent]) -> Result<(), AppError> {
        self.tx.append_events(self.at_us, events).await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// What a new payout may still take: the undistributed money less what proposals not
    /// yet decided hold back.
    async fn reserved(&mut self) -> Result<Fen, AppError> {
        let case_id = self.locked.row.id;
        Fen::new(self.tx.reserved(case_id).await?).map_err(|_| corrupt(case_id, "reserved"))
    }

    /// The reason for a delay, required when money of the case is held past its payout day.
    async fn delay(&mut self, app: &App, given: Option<&str>) -> Result<Option<String>, AppError> {
        let due = late(&mut self.tx, self.locked.row.id, self.today).await?;
        let given = given.map(str::trim).filter(|s| !s.is_empty());
        match (due, given) {
            (Some(due), None) => {
                let rules = app.rules.current(&app.store).await?;
                let rule = rules
                    .lookup(
                        funds::PAYOUT_RULE,
                        self.today,
                        &svc::region(&self.locked.court),
                    )
                    .map_err(Refusal::from)?;
                Err(Refusal::invalid("delay_reason_required")
                    .with("field", "due")
                    .with("due", due)
                    .rule(rule)
                    .into())
            }
            (_, Some(r)) => {
                let codes = ("delay_reason_required", "delay_reason_length");
                text(codes, "delay_reason", r, 4, MAX_NOTE).map(Some)
            }
            (None, None) => Ok(None),
        }
    }

    /// The payout `no` of the locked case, which must have `status`.
    async fn payout(&mut self, no: i64, status: &str) -> Result<PayoutRow, AppError> {
        let case_id = self.locked.row.id;
        let p = self.tx.payout_tx(case_id, no).await?.ok_or_else(|| {
            AppError::not_found(
                "payout_not_found",
                format!("case {case_id} has no payout {no}"),
            )
        })?;
        if p.status != status {
            let code = match status {
                "proposed" => "payout_not_proposed",
                _ => "payout_not_approved",
            };
            return Err(Refusal::conflict(code)
                .with("no", no)
                .with("status", p.status)
                .into());
        }
        Ok(p)
    }

    /// Posts `entry` to the locked case's ledger and writes it to the journal.
    async fn post(&mut self, kind: &str, memo: &str, entry: &Entry) -> Result<i64, AppError> {
        self.locked.balances.post(entry).map_err(Refusal::from)?;
        let on = self.today.to_string();
        Ok(self
            .tx
            .insert_entry(
                &NewEntry {
                    case_id: self.locked.row.id,
                    court_id: &self.locked.court.id,
                    kind,
                    memo,
                    on: &on,
                    by: &self.actor,
                    at_us: self.at_us,
                },
                entry,
            )
            .await?)
    }

    /// Records a proposed payout; its number and the audited event.
    async fn propose(&mut self, payout: Proposal<'_>) -> Result<(i64, NewEvent), AppError> {
        let on = self.today.to_string();
        let no = self
            .tx
            .insert_payout(&NewPayout {
                case_id: self.locked.row.id,
                court_id: &self.locked.court.id,
                party_no: i64::from(payout.party_no),
                amount: payout.amount.get(),
                note: payout.note,
                delay_reason: payout.delay_reason,
                claim_rank: payout.rank.map(funds::Rank::as_str),
                by: &self.actor,
                on: &on,
                at_us: self.at_us,
            })
            .await?;
        let e = self.event(
            "funds.payout_proposed",
            json!({"no": no, "party_no": payout.party_no, "amount": payout.amount.get(),
                   "note": payout.note, "delay_reason": payout.delay_reason,
                   "rank": payout.rank.map(funds::Rank::as_str)}),
        );
        Ok((no, e))
    }
}

/// A payout as it is proposed.
struct Proposal<'a> {
    party_no: u32,
    amount: Fen,
    note: &'a str,
    delay_reason: Option<&'a str>,
    rank: Option<funds::Rank>,
}

/// A text field, trimmed, of `min` to `max` characters; else refused under `code` (a code
/// other answers may share), its words those of the problem `reason`.
fn text(
    (code, reason): (&'static str, &'static str),
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<String, AppError> {
    let v = value.trim();
    let n = v.chars().count();
    if n < min || n > max {
        let problem = Reason::new(reason)
            .with("field", field)
            .with("min", min)
            .with("max", max);
        return Err(refused_as(code, problem).into());
    }
    Ok(v.to_owned())
}

/// A note, 0 to [`MAX_NOTE`] characters.
fn note(value: &str) -> Result<String, AppError> {
    text(("invalid_note", "note_length"), "note", value, 0, MAX_NOTE)
}

/// A bank's reference of a transfer, 1 to [`MAX_REFERENCE`] characters.
fn reference(field: &'static str, value: &str) -> Result<String, AppError> {
    let codes = ("invalid_reference", "reference_length");
    text(codes, field, value, 1, MAX_REFERENCE)
}

/// An amount above zero, in fen.
fn positive(amount: i64) -> Result<Fen, AppError> {
    let problem = match Fen::new(amount) {
        Ok(f) if f > Fen::ZERO => return Ok(f),
        Ok(_) => "zero",
        Err(MoneyError::TooLarge) => "too_large",
        Err(MoneyError::Negative) => "negative",
    };
    Err(funds::amount_refused(problem, "amount_fen").into())
}

/// What booking a receipt did.
enum Booked {
    New { receipt_id: i64, payout_due: Date },
    Already(Box<ReceiptRow>),
}

/// Books a receipt in the caller's transaction: the journal entry, the receipt with its
/// payout due date, and `FundsReceived` on the case through its one write path (so that it
/// counts as performance).
async fn book(
    tx: &mut Tx,
    app: &App,
    case_id: i64,
    r: &Receipt<'_>,
    actor: svc::Actor<'_>,
    (name, at_us): (&str, i64),
) -> Result<Booked, AppError> {
    if r.amount == Fen::ZERO {
        return Err(Refusal::from(FundsError::NotPositive).into());
    }
    let reference = reference("reference", r.reference)?;
    let note = note(r.note)?;
    let mut locked = lock(tx, app, case_id).await?;
    if let Some(existing) = tx
        .receipt_by_reference(case_id, r.source.as_str(), &reference)
        .await?
    {
        return Ok(Booked::Already(Box::new(existing)));
    }
    let rules = app.rules.current(&app.store).await?;
    let region = svc::region(&locked.court);
    let calendar = app.calendar.current(&app.store).await?;
    let due = funds::payout_due(r.on, &rules, calendar, &region)?;
    // A bidder's deposit is held for the bidder, not the case's money: apart in the ledger,
    // off the payout clock, and no performance of the debtor.
    let held_for_bidder = r.source == funds::Source::AuctionDeposit;
    let entry = if held_for_bidder {
        Entry::deposit_received(r.amount)
    } else {
        Entry::receipt(r.amount)
    }
    .map_err(Refusal::from)?;
    locked.balances.post(&entry).map_err(Refusal::from)?;
    let on = r.on.to_string();
    let entry_id = tx
        .insert_entry(
            &NewEntry {
                case_id,
                court_id: &locked.court.id,
                kind: "receipt",
                memo: &format!("{} {}", r.source.as_str(), reference),
                on: &on,
                by: name,
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
            by: name,
            at_us,
        })
        .await?
        // The case row is locked and the reference was checked under the lock.
        .ok_or_else(|| corrupt(case_id, "receipt booked concurrently"))?;
    if held_for_bidder {
        tx.settle_receipt(receipt_id, r.amount.get()).await?;
        return Ok(Booked::New {
            receipt_id,
            payout_due: due,
        });
    }
    let received = CaseEvent::FundsReceived {
        amount: r.amount,
        on: r.on,
        source: r.source.as_str().to_owned(),
        reference,
    };
    svc::change_in_tx(tx, app, actor, case_id, None, |state, _| {
        if state.paid.checked_add(r.amount).is_err() {
            return Err(funds::amount_refused("too_large", "paid"));
        }
        Ok(vec![received])
    })
    .await?;
    Ok(Booked::New {
        receipt_id,
        payout_due: due,
    })
}

/// Books money received into a case's account inside the caller's transaction: the journal
/// entry, the receipt with its payout due date, and `FundsReceived` on the case (so that it
/// counts as performance), with their events. Idempotent by (case, source, reference): `None`
/// if that receipt was already booked, and nothing is written. Otherwise returns the audit
/// events still to append (`tx.append_events`) before the caller commits: none today, the
/// case's own write path appends the case's event.
///
/// Takes the case row lock; meant for the investigation code when an institution confirms a
/// deduction (扣划), from inside its reply-applying transaction, and for auction proceeds.
pub async fn receive_in_tx(
    tx: &mut Tx,
    app: &App,
    case_id: i64,
    receipt: &Receipt<'_>,
    actor: &str,
    at_us: i64,
) -> Result<Option<Vec<NewEvent>>, AppError> {
    let by = svc::Actor::System(actor);
    match book(tx, app, case_id, receipt, by, (actor, at_us)).await? {
        Booked::New { .. } => Ok(Some(Vec::new())),
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

/// A bidder's deposit booked in the case account (source `auction_deposit`, this
/// reference) and still held for the bidder: the receipt and what is held.
async fn held_deposit(
    tx: &mut Tx,
    app: &App,
    case_id: i64,
    reference: &str,
) -> Result<Option<(Locked, ReceiptRow)>, AppError> {
    let locked = lock(tx, app, case_id).await?;
    let Some(r) = tx
        .receipt_by_reference(case_id, funds::Source::AuctionDeposit.as_str(), reference)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((locked, r)))
}

/// Posts `entry` to the locked case's ledger in the caller's transaction.
async fn post_in_tx(
    tx: &mut Tx,
    locked: &mut Locked,
    (kind, memo): (&str, &str),
    entry: &Entry,
    (by, on, at_us): (&str, Date, i64),
) -> Result<i64, AppError> {
    locked.balances.post(entry).map_err(Refusal::from)?;
    Ok(tx
        .insert_entry(
            &NewEntry {
                case_id: locked.row.id,
                court_id: &locked.court.id,
                kind,
                memo,
                on: &on.to_string(),
                by,
                at_us,
            },
            entry,
        )
        .await?)
}

/// Returns a losing bidder's deposit, booked under `reference` by [`receive_in_tx`], out of
/// the case account, in the caller's transaction: a `transfer` out of the bank to the bidder,
/// the deposits account going down with it. The amount refunded; `None` if no such deposit was booked
/// (a deposit reported before the account held deposits) and nothing is written.
pub async fn refund_deposit_in_tx(
    tx: &mut Tx,
    app: &App,
    case_id: i64,
    reference: &str,
    actor: &str,
    at_us: i64,
) -> Result<Option<Fen>, AppError> {
    let Some((mut locked, r)) = held_deposit(tx, app, case_id, reference).await? else {
        return Ok(None);
    };
    let amount = Fen::new(r.amount).map_err(|_| corrupt(case_id, "deposit"))?;
    let entry = Entry::deposit_refunded(amount).map_err(Refusal::from)?;
    let memo = format!("auction_deposit {reference} refunded");
    post_in_tx(
        tx,
        &mut locked,
        ("transfer", &memo),
        &entry,
        (actor, app.today(), at_us),
    )
    .await?;
    Ok(Some(amount))
}

/// The winner's deposit, booked under `reference` by [`receive_in_tx`], becomes the case's
/// money in the caller's transaction: counted toward the price at the balance payment, or
/// forfeited on default (悔拍). `deposit_applied` moves it from the deposits to the money not
/// yet allotted (a `receipt` entry: no money moves at the bank), and `FundsReceived` on the case counts it as received, as its share of the
/// proceeds. The amount applied; `None` if no such deposit was booked (and nothing is
/// written: the caller books the whole sum as it arrives).
pub async fn apply_deposit_in_tx(
    tx: &mut Tx,
    app: &App,
    case_id: i64,
    reference: &str,
    actor: &str,
    at_us: i64,
) -> Result<Option<Fen>, AppError> {
    let Some((mut locked, r)) = held_deposit(tx, app, case_id, reference).await? else {
        return Ok(None);
    };
    let amount = Fen::new(r.amount).map_err(|_| corrupt(case_id, "deposit"))?;
    let entry = Entry::deposit_applied(amount).map_err(Refusal::from)?;
    let memo = format!("auction_deposit {reference} applied");
    let today = app.today();
    post_in_tx(
        tx,
        &mut locked,
        ("receipt", &memo),
        &entry,
        (actor, today, at_us),
    )
    .await?;
    let received = CaseEvent::FundsReceived {
        amount,
        on: today,
        source: funds::Source::AuctionDeposit.as_str().to_owned(),
        reference: reference.to_owned(),
    };
    svc::change_in_tx(
        tx,
        app,
        svc::Actor::System(actor),
        case_id,
        None,
        |state, _| {
            if state.paid.checked_add(amount).is_err() {
                return Err(funds::amount_refused("too_large", "paid"));
            }
            Ok(vec![received])
        },
    )
    .await?;
    Ok(Some(amount))
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

/// Records a payment into the case's account (the debtor paid the court).
async fn receive_voluntary(
    app: &App,
    by: &Principal,
    case_id: i64,
    amount: i64,
    received_on: Option<Date>,
    reference: &str,
    note: &str,
) -> Result<(ReceiptView, bool), AppError> {
    let amount = positive(amount)?;
    let (row, _) = svc::may_act(app, by, case_id, Action::HandleCases).await?;
    let today = app.today();
    let on = received_on.unwrap_or(today);
    let filed_on: Date = row.filed_on.parse().or_internal("row.filed_on.parse()")?;
    if on > today || on < filed_on {
        let problem = Reason::new("date_refused")
            .with("field", "received_on")
            .with("filed_on", filed_on)
            .with("today", today);
        return Err(refused_as("invalid_date", problem).into());
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
    let user = svc::Actor::User(by, Action::HandleCases);
    match book(&mut tx, app, case_id, &receipt, user, (&actor, at_us)).await? {
        Booked::New {
            receipt_id,
            payout_due,
        } => {
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
        Booked::Already(existing) => Err(Refusal::conflict("receipt_conflict")
            .with("receipt", existing.id)
            .with("amount", Fen::new(existing.amount).unwrap_or(Fen::ZERO))
            .into()),
    }
}

/// The due day of money of the case held past its payout day, if any: a payout proposed now
/// is late and needs a reason for the delay.
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
async fn propose(
    app: &App,
    by: &Principal,
    case_id: i64,
    req: &PayoutRequest,
) -> Result<i64, AppError> {
    let amount = positive(req.amount)?;
    let note = note(&req.note)?;
    let mut c = Open::begin(app, by, case_id, Action::HandleCases).await?;
    crate::review::check_disposal_in_tx(
        app,
        &mut c.tx,
        case_id,
        None,
        zhixing_domain::review::Disposal::Payout,
    )
    .await?;
    funds::check_payee(&c.locked.state.parties, req.party_no)?;
    let reserved = c.reserved().await?;
    funds::check_payout(&c.locked.balances, reserved, amount).map_err(Refusal::from)?;
    let delay = c.delay(app, req.delay_reason.as_deref()).await?;
    let (no, e) = c
        .propose(Proposal {
            party_no: req.party_no,
            amount,
            note: &note,
            delay_reason: delay.as_deref(),
            rank: None,
        })
        .await?;
    c.commit(&[e]).await?;
    Ok(no)
}

fn party_of(p: &PayoutRow) -> Result<u32, AppError> {
    u32::try_from(p.party_no).map_err(|_| corrupt(p.case_id, "party number"))
}

fn amount_of(p: &PayoutRow) -> Result<Fen, AppError> {
    Fen::new(p.amount).map_err(|_| corrupt(p.case_id, "payout amount"))
}

/// The division head approves a proposed payout (the money is then owed to the applicant) or
/// rejects it with a reason. Nobody approves their own proposal. Returns the new status.
async fn decide(
    app: &App,
    by: &Principal,
    case_id: i64,
    no: i64,
    approve: bool,
    reason: &str,
) -> Result<&'static str, AppError> {
    svc::may_act(app, by, case_id, Action::Approve).await?;
    let reason = text(
        ("reason_required", "decision_reason_length"),
        "reason",
        reason,
        usize::from(!approve) * 2,
        MAX_NOTE,
    )?;
    let mut c = Open::begin(app, by, case_id, Action::Approve).await?;
    let payout = c.payout(no, "proposed").await?;
    if payout.proposed_by == c.actor {
        return Err(AppError::forbidden_as(
            "own_proposal",
            "a payout is approved by someone other than who proposed it",
        ));
    }
    let entry_id = if approve {
        let entry =
            Entry::allocation(party_of(&payout)?, amount_of(&payout)?).map_err(Refusal::from)?;
        Some(
            c.post("allocation", &format!("payout {no} approved"), &entry)
                .await?,
        )
    } else {
        None
    };
    let today = c.today.to_string();
    let step = PayoutStep {
        by: &c.actor,
        on: &today,
        entry_id,
    };
    if !c
        .tx
        .decide_payout(case_id, no, approve, &reason, &step)
        .await?
    {
        return Err(corrupt(case_id, "payout changed under the lock"));
    }
    let (kind, status) = if approve {
        ("funds.payout_approved", "approved")
    } else {
        ("funds.payout_rejected", "rejected")
    };
    let e = c.event(
        kind,
        json!({"no": no, "party_no": payout.party_no, "amount": payout.amount, "reason": reason, "entry": entry_id}),
    );
    c.commit(&[e]).await?;
    Ok(status)
}

/// Records the transfer of an approved payout to the applicant: the money leaves the case's
/// account, paying out its oldest receipts first.
async fn paid(
    app: &App,
    by: &Principal,
    case_id: i64,
    no: i64,
    transfer_reference: &str,
) -> Result<(), AppError> {
    svc::may_act(app, by, case_id, Action::HandleCases).await?;
    let reference = reference("transfer_reference", transfer_reference)?;
    let mut c = Open::begin(app, by, case_id, Action::HandleCases).await?;
    let payout = c.payout(no, "approved").await?;
    let amount = amount_of(&payout)?;
    let entry = Entry::transfer(party_of(&payout)?, amount).map_err(Refusal::from)?;
    let entry_id = c
        .post("transfer", &format!("payout {no}: {reference}"), &entry)
        .await?;
    let open = c.tx.open_receipts(case_id).await?;
    let outstanding: Vec<Fen> = open
        .iter()
        .map(|r| Fen::new(r.amount - r.settled).unwrap_or(Fen::ZERO))
        .collect();
    let mut settled = Vec::new();
    for (r, take) in open.iter().zip(funds::settle(&outstanding, amount)) {
        if take > Fen::ZERO {
            c.tx.settle_receipt(r.id, take.get()).await?;
            settled.push(json!({"receipt": r.id, "amount": take.get()}));
        }
    }
    let today = c.today.to_string();
    let step = PayoutStep {
        by: &c.actor,
        on: &today,
        entry_id: Some(entry_id),
    };
    if !c.tx.payout_paid(case_id, no, &reference, &step).await? {
        return Err(corrupt(case_id, "payout changed under the lock"));
    }
    let e = c.event(
        "funds.payout_paid",
        json!({"no": no, "party_no": payout.party_no, "amount": payout.amount, "transfer_reference": reference, "entry": entry_id, "settled": settled}),
    );
    c.commit(&[e]).await
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
async fn distribute(
    app: &App,
    by: &Principal,
    case_id: i64,
    claims: &[Claim],
    note: &str,
    delay_reason_given: Option<&str>,
) -> Result<DistributionPlan, AppError> {
    funds::check_claims(claims, MAX_CLAIMS)?;
    let note = self::note(note)?;
    let mut c = Open::begin(app, by, case_id, Action::HandleCases).await?;
    crate::review::check_disposal_in_tx(
        app,
        &mut c.tx,
        case_id,
        None,
        zhixing_domain::review::Disposal::Payout,
    )
    .await?;
    for claim in claims {
        funds::check_payee(&c.locked.state.parties, claim.party_no)?;
    }
    let reserved = c.reserved().await?;
    let available = c.locked.balances.available(reserved);
    if available == Fen::ZERO {
        return Err(Refusal::from(FundsError::Insufficient {
            account: Account::Undistributed,
            held: Fen::ZERO,
            needed: claims
                .iter()
                .fold(Fen::ZERO, |t, c| t.checked_add(c.amount).unwrap_or(t)),
        })
        .into());
    }
    let delay = c.delay(app, delay_reason_given).await?;
    let shares = funds::distribute(available, claims).map_err(Refusal::from)?;
    let mut planned = Vec::with_capacity(shares.len());
    let mut events = Vec::new();
    let mut given = 0i64;
    for s in &shares {
        let payout_no = if s.share > Fen::ZERO {
            let (no, e) = c
                .propose(Proposal {
                    party_no: s.party_no,
                    amount: s.share,
                    note: &note,
                    delay_reason: delay.as_deref(),
                    rank: Some(s.rank),
                })
                .await?;
            events.push(e);
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
        c.event(
            "funds.distribution_planned",
            json!({"plan": &plan, "note": note}),
        ),
    );
    c.commit(&events).await?;
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
    /// Where the money is paid: the court's special account and the case's sub-account.
    pub payment_account: PaymentAccount,
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
    let (row, court) = svc::readable(app, by, case_id).await?;
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
        payment_account: payment_account(&court, &row),
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

/// Where money for a case is paid (一案一账号): the court's special account for enforcement
/// money (执行款专户) and the case's own sub-account number under it. The platform numbers a
/// case's sub-account itself — the digits of the court's code, then the case's id — so that
/// every transfer quoting it is matched to its case, whatever the bank's statement says.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PaymentAccount {
    /// 户名: the court's special account for enforcement money.
    pub account_name: String,
    /// 账号: the case's sub-account, 16 digits.
    pub account_number: String,
    /// What the payer writes as the transfer's purpose (用途/附言): the case number.
    pub reference: String,
}

/// The case account a payer pays into.
pub fn payment_account(court: &CourtRow, case: &CaseRow) -> PaymentAccount {
    let court_digits: String = court.code.chars().filter(char::is_ascii_digit).collect();
    let court_digits = court_digits
        .get(court_digits.len().saturating_sub(6)..)
        .unwrap_or_default();
    PaymentAccount {
        account_name: format!("{}执行款专户", court.name),
        account_number: format!("{court_digits:0>6}{:010}", case.id),
        reference: case.number.clone(),
    }
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
