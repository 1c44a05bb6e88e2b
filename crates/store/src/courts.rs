//! Courts and their hierarchy.

use sqlx::FromRow;
use zhixing_domain::court::{Court, court_path};

use crate::{Result, Store, StoreError, Tx, on_pool, on_tx};

/// A court as stored, with its materialised path.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct CourtRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_id: Option<String>,
    pub division_code: Option<String>,
    pub path: String,
}

const COLS: &str = "id, code, name, level, parent_id, division_code, path";

impl Tx {
    /// Inserts or updates courts given parents first; returns how many were new.
    pub async fn upsert_courts(&mut self, courts: &[Court]) -> Result<u64> {
        let mut inserted = 0u64;
        let mut paths: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for c in courts {
            let parent_path = match &c.parent {
                None => None,
                Some(p) => match paths.get(p.as_str()) {
                    Some(path) => Some(path.clone()),
                    None => {
                        let row: Option<(String,)> = on_tx!(self, x => sqlx::query_as("SELECT path FROM courts WHERE id = $1")
                            .bind(p.as_str())
                            .fetch_optional(x)
                            .await)?;
                        Some(row.map(|r| r.0).ok_or_else(|| {
                            StoreError::Corrupt(format!("parent court {p} of {} missing", c.id))
                        })?)
                    }
                },
            };
            let path = court_path(parent_path.as_deref(), &c.id);
            let sql = "INSERT INTO courts (id, code, name, level, parent_id, division_code, path) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7) \
                       ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, \
                         level = excluded.level, parent_id = excluded.parent_id, \
                         division_code = excluded.division_code, path = excluded.path";
            let existed: Option<(String,)> = on_tx!(self, x => sqlx::query_as("SELECT id FROM courts WHERE id = $1")
                .bind(c.id.as_str())
                .fetch_optional(x)
                .await)?;
            on_tx!(self, x => sqlx::query(sql)
                .bind(c.id.as_str())
                .bind(c.code.as_str())
                .bind(&c.name)
                .bind(c.level.as_str())
                .bind(c.parent.as_ref().map(|p| p.as_str().to_owned()))
                .bind(&c.division_code)
                .bind(&path)
                .execute(x).await.map(|r| r.rows_affected()))
            .map_err(|e| StoreError::conflict_on_unique(e, &format!("court code {}", c.code)))?;
            if existed.is_none() {
                inserted += 1;
            }
            paths.insert(c.id.as_str().to_owned(), path);
        }
        // A court's path is in its users' principals: a directory that changed under a
        // cached session must not be served from the cache.
        if !courts.is_empty() && inserted < courts.len() as u64 {
            self.auth_changed(None).await?;
        }
        Ok(inserted)
    }
}

impl Store {
    pub async fn court_by_code(&self, code: &str) -> Result<Option<CourtRow>> {
        let sql = format!("SELECT {COLS} FROM courts WHERE code = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, CourtRow>(sqlx::AssertSqlSafe(sql.clone())).bind(code).fetch_optional(p).await)?,
        )
    }

    pub async fn court(&self, id: &str) -> Result<Option<CourtRow>> {
        // Every court id is a `CourtId` (lowercase ASCII): anything else names no court, and is
        // not sent to the database (PostgreSQL refuses a NUL in text with an error).
        if zhixing_domain::court::CourtId::parse(id).is_err() {
            return Ok(None);
        }
        let sql = format!("SELECT {COLS} FROM courts WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, CourtRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    /// Courts whose path starts with `path_prefix`, in path order, after `after_path`.
    pub async fn courts_under(
        &self,
        path_prefix: &str,
        after_path: &str,
        limit: i64,
    ) -> Result<Vec<CourtRow>> {
        let sql = format!(
            "SELECT {COLS} FROM courts WHERE substr(path, 1, length($1)) = $1 AND path > $2 ORDER BY path LIMIT $3"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, CourtRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(path_prefix)
            .bind(after_path)
            .bind(limit)
            .fetch_all(p)
            .await)?,
        )
    }

    pub async fn court_children(&self, id: &str) -> Result<Vec<CourtRow>> {
        let sql = format!("SELECT {COLS} FROM courts WHERE parent_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, CourtRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_all(p).await)?,
        )
    }

    pub async fn count_courts(&self) -> Result<i64> {
        let n: (i64,) =
            on_pool!(self, p => sqlx::query_as("SELECT COUNT(*) FROM courts").fetch_one(p).await)?;
        Ok(n.0)
    }

    /// Courts with their number of children, for the court tree page.
    pub async fn court_children_counts(&self, id: &str) -> Result<Vec<(CourtRow, i64)>> {
        let children = self.court_children(id).await?;
        let sql = "SELECT parent_id, COUNT(*) FROM courts WHERE parent_id IN (SELECT id FROM courts WHERE parent_id = $1) GROUP BY parent_id";
        let counts: Vec<(String, i64)> =
            on_pool!(self, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
        let counts: std::collections::HashMap<String, i64> = counts.into_iter().collect();
        Ok(children
            .into_iter()
            .map(|c| {
                let n = counts.get(&c.id).copied().unwrap_or(0);
                (c, n)
            })
            .collect())
    }
}
