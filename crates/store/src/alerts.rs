//! The command centre's alerts as stored: the list (one court or a subtree, by kind, a page at
//! a time), the counts rolled up the court hierarchy, and what the watch worker reads to raise
//! and clear alerts about cases without reading every case on every pass. Raising and clearing
//! themselves are `Tx::raise_alert` / `Tx::clear_alerts` (measures.rs), shared by every kind.

use sqlx::FromRow;

use crate::cases::{COLS as CASE_COLS, CaseRow};
use crate::measures::AlertRow;
use crate::{Result, Store, Tx, on_pool, on_tx};

/// An open alert with the number of its case, so that a list can link to the case.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct AlertItem {
    pub id: i64,
    pub court_id: String,
    pub case_id: Option<i64>,
    pub case_number: Option<String>,
    pub kind: String,
    pub subject: String,
    pub message: String,
    /// The message's code and parameters (see `Tx::raise_alert`); None on older alerts. Not
    /// in the API's answer, which keeps `message`.
    #[serde(skip)]
    pub params: Option<String>,
    pub due_on: Option<String>,
    pub raised_at: i64,
}

/// Which open alerts a list shows.
pub struct AlertQuery<'a> {
    /// The court itself…
    pub court_id: &'a str,
    /// … or, when given, every court whose path starts with this (the court's own path).
    pub subtree: Option<&'a str>,
    pub kind: Option<&'a str>,
    /// Keyset: only alerts with a smaller id (the list is newest first).
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// Open alerts of one kind counted for a court (`scope` is the court itself or, for the
/// rows of its children, the child whose whole subtree was counted).
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct AlertCount {
    pub scope: String,
    pub kind: String,
    pub n: i64,
}

/// What the untouched-case check needs of a case, without its state.
#[derive(Debug, Clone, FromRow)]
pub struct TouchRow {
    pub id: i64,
    pub court_id: String,
    pub status: String,
    pub updated_at: i64,
}

