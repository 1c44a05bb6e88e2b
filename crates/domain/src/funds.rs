//! Case funds (案款) and the case account (一案一账号): every case has its own sub-account at
//! the court's bank; every payment that arrives is matched to a case, booked, and paid on to
//! the applicants within the time limit of the rule book (`funds.payout`, DOMAIN §8).
//!
//! The account is a double-entry ledger in fen with three kinds of account:
//!
//! - `court_bank` — the money held in the case's sub-account (a debit balance);
//! - `undistributed` — what the court holds for the case and has not yet allotted to anyone
//!   (a credit balance): a receipt credits it, whatever its source;
//! - `deposits` — bidders' deposits (竞买保证金) held for them (a credit balance): a deposit
//!   is `court_bank ← deposits`, a loser's refund `deposits ← court_bank`, and the winner's
//!   deposit, once it counts toward the price or is forfeited, `deposits ← undistributed`;
//! - `applicant:{no}` — what has been approved for payout to applicant `no` and not yet
//!   transferred (a credit balance, the court's payable).
//!
//! A receipt is `court_bank ← undistributed`, an approved payout `undistributed ← applicant:n`,
//! a transfer `applicant:n ← court_bank`. So `court_bank = undistributed + deposits + Σ applicant:n` holds
//! by construction, and [`Balances::post`] refuses any entry that would take an account below
//! zero: the case never pays out money it does not hold.
//!
//! Where several creditors share the proceeds (参与分配), [`distribute`] divides them in legal
//! order: costs first, then priority claims, then ordinary claims pro rata, to the fen.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingCalendar;
use crate::case::{PartyRecord, PartyRole};
use crate::money::{Fen, MAX_FEN};
use crate::refusal::{Reason, Refusal};
use crate::rules::RuleBook;

/// The rule giving the time limit to pay out money received.
pub const PAYOUT_RULE: &str = "funds.payout";

/// Why the ledger refuses an entry or a plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FundsError {
    #[error("an amount must be above zero")]
    NotPositive,
    #[error("an entry needs a debit and a credit, and its debits must equal its credits")]
    Unbalanced,
    #[error("the amount is too large")]
    TooLarge,
    #[error("{account} holds {held}; {needed} was asked for")]
    Insufficient {
        account: Account,
        held: Fen,
        needed: Fen,
    },
    #[error("name at least one claim")]
    NoClaims,
}

impl From<FundsError> for Refusal {
    /// The ledger's answer as a refusal: an amount or a plan that is wrong in itself is
    /// invalid; money the account does not hold is the state of the account.
    fn from(e: FundsError) -> Refusal {
        match e {
            FundsError::NotPositive => amount_refused("zero", "amount"),
            FundsError::TooLarge => amount_refused("too_large", "amount"),
            FundsError::Unbalanced => Refusal::invalid("unbalanced_entry"),
            FundsError::Insufficient {
                account,
                held,
                needed,
            } => Refusal::conflict("insufficient_funds")
                .with("account", account.to_string())
                .with("held", held)
                .with("needed", needed),
            FundsError::NoClaims => Refusal::invalid("no_claims"),
        }
    }
}

/// An amount that is not accepted, under the code other answers share (`invalid_amount`):
/// which field, and the `problem` (`zero`, `negative`, `too_large`, `format`).
pub fn amount_refused(problem: &'static str, field: &'static str) -> Refusal {
    crate::valuation::refused_as(
        "invalid_amount",
        Reason::new("amount_refused")
            .with("problem", problem)
            .with("field", field),
    )
}

/// Where money in the case account came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// 扣划: taken from the debtor's account by an institution on the court's order.
    Deduction,
    /// Paid in by the debtor (or someone for them).
    Voluntary,
    /// Proceeds of a judicial auction (司法拍卖).
    Auction,
    /// A bidder's deposit (竞买保证金): held for the bidder in [`Account::Deposits`], not the
    /// case's money until it counts toward the price or is forfeited; a loser's is refunded.
    AuctionDeposit,
}

