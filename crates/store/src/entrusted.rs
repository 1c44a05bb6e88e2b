//! Entrusted tasks between courts (事项委托) and the documents returned with their results.

use serde::Serialize;
use sqlx::FromRow;

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct TaskRow {
    pub id: i64,
    pub case_id: i64,
    pub from_court_id: String,
    pub to_court_id: String,
    pub act: String,
    pub case_number: String,
    pub target: String,
    pub instructions: String,
    /// JSON: the respondents as the receiving court sees them (masked identifiers).
    pub respondents: String,
    pub requested_on: String,
    pub due_on: String,
    pub status: String,
    pub decline_reason: Option<String>,
    pub result: Option<String>,
    pub requested_by: i64,
    pub requested_at: i64,
    pub answered_by: Option<i64>,
    pub answered_at: Option<i64>,
    pub completed_by: Option<i64>,
    pub completed_at: Option<i64>,
    pub overdue_at: Option<i64>,
    pub updated_at: i64,
}

const COLS: &str = "id, case_id, from_court_id, to_court_id, act, case_number, target, instructions, respondents, \
    requested_on, due_on, status, decline_reason, result, requested_by, requested_at, answered_by, answered_at, \
    completed_by, completed_at, overdue_at, updated_at";

/// A returned document without its bytes.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct DocumentMeta {
    pub id: i64,
    pub task_id: i64,
    pub no: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

pub struct NewTask<'a> {
    pub case_id: i64,
    pub from_court_id: &'a str,
    pub to_court_id: &'a str,
    pub act: &'a str,
    pub case_number: &'a str,
    pub target: &'a str,
    pub instructions: &'a str,
    pub respondents: &'a str,
    pub requested_on: &'a str,
    pub due_on: &'a str,
    pub requested_by: i64,
    pub at_us: i64,
}

pub struct NewDocument<'a> {
    pub task_id: i64,
    pub no: i64,
    pub name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
}

impl Tx {
    pub async fn insert_entrusted_task(&mut self, n: &NewTask<'_>) -> Result<i64> {
        let sql = "INSERT INTO entrusted_tasks (case_id, from_court_id, to_court_id, act, case_number, target, instructions, \
                   respondents, requested_on, due_on, status, requested_by, requested_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'requested', $11, $12, $12) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(n.case_id).bind(n.from_court_id).bind(n.to_court_id).bind(n.act).bind(n.case_number)
            .bind(n.target).bind(n.instructions).bind(n.respondents).bind(n.requested_on).bind(n.due_on)
            .bind(n.requested_by).bind(n.at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }

    /// Accepts or declines a task still in `requested`; false if it moved meanwhile.
    pub async fn answer_entrusted_task(
        &mut self,
        id: i64,
        to: &str,
        reason: Option<&str>,
        by: i64,
        at_us: i64,
    ) -> Result<bool> {
        let n = on_tx!(self, c => sqlx::query(
            "UPDATE entrusted_tasks SET status = $1, decline_reason = $2, answered_by = $3, answered_at = $4, updated_at = $4 \
             WHERE id = $5 AND status = 'requested'")
            .bind(to).bind(reason).bind(by).bind(at_us).bind(id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Records the result of an accepted task; false if it moved meanwhile.
    pub async fn complete_entrusted_task(
        &mut self,
        id: i64,
        result: &str,
        by: i64,
        at_us: i64,
    ) -> Result<bool> {
        let n = on_tx!(self, c => sqlx::query(
            "UPDATE entrusted_tasks SET status = 'completed', result = $1, completed_by = $2, completed_at = $3, updated_at = $3 \
             WHERE id = $4 AND status = 'accepted'")
            .bind(result).bind(by).bind(at_us).bind(id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    pub async fn insert_entrusted_document(&mut self, d: &NewDocument<'_>) -> Result<i64> {
        let size = i64::try_from(d.content.len()).unwrap_or(i64::MAX);
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO entrusted_documents (task_id, no, name, content_type, size, sha256, content) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(d.task_id).bind(d.no).bind(d.name).bind(d.content_type).bind(size).bind(d.sha256).bind(d.content)
            .fetch_one(c).await)?;
        Ok(id.0)
    }

    /// Marks every open task whose last day is before `today` and that was not marked yet;
    /// returns them. Idempotent: a second call finds nothing.
    pub async fn mark_entrusted_overdue(
        &mut self,
        today: &str,
        at_us: i64,
    ) -> Result<Vec<TaskRow>> {
        let sql = format!(
            "UPDATE entrusted_tasks SET overdue_at = $1, updated_at = $1 \
             WHERE status IN ('requested', 'accepted') AND overdue_at IS NULL AND due_on < $2 RETURNING {COLS}"
        );
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, TaskRow>(sqlx::AssertSqlSafe(sql.clone())).bind(at_us).bind(today).fetch_all(c).await)?,
        )
    }
}

impl Store {
    pub async fn entrusted_task(&self, id: i64) -> Result<Option<TaskRow>> {
        let sql = format!("SELECT {COLS} FROM entrusted_tasks WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, TaskRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    pub async fn entrusted_tasks_of_case(&self, case_id: i64) -> Result<Vec<TaskRow>> {
        let sql = format!("SELECT {COLS} FROM entrusted_tasks WHERE case_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, TaskRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }

    /// The tasks a court sent (`sent`) or received, newest first.
    pub async fn entrusted_tasks_of_court(
        &self,
        court_id: &str,
        sent: bool,
        limit: i64,
    ) -> Result<Vec<TaskRow>> {
        let col = if sent { "from_court_id" } else { "to_court_id" };
        let sql = format!(
            "SELECT {COLS} FROM entrusted_tasks WHERE {col} = $1 ORDER BY id DESC LIMIT $2"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, TaskRow>(sqlx::AssertSqlSafe(sql.clone())).bind(court_id).bind(limit).fetch_all(p).await)?,
        )
    }

    pub async fn entrusted_documents(&self, task_id: i64) -> Result<Vec<DocumentMeta>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, DocumentMeta>(
            "SELECT id, task_id, no, name, content_type, size, sha256 FROM entrusted_documents WHERE task_id = $1 ORDER BY no")
            .bind(task_id).fetch_all(p).await)?)
    }

    /// The bytes of a task's document number `no`.
    pub async fn entrusted_document_content(
        &self,
        task_id: i64,
        no: i64,
    ) -> Result<Option<(DocumentMeta, Vec<u8>)>> {
        let meta: Option<DocumentMeta> = on_pool!(self, p => sqlx::query_as::<_, DocumentMeta>(
            "SELECT id, task_id, no, name, content_type, size, sha256 FROM entrusted_documents WHERE task_id = $1 AND no = $2")
            .bind(task_id).bind(no).fetch_optional(p).await)?;
        let Some(meta) = meta else { return Ok(None) };
        let bytes: (Vec<u8>,) = on_pool!(self, p => sqlx::query_as("SELECT content FROM entrusted_documents WHERE id = $1")
            .bind(meta.id).fetch_one(p).await)?;
        Ok(Some((meta, bytes.0)))
    }
}
