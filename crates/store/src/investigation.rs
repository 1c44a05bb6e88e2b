//! Institutions, investigations, the outbox and inbox of exchange messages, and assets.

use sqlx::FromRow;

use crate::{Backend, Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct InstitutionRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// Comma-separated: query, freeze, seize, detain, deduct, renew, release.
    pub measures: String,
    pub channel: String,
    pub region: String,
    pub endpoint: String,
    pub public_key: String,
    pub concurrency: i64,
    pub active: bool,
    pub created_at: i64,
}

const INST_COLS: &str = "id, name, kind, measures, channel, region, endpoint, public_key, concurrency, active, created_at";

/// An outbox row claimed for sending.
#[derive(Debug, Clone, FromRow)]
pub struct OutboxRow {
    pub message_id: String,
    pub institution_id: String,
    pub case_id: i64,
    pub sealed: String,
    pub attempts: i64,
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct OutboxStatus {
    pub message_id: String,
    pub institution_id: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub replied_at: Option<i64>,
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct InvestigationRow {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub requested_by: i64,
    pub requested_at: i64,
    pub messages: i64,
    pub purpose: String,
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct AssetRow {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub institution_id: String,
    pub kind: String,
    pub reference: String,
    pub description: String,
    pub value_fen: Option<i64>,
    pub encumbrances: String,
    pub found_by: String,
    pub found_at: i64,
}

pub struct NewAsset<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub institution_id: &'a str,
    pub kind: &'a str,
    pub reference: &'a str,
    pub description: &'a str,
    pub value_fen: Option<i64>,
    pub encumbrances: &'a str,
    pub found_by: &'a str,
    pub at_us: i64,
}

impl Tx {
    pub async fn put_institution(&mut self, i: &InstitutionRow) -> Result<bool> {
        let exists: Option<(String,)> = on_tx!(self, c => sqlx::query_as("SELECT id FROM institutions WHERE id = $1").bind(&i.id).fetch_optional(c).await)?;
        let sql = "INSERT INTO institutions (id, name, kind, measures, channel, region, endpoint, public_key, concurrency, active, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                   ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, measures = excluded.measures, \
                   channel = excluded.channel, region = excluded.region, endpoint = excluded.endpoint, public_key = excluded.public_key, \
                   concurrency = excluded.concurrency, active = excluded.active";
        on_tx!(self, c => sqlx::query(sql)
            .bind(&i.id).bind(&i.name).bind(&i.kind).bind(&i.measures).bind(&i.channel).bind(&i.region).bind(&i.endpoint)
            .bind(&i.public_key).bind(i.concurrency).bind(i.active).bind(i.created_at)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(exists.is_none())
    }

    /// `purpose`: `case` (asked by an officer) or `recheck` (the periodic re-investigation of
    /// a 终本 case).
    pub async fn insert_investigation(
        &mut self,
        case_id: i64,
        court_id: &str,
        by: i64,
        at_us: i64,
        messages: i64,
        purpose: &str,
    ) -> Result<i64> {
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO investigations (case_id, court_id, requested_by, requested_at, messages, purpose) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(case_id).bind(court_id).bind(by).bind(at_us).bind(messages).bind(purpose).fetch_one(c).await)?;
        // Any investigation of a 终本 case, asked or periodic, starts its interval again.
        on_tx!(self, c => sqlx::query("UPDATE zhongben_rechecks SET since_us = $1 WHERE case_id = $2 AND since_us < $1")
            .bind(at_us).bind(case_id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(id.0)
    }

    #[allow(clippy::too_many_arguments)] // one row, every column named at the single call site
    pub async fn insert_outbox(
        &mut self,
        message_id: &str,
        investigation_id: Option<i64>,
        case_id: i64,
        court_id: &str,
        institution_id: &str,
        kind: &str,
        sealed: &str,
        at_us: i64,
        measure_id: Option<i64>,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO outbox (message_id, investigation_id, case_id, court_id, institution_id, kind, sealed, status, attempts, next_attempt_at, created_at, measure_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8, $9)")
            .bind(message_id).bind(investigation_id).bind(case_id).bind(court_id).bind(institution_id).bind(kind).bind(sealed).bind(at_us).bind(measure_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Records a reply's message id; false if it was already applied (a replay or a
    /// duplicate delivery), in which case the caller applies nothing.
    pub async fn record_inbox(
        &mut self,
        message_id: &str,
        in_reply_to: &str,
        institution_id: &str,
        at_us: i64,
    ) -> Result<bool> {
        let n = on_tx!(self, c => sqlx::query(
            "INSERT INTO inbox (message_id, in_reply_to, institution_id, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING")
            .bind(message_id).bind(in_reply_to).bind(institution_id).bind(at_us).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// The request a reply names, read inside the transaction that applies the reply.
    pub async fn answered(&mut self, message_id: &str) -> Result<Option<Answered>> {
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, Answered>(ANSWERED_SQL)
            .bind(message_id).fetch_optional(c).await)?,
        )
    }

    /// Marks a request answered.
    pub async fn outbox_replied(&mut self, message_id: &str, at_us: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE outbox SET status = 'replied', replied_at = $1, lease_until = NULL WHERE message_id = $2")
            .bind(at_us).bind(message_id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Stores an asset once per (case, institution, reference); true if new.
    pub async fn insert_asset(&mut self, a: &NewAsset<'_>) -> Result<bool> {
        let n = on_tx!(self, c => sqlx::query(
            "INSERT INTO assets (case_id, court_id, institution_id, kind, reference, description, value_fen, encumbrances, found_by, found_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (case_id, institution_id, reference) DO NOTHING")
            .bind(a.case_id).bind(a.court_id).bind(a.institution_id).bind(a.kind).bind(a.reference).bind(a.description)
            .bind(a.value_fen).bind(a.encumbrances).bind(a.found_by).bind(a.at_us)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}

const ANSWERED_SQL: &str = "SELECT o.message_id, o.institution_id, o.case_id, o.court_id, o.investigation_id, o.status, o.kind, o.measure_id, i.purpose \
     FROM outbox o LEFT JOIN investigations i ON i.id = o.investigation_id WHERE o.message_id = $1";

/// What the outbox row a reply answers says about it.
#[derive(Debug, Clone, FromRow)]
pub struct Answered {
    pub message_id: String,
    pub institution_id: String,
    pub case_id: i64,
    pub court_id: String,
    pub investigation_id: Option<i64>,
    pub status: String,
    pub kind: String,
    pub measure_id: Option<i64>,
    /// The investigation's purpose, for queries.
    pub purpose: Option<String>,
}

impl Store {
    pub async fn institutions(&self) -> Result<Vec<InstitutionRow>> {
        let sql = format!("SELECT {INST_COLS} FROM institutions ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, InstitutionRow>(sqlx::AssertSqlSafe(sql.clone())).fetch_all(p).await)?,
        )
    }

    pub async fn institution(&self, id: &str) -> Result<Option<InstitutionRow>> {
        let sql = format!("SELECT {INST_COLS} FROM institutions WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, InstitutionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    /// Claims up to `limit` messages due for sending with a lease until `lease_until`, so that
    /// no other worker (PostgreSQL: other processes, `FOR UPDATE SKIP LOCKED`) sends them
    /// meanwhile. A worker that dies leaves its lease to expire; the message is sent again and
    /// the receiver deduplicates by message id.
    pub async fn claim_outbox(
        &self,
        now_us: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRow>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET lease_until = $1, attempts = attempts + 1 WHERE message_id IN \
             (SELECT message_id FROM outbox WHERE status IN ('pending', 'sent') AND next_attempt_at <= $2 \
              AND (lease_until IS NULL OR lease_until < $2) ORDER BY next_attempt_at LIMIT $3{lock}) \
             RETURNING message_id, institution_id, case_id, sealed, attempts"
        );
        let mut tx = self.begin().await?;
        let rows = on_tx!(tx, c => sqlx::query_as::<_, OutboxRow>(sqlx::AssertSqlSafe(sql.clone())).bind(lease_until).bind(now_us).bind(limit).fetch_all(c).await)?;
        tx.commit().await?;
        Ok(rows)
    }

    /// After a round of sends, in one transaction: delivered (await the reply until `next_at`,
    /// then send again) or failed (retry at `next_at`, or give up). A reply may have landed
    /// while a request was in flight: a row never steps back from `replied`. The
    /// delivered ones (nearly all) are marked in one statement: a round is thousands of rows
    /// and the write connection is what every other writer waits for.
    pub async fn outbox_after_sends(
        &self,
        results: &[(String, bool, i64, Option<String>, bool)],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let delivered: Vec<&str> = results
            .iter()
            .filter(|r| r.1 && !r.4)
            .map(|r| r.0.as_str())
            .collect();
        if let Some(next_at) = results.iter().filter(|r| r.1 && !r.4).map(|r| r.2).max() {
            const SET: &str = "UPDATE outbox SET status = 'sent', next_attempt_at = $1, last_error = NULL, lease_until = NULL";
            match tx.conn() {
                crate::TxConn::Postgres(c) => {
                    let ids: Vec<String> = delivered.iter().map(|s| (*s).to_owned()).collect();
                    let sql = format!("{SET} WHERE message_id = ANY($2) AND status <> 'replied'");
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(next_at)
                        .bind(ids)
                        .execute(c)
                        .await?;
                }
                crate::TxConn::Sqlite(c) => {
                    let ids = serde_json::to_string(&delivered).unwrap_or_else(|_| "[]".into());
                    let sql = format!(
                        "{SET} WHERE message_id IN (SELECT value FROM json_each($2)) AND status <> 'replied'"
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(next_at)
                        .bind(ids)
                        .execute(c)
                        .await?;
                }
            }
        }
        for (message_id, delivered, next_at, error, give_up) in results {
            let status = match (delivered, give_up) {
                (_, true) => "failed",
                (true, false) => continue,
                (false, false) => "pending",
            };
            on_tx!(tx, c => sqlx::query(
                "UPDATE outbox SET status = $1, next_attempt_at = $2, last_error = $3, lease_until = NULL WHERE message_id = $4 AND status <> 'replied'")
                .bind(status).bind(next_at).bind(error).bind(message_id).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.commit().await
    }

    pub async fn investigations_of(&self, case_id: i64) -> Result<Vec<InvestigationRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, InvestigationRow>(
            "SELECT id, case_id, court_id, requested_by, requested_at, messages, purpose FROM investigations WHERE case_id = $1 ORDER BY id")
            .bind(case_id).fetch_all(p).await)?)
    }

    pub async fn investigation(&self, id: i64) -> Result<Option<InvestigationRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, InvestigationRow>(
            "SELECT id, case_id, court_id, requested_by, requested_at, messages, purpose FROM investigations WHERE id = $1")
            .bind(id).fetch_optional(p).await)?)
    }

    pub async fn investigation_messages(&self, investigation_id: i64) -> Result<Vec<OutboxStatus>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, OutboxStatus>(
            "SELECT message_id, institution_id, status, attempts, last_error, replied_at FROM outbox WHERE investigation_id = $1 ORDER BY institution_id, message_id")
            .bind(investigation_id).fetch_all(p).await)?)
    }

    pub async fn asset(&self, id: i64) -> Result<Option<AssetRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, AssetRow>(
            "SELECT id, case_id, court_id, institution_id, kind, reference, description, value_fen, encumbrances, found_by, found_at FROM assets WHERE id = $1")
            .bind(id).fetch_optional(p).await)?)
    }

    pub async fn assets_of(&self, case_id: i64) -> Result<Vec<AssetRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, AssetRow>(
            "SELECT id, case_id, court_id, institution_id, kind, reference, description, value_fen, encumbrances, found_by, found_at FROM assets WHERE case_id = $1 ORDER BY id")
            .bind(case_id).fetch_all(p).await)?)
    }

    /// Messages not yet answered (for tests and the worker's idle check).
    /// Messages not yet delivered (for the bench's split of sending and applying).
    pub async fn outbox_undelivered(&self) -> Result<i64> {
        let n: (i64,) = on_pool!(self, p => sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetch_one(p).await)?;
        Ok(n.0)
    }

    pub async fn outbox_open(&self) -> Result<i64> {
        let n: (i64,) = on_pool!(self, p => sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sent')").fetch_one(p).await)?;
        Ok(n.0)
    }
}