impl Source {
    pub const ALL: [Source; 4] = [
        Source::Deduction,
        Source::Voluntary,
        Source::Auction,
        Source::AuctionDeposit,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Deduction => "deduction",
            Source::Voluntary => "voluntary",
            Source::Auction => "auction",
            Source::AuctionDeposit => "auction_deposit",
        }
    }
    /// The source as pages show it.
    pub fn label(self) -> &'static str {
        match self {
            Source::Deduction => "扣划",
            Source::Voluntary => "主动履行",
            Source::Auction => "拍卖款",
            Source::AuctionDeposit => "保证金",
        }
    }
    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// An account of the case ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Account {
    CourtBank,
    Undistributed,
    /// Bidders' deposits (竞买保证金) the court holds for them (a credit balance): refunded to
    /// the losers, counted toward the price or forfeited for the winner.
    Deposits,
    /// The payable to the applicant with this party number.
    Applicant(u32),
}

impl Account {
    pub fn parse(s: &str) -> Option<Account> {
        match s {
            "court_bank" => Some(Account::CourtBank),
            "undistributed" => Some(Account::Undistributed),
            "deposits" => Some(Account::Deposits),
            _ => s
                .strip_prefix("applicant:")
                .and_then(|n| n.parse().ok())
                .map(Account::Applicant),
        }
    }

    /// Whether the balance normally stands on the debit side (assets) rather than the credit
    /// side (what the court owes).
    fn debit_normal(self) -> bool {
        matches!(self, Account::CourtBank)
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Account::CourtBank => f.write_str("court_bank"),
            Account::Undistributed => f.write_str("undistributed"),
            Account::Deposits => f.write_str("deposits"),
            Account::Applicant(n) => write!(f, "applicant:{n}"),
        }
    }
}

impl TryFrom<String> for Account {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Account::parse(&s).ok_or_else(|| format!("unknown account {s:?}"))
    }
}

impl From<Account> for String {
    fn from(a: Account) -> String {
        a.to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Debit,
    Credit,
}

/// One line of a journal entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub account: Account,
    pub side: Side,
    pub amount: Fen,
}

/// A journal entry: postings whose debits equal their credits, every amount above zero.
/// Only [`Entry::new`] makes one, so an entry in hand is balanced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    postings: Vec<Posting>,
}

impl Entry {
    pub fn new(postings: Vec<Posting>) -> Result<Entry, FundsError> {
        let mut debit = 0i128;
        let mut credit = 0i128;
        for p in &postings {
            if p.amount == Fen::ZERO {
                return Err(FundsError::NotPositive);
            }
            match p.side {
                Side::Debit => debit += i128::from(p.amount.get()),
                Side::Credit => credit += i128::from(p.amount.get()),
            }
        }
        if debit == 0 || debit != credit {
            return Err(FundsError::Unbalanced);
        }
        Ok(Entry { postings })
    }

    fn pair(debit: Account, credit: Account, amount: Fen) -> Result<Entry, FundsError> {
        Entry::new(vec![
            Posting {
                account: debit,
                side: Side::Debit,
                amount,
            },
            Posting {
                account: credit,
                side: Side::Credit,
                amount,
            },
        ])
    }

    /// Money arrived in the case's sub-account.
    pub fn receipt(amount: Fen) -> Result<Entry, FundsError> {
        Entry::pair(Account::CourtBank, Account::Undistributed, amount)
    }

    /// A bidder's deposit arrived: held for the bidder, not the case's to pay out.
    pub fn deposit_received(amount: Fen) -> Result<Entry, FundsError> {
        Entry::pair(Account::CourtBank, Account::Deposits, amount)
    }

    /// A loser's deposit returned to the bidder.
    pub fn deposit_refunded(amount: Fen) -> Result<Entry, FundsError> {
        Entry::pair(Account::Deposits, Account::CourtBank, amount)
    }

    /// The winner's deposit becomes the case's money: counted toward the price, or forfeited
    /// on default (悔拍). No money moves at the bank.
    pub fn deposit_applied(amount: Fen) -> Result<Entry, FundsError> {
        Entry::pair(Account::Deposits, Account::Undistributed, amount)
    }

    /// A payout approved: the money is now owed to the applicant.
    pub fn allocation(party_no: u32, amount: Fen) -> Result<Entry, FundsError> {
        Entry::pair(Account::Undistributed, Account::Applicant(party_no), amount)
    }

    /// The money transferred to the applicant.
    pub fn transfer(party_no: u32, amount: Fen) -> Result<Entry, FundsError> {
        Entry::pair(Account::Applicant(party_no), Account::CourtBank, amount)
    }

    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }
}

