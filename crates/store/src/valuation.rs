//! Reference price determinations (参考价): one row per determination of an asset's price,
//! holding the folded domain state as JSON and the columns to list it by. The events that
//! produced the state are in the event log under subject `valuation:<id>`.

use sqlx::FromRow;

use crate::{Backend, Result, Store, StoreError, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ValuationRow {
    pub id: i64,
    pub case_id: i64,
    pub asset_id: i64,
    pub court_id: String,
    pub measure_id: i64,
    /// `in_progress` or `determined`.
    pub status: String,
    pub method: String,
    pub price_fen: Option<i64>,
    pub valid_until: Option<String>,
    pub objections: i64,
    /// JSON of `zhixing_domain::valuation::Valuation`.
    pub state: String,
    pub version: i64,
    pub created_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, case_id, asset_id, court_id, measure_id, status, method, price_fen, valid_until, objections, \
                    state, version, created_by, created_at, updated_at";

pub struct NewValuation<'a> {
    pub case_id: i64,
    pub asset_id: i64,
    pub court_id: &'a str,
    pub measure_id: i64,
    pub method: &'a str,
    pub state: &'a str,
    pub created_by: i64,
    pub at_us: i64,
}

/// What a command changes on the row (all of it derived from the new state).
pub struct ValuationUpdate<'a> {
    pub status: &'a str,
    pub method: &'a str,
    pub price_fen: Option<i64>,
    pub valid_until: Option<String>,
    pub objections: i64,
    pub state: &'a str,
}

impl Tx {
    /// Inserts a determination in progress. A second one in progress for the same asset
    /// violates `valuations_one_open`: [`StoreError::Conflict`].
    pub async fn insert_valuation(&mut self, v: &NewValuation<'_>) -> Result<i64> {
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO valuations (case_id, asset_id, court_id, measure_id, status, method, state, version, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'in_progress', $5, $6, 1, $7, $8, $8) RETURNING id")
            .bind(v.case_id).bind(v.asset_id).bind(v.court_id).bind(v.measure_id).bind(v.method)
            .bind(v.state).bind(v.created_by).bind(v.at_us)
            .fetch_one(c).await)
        .map_err(|e| {
            StoreError::conflict_on_unique(e, &format!("a valuation in progress of asset {}", v.asset_id))
        })?;
        Ok(id.0)
    }

    /// A determination, locked for the rest of the transaction on PostgreSQL (SQLite's write
    /// transaction already excludes every other writer).
    pub async fn valuation_tx(&mut self, id: i64) -> Result<Option<ValuationRow>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let sql = format!("SELECT {COLS} FROM valuations WHERE id = $1{lock}");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, ValuationRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await)?,
        )
    }

    /// The asset's latest determination, read inside the transaction.
    pub async fn latest_valuation_tx(&mut self, asset_id: i64) -> Result<Option<ValuationRow>> {
        let sql =
            format!("SELECT {COLS} FROM valuations WHERE asset_id = $1 ORDER BY id DESC LIMIT 1");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, ValuationRow>(sqlx::AssertSqlSafe(sql.clone())).bind(asset_id).fetch_optional(c).await)?,
        )
    }

    /// Writes the new state if the row is still at `version`; false if another command
    /// changed it first.
    pub async fn update_valuation(
        &mut self,
        id: i64,
        version: i64,
        u: &ValuationUpdate<'_>,
        at_us: i64,
    ) -> Result<bool> {
        let n = on_tx!(self, c => sqlx::query(
            "UPDATE valuations SET status = $1, method = $2, price_fen = $3, valid_until = $4, objections = $5, state = $6, \
             version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9")
            .bind(u.status).bind(u.method).bind(u.price_fen).bind(&u.valid_until).bind(u.objections)
            .bind(u.state).bind(at_us).bind(id).bind(version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}

impl Store {
    pub async fn valuation(&self, id: i64) -> Result<Option<ValuationRow>> {
        let sql = format!("SELECT {COLS} FROM valuations WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ValuationRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    /// The asset's latest determination (the one in progress, or the last one made).
    pub async fn latest_valuation(&self, asset_id: i64) -> Result<Option<ValuationRow>> {
        let sql =
            format!("SELECT {COLS} FROM valuations WHERE asset_id = $1 ORDER BY id DESC LIMIT 1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ValuationRow>(sqlx::AssertSqlSafe(sql.clone())).bind(asset_id).fetch_optional(p).await)?,
        )
    }

    pub async fn valuations_of(&self, case_id: i64) -> Result<Vec<ValuationRow>> {
        let sql = format!("SELECT {COLS} FROM valuations WHERE case_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ValuationRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }

    /// The recorded events of one determination, in order.
    pub async fn valuation_events(&self, id: i64) -> Result<Vec<crate::EventRecord>> {
        let sql = "SELECT seq, at_us, actor, court_id, kind, subject, payload, prev_hash, hash FROM events \
                   WHERE subject = $1 ORDER BY seq";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, crate::EventRecord>(sql).bind(format!("valuation:{id}")).fetch_all(p).await)?,
        )
    }
}
