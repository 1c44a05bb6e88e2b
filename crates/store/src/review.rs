//! Review cases (执异, 执复, 执监): their rows, and the open ones holding an asset.

use serde::Serialize;
use sqlx::FromRow;

use crate::{Backend, Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct ReviewRow {
    pub id: i64,
    pub court_id: String,
    pub case_id: i64,
    pub kind: String,
    pub number: String,
    /// The domain's `Challenged`, as JSON.
    pub challenged: String,
    pub asset_id: Option<i64>,
    pub applicant: String,
    pub grounds: String,
    pub received_on: String,
    pub due_on: Option<String>,
    pub extended_days: i64,
    pub status: String,
    pub outcome: Option<String>,
    pub ruling: Option<String>,
    pub ruled_on: Option<String>,
    pub ruling_document_id: Option<i64>,
    pub security_recorded: bool,
    pub suspension_ordered: bool,
    pub filed_by: i64,
    pub filed_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, court_id, case_id, kind, number, challenged, asset_id, applicant, grounds, received_on, \
    due_on, extended_days, status, outcome, ruling, ruled_on, ruling_document_id, security_recorded <> 0 AS security_recorded, \
    suspension_ordered <> 0 AS suspension_ordered, filed_by, filed_at, updated_at";

pub struct NewReview<'a> {
    pub court_id: &'a str,
    pub case_id: i64,
    pub kind: &'a str,
    pub number: &'a str,
    pub challenged: &'a str,
    pub asset_id: Option<i64>,
    pub applicant: &'a str,
    pub grounds: &'a str,
    pub received_on: &'a str,
    pub due_on: Option<&'a str>,
    pub filed_by: i64,
    pub at_us: i64,
}

/// What a command changes on a review case; `None` leaves a column as it is.
#[derive(Default)]
pub struct ReviewChange<'a> {
    pub status: Option<&'a str>,
    pub due_on: Option<&'a str>,
    pub extended_days: Option<i64>,
    pub outcome: Option<&'a str>,
    pub ruling: Option<&'a str>,
    pub ruled_on: Option<&'a str>,
    pub ruling_document_id: Option<i64>,
    pub security_recorded: Option<bool>,
    pub suspension_ordered: Option<bool>,
}

impl Tx {
    pub async fn insert_review(&mut self, n: &NewReview<'_>) -> Result<i64> {
        let sql = "INSERT INTO review_cases (court_id, case_id, kind, number, challenged, asset_id, applicant, grounds, \
                   received_on, due_on, status, filed_by, filed_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'examining', $11, $12, $12) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(n.court_id).bind(n.case_id).bind(n.kind).bind(n.number).bind(n.challenged)
            .bind(n.asset_id).bind(n.applicant).bind(n.grounds).bind(n.received_on).bind(n.due_on)
            .bind(n.filed_by).bind(n.at_us)
            .fetch_one(c).await)
        .map_err(|e| {
            crate::StoreError::conflict_on_unique(e, &format!("review number {}", n.number))
        })?;
        Ok(id.0)
    }

    /// The review case, its row held for the rest of the transaction (on PostgreSQL; SQLite's
    /// one writer holds everything).
    pub async fn review_for_update(&mut self, id: i64) -> Result<Option<ReviewRow>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let sql = format!("SELECT {COLS} FROM review_cases WHERE id = $1{lock}");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, ReviewRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await)?,
        )
    }

    /// Applies `ch` to a review case read in status `from`; false if it moved meanwhile.
    pub async fn change_review(
        &mut self,
        id: i64,
        from: &str,
        ch: &ReviewChange<'_>,
        at_us: i64,
    ) -> Result<bool> {
        let sql = "UPDATE review_cases SET status = COALESCE($1, status), due_on = COALESCE($2, due_on), \
                   extended_days = COALESCE($3, extended_days), outcome = COALESCE($4, outcome), \
                   ruling = COALESCE($5, ruling), ruled_on = COALESCE($6, ruled_on), \
                   security_recorded = COALESCE($7, security_recorded), \
                   suspension_ordered = COALESCE($8, suspension_ordered), updated_at = $9, \
                   ruling_document_id = COALESCE($12, ruling_document_id) \
                   WHERE id = $10 AND status = $11";
        let n = on_tx!(self, c => sqlx::query(sql)
            .bind(ch.status).bind(ch.due_on).bind(ch.extended_days).bind(ch.outcome)
            .bind(ch.ruling).bind(ch.ruled_on)
            .bind(ch.security_recorded.map(i64::from)).bind(ch.suspension_ordered.map(i64::from))
            .bind(at_us).bind(id).bind(from).bind(ch.ruling_document_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// The review cases of an enforcement case that may hold its disposal back: being examined,
    /// under a suit, or ruled to suspend enforcement of the property. Read inside the disposing
    /// transaction, so that a claim filed meanwhile is seen.
    pub async fn holding_reviews(&mut self, case_id: i64) -> Result<Vec<ReviewRow>> {
        let sql = format!(
            "SELECT {COLS} FROM review_cases WHERE case_id = $1 \
             AND (status IN ('examining', 'suit') OR outcome = 'property_suspended') ORDER BY id"
        );
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, ReviewRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(c).await)?,
        )
    }
}

