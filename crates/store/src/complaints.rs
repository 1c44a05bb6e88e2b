//! Complaints (执行信访) and hotline reports against a case, with their deadlines as columns.

use sqlx::FromRow;

use crate::{Backend, Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ComplaintRow {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub channel: String,
    pub complainant: String,
    pub summary: String,
    pub status: String,
    pub received_on: String,
    pub registered_on: String,
    pub register_due: String,
    pub resolve_due: String,
    pub resolved_on: Option<String>,
    pub result: Option<String>,
    pub registered_by: i64,
    pub resolved_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, case_id, court_id, channel, complainant, summary, status, received_on, registered_on, \
                    register_due, resolve_due, resolved_on, result, registered_by, resolved_by, created_at, updated_at";

/// A complaint as registered.
pub struct NewComplaint<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub channel: &'a str,
    pub complainant: &'a str,
    pub summary: &'a str,
    pub received_on: &'a str,
    pub registered_on: &'a str,
    pub register_due: &'a str,
    pub resolve_due: &'a str,
    pub registered_by: i64,
    pub at_us: i64,
}

impl Tx {
    pub async fn insert_complaint(&mut self, n: &NewComplaint<'_>) -> Result<i64> {
        let sql = "INSERT INTO complaints (case_id, court_id, channel, complainant, summary, status, received_on, registered_on, \
                   register_due, resolve_due, registered_by, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, 'registered', $6, $7, $8, $9, $10, $11, $11) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(n.case_id).bind(n.court_id).bind(n.channel).bind(n.complainant).bind(n.summary)
            .bind(n.received_on).bind(n.registered_on).bind(n.register_due).bind(n.resolve_due)
            .bind(n.registered_by).bind(n.at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }

    /// The row, locked for the rest of the transaction (PostgreSQL: `FOR UPDATE`; SQLite's
    /// single writer already serialises writes).
    pub async fn lock_complaint(&mut self, id: i64) -> Result<Option<ComplaintRow>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let sql = format!("SELECT {COLS} FROM complaints WHERE id = $1{lock}");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, ComplaintRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await)?,
        )
    }

    /// Marks an open complaint resolved; false if it was not open.
    pub async fn resolve_complaint(
        &mut self,
        id: i64,
        result: &str,
        resolved_on: &str,
        by: i64,
        at_us: i64,
    ) -> Result<bool> {
        let n = on_tx!(self, c => sqlx::query(
            "UPDATE complaints SET status = 'resolved', result = $1, resolved_on = $2, resolved_by = $3, updated_at = $4 \
             WHERE id = $5 AND status = 'registered'")
            .bind(result).bind(resolved_on).bind(by).bind(at_us).bind(id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}

impl Store {
    pub async fn complaint(&self, id: i64) -> Result<Option<ComplaintRow>> {
        let sql = format!("SELECT {COLS} FROM complaints WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ComplaintRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    pub async fn complaints_of_case(&self, case_id: i64) -> Result<Vec<ComplaintRow>> {
        let sql = format!("SELECT {COLS} FROM complaints WHERE case_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ComplaintRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }

    /// Complaints of the courts whose path starts with `path_prefix`, optionally of one
    /// status, newest first.
    pub async fn complaints_under(
        &self,
        path_prefix: &str,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ComplaintRow>> {
        let cols = COLS
            .split(", ")
            .map(|c| format!("x.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let status_filter = if status.is_some() {
            " AND x.status = $3"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {cols} FROM complaints x JOIN courts c ON c.id = x.court_id \
             WHERE substr(c.path, 1, length($1)) = $1{status_filter} ORDER BY x.id DESC LIMIT $2"
        );
        Ok(on_pool!(self, p => {
            let mut q = sqlx::query_as::<_, ComplaintRow>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(path_prefix)
                .bind(limit);
            if let Some(s) = status {
                q = q.bind(s);
            }
            q.fetch_all(p).await
        })?)
    }

    /// Open complaints whose day to resolve is before `today` (for the overdue alerts).
    pub async fn complaints_overdue(&self, today: &str) -> Result<Vec<ComplaintRow>> {
        let sql = format!(
            "SELECT {COLS} FROM complaints WHERE status = 'registered' AND resolve_due < $1 ORDER BY resolve_due, id"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ComplaintRow>(sqlx::AssertSqlSafe(sql.clone())).bind(today).fetch_all(p).await)?,
        )
    }
}