/// The balance of every account, each on its normal side (never negative).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balances {
    by_account: BTreeMap<Account, Fen>,
}

impl Balances {
    /// The balances after these entries, in order; an entry that would overdraw an account is
    /// an error (stored entries never do).
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Result<Balances, FundsError> {
        let mut b = Balances::default();
        for e in entries {
            b.post(e)?;
        }
        Ok(b)
    }

    /// Posts an entry, or refuses it whole if any account would go below zero.
    pub fn post(&mut self, e: &Entry) -> Result<(), FundsError> {
        let mut next = self.by_account.clone();
        for p in e.postings() {
            let held = next.get(&p.account).copied().unwrap_or(Fen::ZERO);
            let increases = (p.side == Side::Debit) == p.account.debit_normal();
            let after = if increases {
                held.checked_add(p.amount)
                    .map_err(|_| FundsError::TooLarge)?
            } else if held >= p.amount {
                held.saturating_sub(p.amount)
            } else {
                return Err(FundsError::Insufficient {
                    account: p.account,
                    held,
                    needed: p.amount,
                });
            };
            next.insert(p.account, after);
        }
        self.by_account = next;
        Ok(())
    }

    pub fn get(&self, a: Account) -> Fen {
        self.by_account.get(&a).copied().unwrap_or(Fen::ZERO)
    }

    /// The money in the case's sub-account.
    pub fn held(&self) -> Fen {
        self.get(Account::CourtBank)
    }

    /// Held and not yet approved for payout to anyone.
    pub fn undistributed(&self) -> Fen {
        self.get(Account::Undistributed)
    }

    /// Approved for payout to this applicant and not yet transferred.
    pub fn payable(&self, party_no: u32) -> Fen {
        self.get(Account::Applicant(party_no))
    }

    /// Every applicant with money approved and not yet transferred.
    pub fn payables(&self) -> impl Iterator<Item = (u32, Fen)> + '_ {
        self.by_account.iter().filter_map(|(a, v)| match a {
            Account::Applicant(n) if *v > Fen::ZERO => Some((*n, *v)),
            _ => None,
        })
    }

    /// What a new payout may still take: the undistributed money less what proposals not yet
    /// decided have reserved.
    pub fn available(&self, reserved: Fen) -> Fen {
        self.undistributed().saturating_sub(reserved)
    }
}

/// Whether a payout of `amount` may be proposed while `reserved` is held by other proposals.
pub fn check_payout(balances: &Balances, reserved: Fen, amount: Fen) -> Result<(), FundsError> {
    if amount == Fen::ZERO {
        return Err(FundsError::NotPositive);
    }
    let available = balances.available(reserved);
    if amount > available {
        return Err(FundsError::Insufficient {
            account: Account::Undistributed,
            held: available,
            needed: amount,
        });
    }
    Ok(())
}

/// Whether party `party_no` of a case may be paid: money goes to the applicants only.
pub fn check_payee(parties: &[PartyRecord], party_no: u32) -> Result<(), Refusal> {
    match parties.iter().find(|p| p.no == party_no) {
        None => Err(Refusal::invalid("unknown_party").with("party_no", party_no)),
        Some(p) if p.role != PartyRole::Applicant => Err(Refusal::invalid("not_an_applicant")
            .with("party_no", party_no)
            .with("name", &p.name)),
        Some(_) => Ok(()),
    }
}

/// The claims of a distribution as given: 1 to `max`, each above zero, one per party and
/// rank.
pub fn check_claims(claims: &[Claim], max: usize) -> Result<(), Refusal> {
    if claims.is_empty() || claims.len() > max {
        return Err(Refusal::from(FundsError::NoClaims).with("max", max));
    }
    let mut seen = std::collections::BTreeSet::new();
    for c in claims {
        if c.amount == Fen::ZERO {
            return Err(FundsError::NotPositive.into());
        }
        if !seen.insert((c.party_no, c.rank)) {
            return Err(Refusal::invalid("duplicate_claim")
                .with("party_no", c.party_no)
                .with("rank", c.rank.as_str()));
        }
    }
    Ok(())
}