/// The review cases of a court and those below it, counted for the command centre.
#[derive(Debug, Clone, Default, FromRow, Serialize)]
pub struct ReviewCounts {
    pub filed: i64,
    pub ruled: i64,
    /// Ruled, of those with an examination limit.
    pub ruled_limited: i64,
    /// Ruled on or before their last day.
    pub ruled_in_time: i64,
    pub examining: i64,
    /// Still examined past their last day.
    pub overdue: i64,
}

impl Store {
    /// [`ReviewCounts`] for the courts whose path starts with `path`, as of `today`.
    pub async fn review_counts(&self, path: &str, today: &str) -> Result<ReviewCounts> {
        let sql = "SELECT COUNT(*) AS filed, \
                   COALESCE(CAST(SUM(CASE WHEN r.ruled_on IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), 0) AS ruled, \
                   COALESCE(CAST(SUM(CASE WHEN r.ruled_on IS NOT NULL AND r.due_on IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), 0) AS ruled_limited, \
                   COALESCE(CAST(SUM(CASE WHEN r.ruled_on IS NOT NULL AND r.due_on IS NOT NULL AND r.ruled_on <= r.due_on THEN 1 ELSE 0 END) AS BIGINT), 0) AS ruled_in_time, \
                   COALESCE(CAST(SUM(CASE WHEN r.status = 'examining' THEN 1 ELSE 0 END) AS BIGINT), 0) AS examining, \
                   COALESCE(CAST(SUM(CASE WHEN r.status = 'examining' AND r.due_on < $2 THEN 1 ELSE 0 END) AS BIGINT), 0) AS overdue \
                   FROM review_cases r JOIN courts c ON c.id = r.court_id WHERE c.path LIKE $1";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ReviewCounts>(sql).bind(format!("{path}%")).bind(today).fetch_one(p).await)?,
        )
    }

    pub async fn review(&self, id: i64) -> Result<Option<ReviewRow>> {
        let sql = format!("SELECT {COLS} FROM review_cases WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ReviewRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    pub async fn reviews_of_case(&self, case_id: i64) -> Result<Vec<ReviewRow>> {
        let sql = format!("SELECT {COLS} FROM review_cases WHERE case_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ReviewRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }

    /// Every review case still being examined past its last day (the watch worker's alerts):
    /// read through the partial index on `due_on`.
    pub async fn reviews_overdue(&self, today: &str) -> Result<Vec<ReviewRow>> {
        let sql = format!(
            "SELECT {COLS} FROM review_cases WHERE status = 'examining' AND due_on < $1 ORDER BY due_on, id"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ReviewRow>(sqlx::AssertSqlSafe(sql.clone())).bind(today).fetch_all(p).await)?,
        )
    }

    /// Review cases still being examined past their last day, of courts under `path`.
    pub async fn overdue_reviews(&self, path: &str, today: &str) -> Result<Vec<ReviewRow>> {
        let sql = format!(
            "SELECT {COLS} FROM review_cases WHERE status = 'examining' AND due_on < $1 \
             AND court_id IN (SELECT id FROM courts WHERE path LIKE $2) ORDER BY due_on, id"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ReviewRow>(sqlx::AssertSqlSafe(sql.clone())).bind(today).bind(format!("{path}%")).fetch_all(p).await)?,
        )
    }
}
