//! The case account (一案一账号) as stored: journal entries and postings (append-only), the
//! receipts that brought money in, and the payouts to applicants.

use sqlx::FromRow;
use zhixing_domain::funds::{Entry, Side};

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ReceiptRow {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub amount: i64,
    /// deduction, voluntary or auction.
    pub source: String,
    pub reference: String,
    pub note: String,
    pub received_on: String,
    pub payout_due: String,
    /// How much of it has been paid out.
    pub settled: i64,
    pub entry_id: i64,
    pub recorded_by: String,
    pub recorded_at: i64,
}

const RECEIPT_COLS: &str = "id, case_id, court_id, amount, source, reference, note, received_on, payout_due, settled, \
    entry_id, recorded_by, recorded_at";

pub struct NewReceipt<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub amount: i64,
    pub source: &'a str,
    pub reference: &'a str,
    pub note: &'a str,
    pub received_on: &'a str,
    pub payout_due: &'a str,
    pub entry_id: i64,
    pub by: &'a str,
    pub at_us: i64,
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct PayoutRow {
    pub case_id: i64,
    pub no: i64,
    pub court_id: String,
    pub party_no: i64,
    pub amount: i64,
    /// proposed, approved, rejected or paid.
    pub status: String,
    pub note: String,
    pub delay_reason: Option<String>,
    pub claim_rank: Option<String>,
    pub proposed_by: String,
    pub proposed_on: String,
    pub proposed_at: i64,
    pub decided_by: Option<String>,
    pub decided_on: Option<String>,
    pub decision_reason: Option<String>,
    pub allocation_entry: Option<i64>,
    pub transfer_reference: Option<String>,
    pub paid_by: Option<String>,
    pub paid_on: Option<String>,
    pub transfer_entry: Option<i64>,
}

const PAYOUT_COLS: &str = "case_id, no, court_id, party_no, amount, status, note, delay_reason, claim_rank, proposed_by, \
    proposed_on, proposed_at, decided_by, decided_on, decision_reason, allocation_entry, transfer_reference, paid_by, \
    paid_on, transfer_entry";

pub struct NewPayout<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub party_no: i64,
    pub amount: i64,
    pub note: &'a str,
    pub delay_reason: Option<&'a str>,
    pub claim_rank: Option<&'a str>,
    pub by: &'a str,
    pub on: &'a str,
    pub at_us: i64,
}

/// Who did a step of a payout, when, and the journal entry it posted.
pub struct PayoutStep<'a> {
    pub by: &'a str,
    pub on: &'a str,
    pub entry_id: Option<i64>,
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct EntryRow {
    pub id: i64,
    pub case_id: i64,
    /// receipt, allocation or transfer.
    pub kind: String,
    pub memo: String,
    pub posted_on: String,
    pub posted_at: i64,
    pub posted_by: String,
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct PostingRow {
    pub entry_id: i64,
    pub line: i64,
    pub account: String,
    pub debit: i64,
    pub credit: i64,
}

/// The heading of a journal entry to store.
pub struct NewEntry<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub kind: &'a str,
    pub memo: &'a str,
    pub on: &'a str,
    pub by: &'a str,
    pub at_us: i64,
}

/// A receipt whose payout time has run out with money still held.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct OverdueRow {
    pub case_id: i64,
    pub court_id: String,
    pub receipt_id: i64,
    pub amount: i64,
    pub settled: i64,
    pub received_on: String,
    pub payout_due: String,
}