/// The day by which money received on `received_on` must be paid out: the `funds.payout`
/// period in force on that day, ending on a working day.
pub fn payout_due(
    received_on: Date,
    rules: &RuleBook,
    calendar: &WorkingCalendar,
    region: &str,
) -> Result<Date, Refusal> {
    let rule = rules.lookup(PAYOUT_RULE, received_on, region)?;
    calendar
        .period_end(received_on, rule.value, rule.unit)
        .map_err(|e| crate::valuation::uncountable(PAYOUT_RULE, e))
}

/// A receipt is overdue once its due day has passed with part of it still not paid out.
pub fn overdue(payout_due: Date, outstanding: Fen, today: Date) -> bool {
    outstanding > Fen::ZERO && today > payout_due
}

/// Attributes a transfer to the receipts it pays out, oldest first: `outstanding` are the
/// receipts' unpaid parts in the order received. Returns what each one takes; whatever
/// exceeds them all is left unattributed.
pub fn settle(outstanding: &[Fen], paid: Fen) -> Vec<Fen> {
    let mut left = paid;
    outstanding
        .iter()
        .map(|o| {
            let take = (*o).min(left);
            left = left.saturating_sub(take);
            take
        })
        .collect()
}

/// The legal order in which claims share proceeds (参与分配): costs of enforcement first,
/// then claims with priority (secured, wages), then ordinary claims pro rata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    Costs,
    Priority,
    Ordinary,
}

impl Rank {
    pub const ALL: [Rank; 3] = [Rank::Costs, Rank::Priority, Rank::Ordinary];
    pub fn as_str(self) -> &'static str {
        match self {
            Rank::Costs => "costs",
            Rank::Priority => "priority",
            Rank::Ordinary => "ordinary",
        }
    }
    pub fn parse(s: &str) -> Option<Rank> {
        Rank::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A creditor's claim on the proceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub party_no: u32,
    pub amount: Fen,
    pub rank: Rank,
}

/// What one claim receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub party_no: u32,
    pub rank: Rank,
    pub claimed: Fen,
    pub share: Fen,
}

/// Divides `amount` among `claims`: rank by rank, each rank paid in full before the next gets
/// anything; within the rank that cannot be paid in full, pro rata, the fen left over by
/// rounding down going one each to the largest remainders (ties to the earlier claim), so the
/// shares add up exactly. No claim gets more than it claims; the shares sum to the smaller of
/// `amount` and the total claimed. One share per claim, in the claims' order.
pub fn distribute(amount: Fen, claims: &[Claim]) -> Result<Vec<Share>, FundsError> {
    if claims.is_empty() {
        return Err(FundsError::NoClaims);
    }
    if claims.iter().any(|c| c.amount == Fen::ZERO) {
        return Err(FundsError::NotPositive);
    }
    let mut shares: Vec<i128> = vec![0; claims.len()];
    let mut remaining = i128::from(amount.get());
    for rank in Rank::ALL {
        let idx: Vec<usize> = (0..claims.len())
            .filter(|i| claims[*i].rank == rank)
            .collect();
        let total: i128 = idx
            .iter()
            .map(|i| i128::from(claims[*i].amount.get()))
            .sum();
        if total == 0 || remaining == 0 {
            continue;
        }
        if remaining >= total {
            for i in &idx {
                shares[*i] = i128::from(claims[*i].amount.get());
            }
            remaining -= total;
            continue;
        }
        // remaining < total ≤ claims × MAX_FEN, and each product stays below 10^36: no overflow.
        let mut remainders = Vec::with_capacity(idx.len());
        let mut given = 0i128;
        for i in &idx {
            let product = remaining * i128::from(claims[*i].amount.get());
            shares[*i] = product / total;
            given += shares[*i];
            remainders.push((product % total, *i));
        }
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let left = usize::try_from(remaining - given).unwrap_or(0);
        for (_, i) in remainders.into_iter().take(left) {
            shares[i] += 1;
        }
        remaining = 0;
    }
    claims
        .iter()
        .zip(shares)
        .map(|(c, s)| {
            let share = i64::try_from(s)
                .ok()
                .filter(|s| *s <= MAX_FEN)
                .and_then(|s| Fen::new(s).ok())
                .ok_or(FundsError::TooLarge)?;
            Ok(Share {
                party_no: c.party_no,
                rank: c.rank,
                claimed: c.amount,
                share,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