impl Store {
    /// Open alerts, newest first, with their case numbers.
    pub async fn alert_page(&self, q: &AlertQuery<'_>) -> Result<Vec<AlertItem>> {
        // Two shapes so that each walks its own index: one court by `alerts_open_court_kind`
        // / `alerts_open_court`, a subtree by the courts under the path (a few thousand at most).
        let scope = match q.subtree {
            None => "a.court_id = $1",
            Some(_) => "a.court_id IN (SELECT id FROM courts WHERE path LIKE $1)",
        };
        let kind = if q.kind.is_some() {
            "a.kind = $2"
        } else {
            "$2 = ''"
        };
        let sql = format!(
            "SELECT a.id, a.court_id, a.case_id, k.number AS case_number, a.kind, a.subject, a.message, a.params, a.due_on, a.raised_at \
             FROM alerts a LEFT JOIN cases k ON k.id = a.case_id \
             WHERE {scope} AND {kind} AND a.cleared_at IS NULL AND a.id < $3 ORDER BY a.id DESC LIMIT $4"
        );
        // Court ids are lowercase letters and digits: the path holds no LIKE wildcard.
        let first = match q.subtree {
            None => q.court_id.to_owned(),
            Some(path) => format!("{path}%"),
        };
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AlertItem>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&first).bind(q.kind.unwrap_or("")).bind(q.before_id.unwrap_or(i64::MAX)).bind(q.limit)
            .fetch_all(p).await)?,
        )
    }

    /// Open alerts per kind of the court itself (`scope` = its id) and of each direct child's
    /// whole subtree (`scope` = the child's id): the roll-up of the command centre. One
    /// statement; the counting reads only the partial index `alerts_open_court_kind`.
    pub async fn alert_counts(&self, court_id: &str) -> Result<Vec<AlertCount>> {
        // CROSS JOIN fixes SQLite's join order — children, then the courts under each (a few
        // thousand paths at most), then each court's open alerts on the index — where it would
        // otherwise walk every open alert once per child; PostgreSQL reads it as a plain join.
        let sql = "SELECT a.court_id AS scope, a.kind, COUNT(*) AS n FROM alerts a \
             WHERE a.court_id = $1 AND a.cleared_at IS NULL GROUP BY a.court_id, a.kind \
             UNION ALL \
             SELECT ch.id AS scope, a.kind, COUNT(*) AS n FROM courts ch CROSS JOIN courts d CROSS JOIN alerts a \
             WHERE ch.parent_id = $1 AND d.path LIKE ch.path || '%' AND a.court_id = d.id AND a.cleared_at IS NULL \
             GROUP BY ch.id, a.kind";
        Ok(on_pool!(self, p => sqlx::query_as::<_, AlertCount>(sql)
            .bind(court_id).fetch_all(p).await)?)
    }

    /// Every court id (a few thousand): the deadline pass walks `cases_court_due` court by court.
    pub async fn court_ids(&self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = on_pool!(self, p => sqlx::query_as("SELECT id FROM courts ORDER BY id")
            .fetch_all(p).await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Cases of a court not closed whose earliest open deadline is on or before `by`, in
    /// (next_due, id) order after `after` — a range of the index `cases_court_due`.
    pub async fn due_cases(
        &self,
        court_id: &str,
        by: &str,
        after: (&str, i64),
        limit: i64,
    ) -> Result<Vec<CaseRow>> {
        let sql = format!(
            "SELECT {CASE_COLS} FROM cases c WHERE c.court_id = $1 AND c.next_due <= $2 AND c.status <> 'closed' \
             AND (c.next_due > $3 OR (c.next_due = $3 AND c.id > $4)) ORDER BY c.next_due, c.id LIMIT $5"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, CaseRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(court_id).bind(by).bind(after.0).bind(after.1).bind(limit).fetch_all(p).await)?,
        )
    }

    /// Cases changed at or after `since`, in (updated_at, id) order after `after` — a range of
    /// the index `cases_updated`.
    pub async fn changed_cases(
        &self,
        since: i64,
        after: (i64, i64),
        limit: i64,
    ) -> Result<Vec<CaseRow>> {
        let sql = format!(
            "SELECT {CASE_COLS} FROM cases c WHERE c.updated_at >= $1 \
             AND (c.updated_at > $2 OR (c.updated_at = $2 AND c.id > $3)) ORDER BY c.updated_at, c.id LIMIT $4"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, CaseRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(since).bind(after.0).bind(after.1).bind(limit).fetch_all(p).await)?,
        )
    }

    /// Open or pending-closure cases last changed in [`from`, `to`), in (updated_at, id) order
    /// after `after` — the cases that became untouched since the previous day's pass.
    pub async fn cases_last_changed_between(
        &self,
        from: i64,
        to: i64,
        after: (i64, i64),
        limit: i64,
    ) -> Result<Vec<TouchRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, TouchRow>(
            "SELECT c.id, c.court_id, c.status, c.updated_at FROM cases c \
             WHERE c.updated_at >= $1 AND c.updated_at < $2 AND c.status IN ('open', 'pending_closure') \
             AND (c.updated_at > $3 OR (c.updated_at = $3 AND c.id > $4)) ORDER BY c.updated_at, c.id LIMIT $5")
            .bind(from).bind(to).bind(after.0).bind(after.1).bind(limit).fetch_all(p).await)?)
    }

    /// The open alerts of these kinds on these cases (one statement for a page of cases).
    pub async fn open_alerts_of_cases(
        &self,
        case_ids: &[i64],
        kinds: &[&str],
    ) -> Result<Vec<AlertRow>> {
        if case_ids.is_empty() || kinds.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are integers: nothing from a request. The kinds are filtered here, not in SQL,
        // so that the planner walks `alerts_open_case` (a handful of rows per case) and not
        // every open alert of a kind.
        let ids = case_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT id, court_id, case_id, kind, subject, message, params, due_on, raised_at, cleared_at FROM alerts \
             WHERE case_id IN ({ids}) AND cleared_at IS NULL ORDER BY id"
        );
        let rows: Vec<AlertRow> = on_pool!(self, p => sqlx::query_as::<_, AlertRow>(sqlx::AssertSqlSafe(sql.clone())).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .filter(|a| kinds.contains(&a.kind.as_str()))
            .collect())
    }

    /// Cases with an open alert of `kind_a` or `kind_b` whose earliest deadline is now after
    /// `horizon` or which are closed: the deadline alerts the due-case pass no longer reaches
    /// (a change the worker missed while no process ran). Few, and read once a day.
    pub async fn cases_with_stale_alerts(
        &self,
        kind_a: &str,
        kind_b: &str,
        horizon: &str,
    ) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT DISTINCT c.id FROM alerts a JOIN cases c ON c.id = a.case_id \
             WHERE a.kind IN ($1, $2) AND a.cleared_at IS NULL AND (c.next_due > $3 OR c.status = 'closed') ORDER BY c.id")
            .bind(kind_a).bind(kind_b).bind(horizon).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Cases with an open alert of `kind` changed at or after `since`, or no longer open or
    /// pending closure: untouched alerts that may no longer hold. Read once a day.
    pub async fn touched_cases_with_alert(&self, kind: &str, since: i64) -> Result<Vec<TouchRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, TouchRow>(
            "SELECT c.id, c.court_id, c.status, c.updated_at FROM alerts a JOIN cases c ON c.id = a.case_id \
             WHERE a.kind = $1 AND a.cleared_at IS NULL \
             AND (c.updated_at >= $2 OR c.status NOT IN ('open', 'pending_closure')) ORDER BY c.id")
            .bind(kind).bind(since).fetch_all(p).await)?)
    }

    /// A mark of the watch worker (see migration 0016).
    pub async fn watch_mark(&self, name: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT value FROM watch_marks WHERE name = $1")
            .bind(name).fetch_optional(p).await)?;
        Ok(row.map(|r| r.0))
    }
}

impl Tx {
    /// Sets a mark of the watch worker.
    pub async fn set_watch_mark(&mut self, name: &str, value: &str) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO watch_marks (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
            .bind(name).bind(value).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}
