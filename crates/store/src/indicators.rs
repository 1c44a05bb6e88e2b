//! The indicator rollups (`indicator_rollups`, `case_indicator_facts`, migration 0013).
//!
//! Writes happen only inside the transaction that changes a case (or a complaint, or an
//! entrusted task), so the sums never drift from what they count. Reads sum a handful of
//! rows: one court's `subtree` rows over the months asked for.

use std::sync::LazyLock;

use sqlx::Row;
use zhixing_domain::indicators::{CaseFacts, Contribution, Counters, Metric};

use crate::{Result, Store, StoreError, Tx, on_pool, on_tx};

/// The court ids on a materialised path, root first: `/spc/h11/i1101/` → spc, h11, i1101.
pub fn path_ids(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// Rows written per bucket: the court's own `self` row and the `subtree` row of the court and
/// each ancestor.
pub fn rows_of(path: &str) -> Vec<(&str, &'static str)> {
    let ids = path_ids(path);
    let mut out = Vec::with_capacity(ids.len() + 1);
    if let Some(own) = ids.last() {
        out.push((*own, "self"));
    }
    out.extend(ids.iter().map(|id| (*id, "subtree")));
    out
}

static COLUMNS: LazyLock<String> = LazyLock::new(|| {
    Metric::ALL
        .iter()
        .map(|m| m.column())
        .collect::<Vec<_>>()
        .join(", ")
});

/// `CAST(COALESCE(SUM(c), 0) AS BIGINT)` per column: PostgreSQL sums BIGINT into NUMERIC.
static SUMS: LazyLock<String> = LazyLock::new(|| {
    Metric::ALL
        .iter()
        .map(|m| format!("CAST(COALESCE(SUM({0}), 0) AS BIGINT)", m.column()))
        .collect::<Vec<_>>()
        .join(", ")
});

fn upsert_sql(rows: usize) -> String {
    let n = Metric::COUNT + 4;
    let values = (0..rows)
        .map(|r| {
            let ps = (1..=n)
                .map(|i| format!("${}", r * n + i))
                .collect::<Vec<_>>()
                .join(", ");
            format!("({ps})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let set = Metric::ALL
        .iter()
        .map(|m| format!("{0} = indicator_rollups.{0} + excluded.{0}", m.column()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO indicator_rollups (court_id, scope, month, case_type, {cols}) VALUES {values} \
         ON CONFLICT (court_id, scope, month, case_type) DO UPDATE SET {set}",
        cols = *COLUMNS
    )
}

fn counters_of<R: Row>(row: &R, first: usize) -> std::result::Result<Counters, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let mut c = Counters::default();
    for (i, m) in Metric::ALL.iter().enumerate() {
        c.set(*m, row.try_get::<i64, usize>(first + i)?);
    }
    Ok(c)
}

/// Which rows a read sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The court's own cases.
    Own,
    /// The court's and every court's below it.
    Subtree,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Own => "self",
            Scope::Subtree => "subtree",
        }
    }
}

/// One read: a court, a scope, months from..=to (`YYYY-MM`), optionally one case type.
#[derive(Debug, Clone)]
pub struct RollupQuery<'a> {
    pub court_id: &'a str,
    pub scope: Scope,
    pub from: &'a str,
    pub to: &'a str,
    pub case_type: Option<&'a str>,
}

