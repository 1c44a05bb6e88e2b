//! Supervision orders (督办) and the notes written on them (replies, returns, closures).

use serde::Serialize;
use sqlx::FromRow;

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct SupervisionRow {
    pub id: i64,
    pub issuer_court_id: String,
    pub target_court_id: String,
    pub case_id: Option<i64>,
    pub title: String,
    pub instructions: String,
    pub deadline: String,
    pub status: String,
    pub escalated_at: Option<i64>,
    pub issued_by: i64,
    pub issued_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, issuer_court_id, target_court_id, case_id, title, instructions, deadline, status, \
    escalated_at, issued_by, issued_at, updated_at";

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct NoteRow {
    pub id: i64,
    pub supervision_id: i64,
    pub no: i64,
    /// reply, return or close.
    pub kind: String,
    pub body: String,
    pub court_id: String,
    pub written_by: i64,
    pub written_at: i64,
}

pub struct NewSupervision<'a> {
    pub issuer_court_id: &'a str,
    pub target_court_id: &'a str,
    pub case_id: Option<i64>,
    pub title: &'a str,
    pub instructions: &'a str,
    pub deadline: &'a str,
    pub issued_by: i64,
    pub at_us: i64,
}

impl Tx {
    pub async fn insert_supervision(&mut self, n: &NewSupervision<'_>) -> Result<i64> {
        let sql = "INSERT INTO supervisions (issuer_court_id, target_court_id, case_id, title, instructions, deadline, status, issued_by, issued_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $8) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(n.issuer_court_id).bind(n.target_court_id).bind(n.case_id).bind(n.title)
            .bind(n.instructions).bind(n.deadline).bind(n.issued_by).bind(n.at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }

    /// Moves an order from the status it was read in to `to`; false if it moved meanwhile.
    pub async fn move_supervision(
        &mut self,
        id: i64,
        from: &str,
        to: &str,
        at_us: i64,
    ) -> Result<bool> {
        let n = on_tx!(self, c => sqlx::query(
            "UPDATE supervisions SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to).bind(at_us).bind(id).bind(from)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Appends a note; its number follows the order's last one. Call after
    /// [`Tx::move_supervision`], whose update holds the order's row for the transaction.
    pub async fn add_supervision_note(
        &mut self,
        supervision_id: i64,
        kind: &str,
        body: &str,
        court_id: &str,
        by: i64,
        at_us: i64,
    ) -> Result<i64> {
        let sql = "INSERT INTO supervision_notes (supervision_id, no, kind, body, court_id, written_by, written_at) \
                   VALUES ($1, (SELECT COALESCE(MAX(no), 0) + 1 FROM supervision_notes WHERE supervision_id = $1), $2, $3, $4, $5, $6) \
                   RETURNING no";
        let no: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(supervision_id).bind(kind).bind(body).bind(court_id).bind(by).bind(at_us)
            .fetch_one(c).await)?;
        Ok(no.0)
    }

    /// Marks every unanswered order whose deadline is before `today` and that was not
    /// escalated yet; returns them. Idempotent: a second call finds nothing.
    pub async fn escalate_supervisions(
        &mut self,
        today: &str,
        at_us: i64,
    ) -> Result<Vec<SupervisionRow>> {
        let sql = format!(
            "UPDATE supervisions SET escalated_at = $1, updated_at = $1 \
             WHERE status IN ('open', 'returned') AND escalated_at IS NULL AND deadline < $2 RETURNING {COLS}"
        );
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, SupervisionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(at_us).bind(today).fetch_all(c).await)?,
        )
    }
}

impl Store {
    pub async fn supervision(&self, id: i64) -> Result<Option<SupervisionRow>> {
        let sql = format!("SELECT {COLS} FROM supervisions WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, SupervisionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    pub async fn supervision_notes(&self, id: i64) -> Result<Vec<NoteRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, NoteRow>(
            "SELECT id, supervision_id, no, kind, body, court_id, written_by, written_at FROM supervision_notes \
             WHERE supervision_id = $1 ORDER BY no")
            .bind(id).fetch_all(p).await)?)
    }

    /// The orders a court issued (`issued`) or received, newest first.
    pub async fn supervisions_of_court(
        &self,
        court_id: &str,
        issued: bool,
        limit: i64,
    ) -> Result<Vec<SupervisionRow>> {
        let col = if issued {
            "issuer_court_id"
        } else {
            "target_court_id"
        };
        let sql =
            format!("SELECT {COLS} FROM supervisions WHERE {col} = $1 ORDER BY id DESC LIMIT $2");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, SupervisionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(court_id).bind(limit).fetch_all(p).await)?,
        )
    }

    pub async fn supervisions_of_case(&self, case_id: i64) -> Result<Vec<SupervisionRow>> {
        let sql = format!("SELECT {COLS} FROM supervisions WHERE case_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, SupervisionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }
}