impl Tx {
    /// Stores a journal entry with its postings; returns its id.
    pub async fn insert_entry(&mut self, head: &NewEntry<'_>, entry: &Entry) -> Result<i64> {
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO fund_entries (case_id, court_id, kind, memo, posted_on, posted_at, posted_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(head.case_id).bind(head.court_id).bind(head.kind).bind(head.memo).bind(head.on).bind(head.at_us).bind(head.by)
            .fetch_one(c).await)?;
        for (line, p) in entry.postings().iter().enumerate() {
            let (debit, credit) = match p.side {
                Side::Debit => (p.amount.get(), 0),
                Side::Credit => (0, p.amount.get()),
            };
            let line = i64::try_from(line + 1).unwrap_or(i64::MAX);
            on_tx!(self, c => sqlx::query(
                "INSERT INTO fund_postings (entry_id, line, case_id, account, debit, credit) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id.0).bind(line).bind(head.case_id).bind(p.account.to_string()).bind(debit).bind(credit)
                .execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(id.0)
    }

    /// Every posting of a case, in order, as the transaction sees them.
    pub async fn postings_tx(&mut self, case_id: i64) -> Result<Vec<PostingRow>> {
        Ok(on_tx!(self, c => sqlx::query_as::<_, PostingRow>(
            "SELECT entry_id, line, account, debit, credit FROM fund_postings WHERE case_id = $1 ORDER BY entry_id, line")
            .bind(case_id).fetch_all(c).await)?)
    }

    /// Books a receipt once per (case, source, reference): `None` if it was already booked.
    pub async fn insert_receipt(&mut self, r: &NewReceipt<'_>) -> Result<Option<i64>> {
        let id: Option<(i64,)> = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO fund_receipts (case_id, court_id, amount, source, reference, note, received_on, payout_due, settled, \
             entry_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11) \
             ON CONFLICT (case_id, source, reference) DO NOTHING RETURNING id")
            .bind(r.case_id).bind(r.court_id).bind(r.amount).bind(r.source).bind(r.reference).bind(r.note)
            .bind(r.received_on).bind(r.payout_due).bind(r.entry_id).bind(r.by).bind(r.at_us)
            .fetch_optional(c).await)?;
        Ok(id.map(|r| r.0))
    }

    pub async fn receipt_by_reference(
        &mut self,
        case_id: i64,
        source: &str,
        reference: &str,
    ) -> Result<Option<ReceiptRow>> {
        let sql = format!(
            "SELECT {RECEIPT_COLS} FROM fund_receipts WHERE case_id = $1 AND source = $2 AND reference = $3"
        );
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, ReceiptRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id).bind(source).bind(reference).fetch_optional(c).await)?,
        )
    }

    /// Receipts of a case with money still held, oldest first (the order transfers settle them).
    pub async fn open_receipts(&mut self, case_id: i64) -> Result<Vec<ReceiptRow>> {
        let sql = format!(
            "SELECT {RECEIPT_COLS} FROM fund_receipts WHERE case_id = $1 AND settled < amount ORDER BY received_on, id"
        );
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, ReceiptRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id).fetch_all(c).await)?,
        )
    }

    pub async fn settle_receipt(&mut self, id: i64, add: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE fund_receipts SET settled = settled + $1 WHERE id = $2")
            .bind(add).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// What proposals not yet decided hold back from the case's undistributed money.
    pub async fn reserved(&mut self, case_id: i64) -> Result<i64> {
        let n: (Option<i64>,) = on_tx!(self, c => sqlx::query_as(
            "SELECT CAST(SUM(amount) AS BIGINT) FROM fund_payouts WHERE case_id = $1 AND status = 'proposed'")
            .bind(case_id).fetch_one(c).await)?;
        Ok(n.0.unwrap_or(0))
    }

    /// Stores a proposed payout under the case's next number; returns the number. Callers
    /// hold the case row locked, so two proposals never take the same number.
    pub async fn insert_payout(&mut self, p: &NewPayout<'_>) -> Result<i64> {
        let no: (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO fund_payouts (case_id, no, court_id, party_no, amount, status, note, delay_reason, claim_rank, \
             proposed_by, proposed_on, proposed_at) \
             VALUES ($1, (SELECT COALESCE(MAX(no), 0) + 1 FROM fund_payouts WHERE case_id = $1), $2, $3, $4, 'proposed', \
             $5, $6, $7, $8, $9, $10) RETURNING no")
            .bind(p.case_id).bind(p.court_id).bind(p.party_no).bind(p.amount).bind(p.note).bind(p.delay_reason)
            .bind(p.claim_rank).bind(p.by).bind(p.on).bind(p.at_us)
            .fetch_one(c).await)?;
        Ok(no.0)
    }

    pub async fn payout_tx(&mut self, case_id: i64, no: i64) -> Result<Option<PayoutRow>> {
        let sql = format!("SELECT {PAYOUT_COLS} FROM fund_payouts WHERE case_id = $1 AND no = $2");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, PayoutRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id).bind(no).fetch_optional(c).await)?,
        )
    }

    /// Records the division head's decision on a proposed payout; false if it was not
    /// (or no longer) proposed.
    pub async fn decide_payout(
        &mut self,
        case_id: i64,
        no: i64,
        approve: bool,
        reason: &str,
        step: &PayoutStep<'_>,
    ) -> Result<bool> {
        let status = if approve { "approved" } else { "rejected" };
        let n = on_tx!(self, c => sqlx::query(
            "UPDATE fund_payouts SET status = $1, decided_by = $2, decided_on = $3, decision_reason = $4, allocation_entry = $5 \
             WHERE case_id = $6 AND no = $7 AND status = 'proposed'")
            .bind(status).bind(step.by).bind(step.on).bind(reason).bind(step.entry_id).bind(case_id).bind(no)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Records the transfer of an approved payout; false if it was not (or no longer) approved.
    pub async fn payout_paid(
        &mut self,
        case_id: i64,
        no: i64,
        transfer_reference: &str,
        step: &PayoutStep<'_>,
    ) -> Result<bool> {
        let n = on_tx!(self, c => sqlx::query(
            "UPDATE fund_payouts SET status = 'paid', transfer_reference = $1, paid_by = $2, paid_on = $3, transfer_entry = $4 \
             WHERE case_id = $5 AND no = $6 AND status = 'approved'")
            .bind(transfer_reference).bind(step.by).bind(step.on).bind(step.entry_id).bind(case_id).bind(no)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}

impl Store {
    pub async fn receipts_of(&self, case_id: i64) -> Result<Vec<ReceiptRow>> {
        let sql = format!(
            "SELECT {RECEIPT_COLS} FROM fund_receipts WHERE case_id = $1 ORDER BY received_on, id"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ReceiptRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id).fetch_all(p).await)?,
        )
    }

    /// Payouts proposed at a court and not yet decided, oldest first: the head's queue.
    pub async fn proposed_payouts_at(&self, court_id: &str, limit: i64) -> Result<Vec<PayoutRow>> {
        let sql = format!(
            "SELECT {PAYOUT_COLS} FROM fund_payouts WHERE court_id = $1 AND status = 'proposed' \
             ORDER BY proposed_at, case_id, no LIMIT $2"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, PayoutRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(court_id).bind(limit).fetch_all(p).await)?,
        )
    }

    pub async fn payouts_of(&self, case_id: i64) -> Result<Vec<PayoutRow>> {
        let sql = format!("SELECT {PAYOUT_COLS} FROM fund_payouts WHERE case_id = $1 ORDER BY no");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, PayoutRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id).fetch_all(p).await)?,
        )
    }

    /// The journal of a case: its entries and all their postings, in order.
    pub async fn journal_of(&self, case_id: i64) -> Result<(Vec<EntryRow>, Vec<PostingRow>)> {
        let entries = on_pool!(self, p => sqlx::query_as::<_, EntryRow>(
            "SELECT id, case_id, kind, memo, posted_on, posted_at, posted_by FROM fund_entries WHERE case_id = $1 ORDER BY id")
            .bind(case_id).fetch_all(p).await)?;
        let postings = on_pool!(self, p => sqlx::query_as::<_, PostingRow>(
            "SELECT entry_id, line, account, debit, credit FROM fund_postings WHERE case_id = $1 ORDER BY entry_id, line")
            .bind(case_id).fetch_all(p).await)?;
        Ok((entries, postings))
    }

    /// Receipts due before `today` (ISO date) with money still held, earliest due first, over
    /// every court (the partial index keeps this to the open receipts).
    pub async fn overdue_receipts(&self, today: &str) -> Result<Vec<OverdueRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, OverdueRow>(
            "SELECT case_id, court_id, id AS receipt_id, amount, settled, received_on, payout_due FROM fund_receipts \
             WHERE settled < amount AND payout_due < $1 ORDER BY payout_due, case_id, id")
            .bind(today).fetch_all(p).await)?)
    }
}