impl Tx {
    /// Adds `delta` (per bucket) to the rows of the court at `court_path` and its ancestors.
    pub async fn add_to_rollups(&mut self, court_path: &str, delta: &Contribution) -> Result<()> {
        let targets = rows_of(court_path);
        let rows = delta.len() * targets.len();
        if rows == 0 {
            return Ok(());
        }
        let sql = upsert_sql(rows);
        on_tx!(self, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for ((month, case_type), counters) in delta {
                for (court, scope) in &targets {
                    q = q.bind(*court).bind(*scope).bind(month.as_str()).bind(case_type.as_str());
                    for v in counters.0 {
                        q = q.bind(v);
                    }
                }
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Records a case's facts as they now stand and moves the rollups by the difference from
    /// what the case contributed before. Nothing is written when nothing changed.
    pub async fn record_case_facts(
        &mut self,
        case_id: i64,
        court_path: &str,
        facts: &CaseFacts,
    ) -> Result<()> {
        let old: Option<(String,)> = on_tx!(self, c => sqlx::query_as(
            "SELECT facts FROM case_indicator_facts WHERE case_id = $1")
            .bind(case_id).fetch_optional(c).await)?;
        let before = match &old {
            Some((json,)) => Some(serde_json::from_str::<CaseFacts>(json).map_err(|e| {
                StoreError::Corrupt(format!("indicator facts of case {case_id}: {e}"))
            })?),
            None => None,
        };
        if before.as_ref() == Some(facts) {
            return Ok(());
        }
        let delta = zhixing_domain::indicators::delta(
            &before.map(|f| f.contribution()).unwrap_or_default(),
            &facts.contribution(),
        );
        self.add_to_rollups(court_path, &delta).await?;
        let json = serde_json::to_string(facts)
            .map_err(|e| StoreError::Corrupt(format!("indicator facts: {e}")))?;
        on_tx!(self, c => sqlx::query(
            "INSERT INTO case_indicator_facts (case_id, facts) VALUES ($1, $2) \
             ON CONFLICT (case_id) DO UPDATE SET facts = excluded.facts")
            .bind(case_id).bind(&json).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

/// A case as the recomputation reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseForIndicators {
    pub id: i64,
    pub court_id: String,
    pub court_path: String,
    pub state: String,
}

impl Tx {
    /// Forgets every rollup and fact (before a rebuild from the cases).
    pub async fn clear_rollups(&mut self) -> Result<()> {
        on_tx!(self, c => sqlx::query("DELETE FROM indicator_rollups").execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(self, c => sqlx::query("DELETE FROM case_indicator_facts").execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Store {
    /// One page of cases (id order) with their court's path, for a recomputation.
    pub async fn cases_for_indicators(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<CaseForIndicators>> {
        let sql = "SELECT c.id, c.court_id, k.path AS court_path, c.state FROM cases c \
                   JOIN courts k ON k.id = c.court_id WHERE c.id > $1 ORDER BY c.id LIMIT $2";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, CaseForIndicators>(sql).bind(after_id).bind(limit).fetch_all(p).await)?,
        )
    }

    /// Every complaint as its indicators need it: (court path, case type, received on,
    /// resolved on, resolution due).
    pub async fn complaints_for_indicators(
        &self,
    ) -> Result<Vec<(String, String, String, Option<String>, String)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT k.path, c.case_type, q.received_on, q.resolved_on, q.resolve_due FROM complaints q \
             JOIN cases c ON c.id = q.case_id JOIN courts k ON k.id = q.court_id ORDER BY q.id")
            .fetch_all(p).await)?)
    }

    /// Every entrusted task as its indicators need it: (entrusting court's path, receiving
    /// court's path, case type, requested on, due on, status, completed at µs).
    #[allow(clippy::type_complexity)] // one row of a fixed query, read in one place
    pub async fn entrusted_for_indicators(
        &self,
    ) -> Result<Vec<(String, String, String, String, String, String, Option<i64>)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT f.path, k.path, c.case_type, t.requested_on, t.due_on, t.status, t.completed_at FROM entrusted_tasks t \
             JOIN cases c ON c.id = t.case_id JOIN courts f ON f.id = t.from_court_id JOIN courts k ON k.id = t.to_court_id \
             ORDER BY t.id")
            .fetch_all(p).await)?)
    }

    /// Whether any case has recorded facts (false on a database from before the rollups).
    pub async fn has_case_facts(&self) -> Result<bool> {
        let n: Option<(i64,)> = on_pool!(self, p => sqlx::query_as("SELECT case_id FROM case_indicator_facts LIMIT 1").fetch_optional(p).await)?;
        Ok(n.is_some())
    }

    /// The counters of one court and scope summed over the months of `q`.
    pub async fn rollup_sum(&self, q: &RollupQuery<'_>) -> Result<Counters> {
        let sql = format!(
            "SELECT {sums} FROM indicator_rollups WHERE court_id = $1 AND scope = $2 \
             AND month >= $3 AND month <= $4{ty}",
            sums = *SUMS,
            ty = if q.case_type.is_some() {
                " AND case_type = $5"
            } else {
                ""
            }
        );
        let c = on_pool!(self, p => {
            let mut s = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(q.court_id).bind(q.scope.as_str()).bind(q.from).bind(q.to);
            if let Some(t) = q.case_type {
                s = s.bind(t);
            }
            match s.fetch_one(p).await {
                Ok(row) => counters_of(&row, 0),
                Err(e) => Err(e),
            }
        })?;
        Ok(c)
    }

    /// The counters per month (only months with rows), oldest first.
    pub async fn rollup_by_month(&self, q: &RollupQuery<'_>) -> Result<Vec<(String, Counters)>> {
        let sql = format!(
            "SELECT month, {sums} FROM indicator_rollups WHERE court_id = $1 AND scope = $2 \
             AND month >= $3 AND month <= $4{ty} GROUP BY month ORDER BY month",
            sums = *SUMS,
            ty = if q.case_type.is_some() {
                " AND case_type = $5"
            } else {
                ""
            }
        );
        let out = on_pool!(self, p => {
            let mut s = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(q.court_id).bind(q.scope.as_str()).bind(q.from).bind(q.to);
            if let Some(t) = q.case_type {
                s = s.bind(t);
            }
            match s.fetch_all(p).await {
                Ok(rows) => rows
                    .iter()
                    .map(|r| Ok((r.try_get::<String, usize>(0)?, counters_of(r, 1)?)))
                    .collect::<std::result::Result<Vec<_>, sqlx::Error>>(),
                Err(e) => Err(e),
            }
        })?;
        Ok(out)
    }

    /// The subtree counters of each court directly below `q.court_id` (the scope of `q` is
    /// ignored): the ranking of the courts below.
    pub async fn rollup_children(&self, q: &RollupQuery<'_>) -> Result<Vec<(String, Counters)>> {
        let sql = format!(
            "SELECT r.court_id, {sums} FROM indicator_rollups r JOIN courts c ON c.id = r.court_id \
             WHERE c.parent_id = $1 AND r.scope = 'subtree' AND r.month >= $2 AND r.month <= $3{ty} \
             GROUP BY r.court_id ORDER BY r.court_id",
            sums = *SUMS,
            ty = if q.case_type.is_some() {
                " AND r.case_type = $4"
            } else {
                ""
            }
        );
        let out = on_pool!(self, p => {
            let mut s = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(q.court_id).bind(q.from).bind(q.to);
            if let Some(t) = q.case_type {
                s = s.bind(t);
            }
            match s.fetch_all(p).await {
                Ok(rows) => rows
                    .iter()
                    .map(|r| Ok((r.try_get::<String, usize>(0)?, counters_of(r, 1)?)))
                    .collect::<std::result::Result<Vec<_>, sqlx::Error>>(),
                Err(e) => Err(e),
            }
        })?;
        Ok(out)
    }

    /// Every rollup row, for the consistency check against a recomputation.
    pub async fn rollup_rows(&self) -> Result<Vec<(String, String, String, String, Counters)>> {
        let sql = format!(
            "SELECT court_id, scope, month, case_type, {cols} FROM indicator_rollups \
             ORDER BY court_id, scope, month, case_type",
            cols = *COLUMNS
        );
        let out = on_pool!(self, p => {
            match sqlx::query(sqlx::AssertSqlSafe(sql.clone())).fetch_all(p).await {
                Ok(rows) => rows
                    .iter()
                    .map(|r| {
                        Ok((
                            r.try_get::<String, usize>(0)?,
                            r.try_get::<String, usize>(1)?,
                            r.try_get::<String, usize>(2)?,
                            r.try_get::<String, usize>(3)?,
                            counters_of(r, 4)?,
                        ))
                    })
                    .collect::<std::result::Result<Vec<_>, sqlx::Error>>(),
                Err(e) => Err(e),
            }
        })?;
        Ok(out)
    }

    /// Active users holding the officer or judge role in the court (`Own`) or its subtree:
    /// the denominator of cases per officer. Users are few (thousands), so this is a plain
    /// count.
    pub async fn count_officers(&self, court_id: &str, scope: Scope) -> Result<i64> {
        let sql = match scope {
            Scope::Own => {
                "SELECT COUNT(*) FROM users u WHERE u.court_id = $1 AND u.active \
                 AND (u.roles LIKE '%officer%' OR u.roles LIKE '%judge%')"
            }
            Scope::Subtree => {
                "SELECT COUNT(*) FROM users u JOIN courts c ON c.id = u.court_id \
                 JOIN courts top ON top.id = $1 \
                 WHERE c.path LIKE top.path || '%' AND u.active \
                 AND (u.roles LIKE '%officer%' OR u.roles LIKE '%judge%')"
            }
        };
        let n: (i64,) = on_pool!(self, p => sqlx::query_as(sql).bind(court_id).fetch_one(p).await)?;
        Ok(n.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_basic_court_writes_its_own_row_and_four_subtree_rows() {
        assert_eq!(
            rows_of("/spc/h11/i1101/b110105/"),
            [
                ("b110105", "self"),
                ("spc", "subtree"),
                ("h11", "subtree"),
                ("i1101", "subtree"),
                ("b110105", "subtree")
            ]
        );
    }

    #[test]
    fn the_upsert_numbers_its_parameters_row_by_row() {
        let sql = upsert_sql(2);
        let n = Metric::COUNT + 4;
        assert!(sql.contains(&format!("(${}, ", n + 1)));
        assert!(sql.contains(&format!("${})", 2 * n)));
        assert!(!sql.contains(&format!("${}", 2 * n + 1)));
    }
}
