//! Control measures on assets, and the alerts the workers raise.

use sqlx::FromRow;

use crate::{Backend, Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct MeasureRow {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub asset_id: i64,
    pub institution_id: String,
    pub kind: String,
    pub status: String,
    pub amount_fen: Option<i64>,
    pub held_fen: Option<i64>,
    pub requested_until: Option<String>,
    pub until: Option<String>,
    pub queue_position: Option<i64>,
    pub reference: Option<String>,
    pub request_id: String,
    pub pending: Option<String>,
    pub pending_id: Option<String>,
    pub pending_until: Option<String>,
    pub last_reason: Option<String>,
    pub requested_by: i64,
    pub requested_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, case_id, court_id, asset_id, institution_id, kind, status, amount_fen, held_fen, requested_until, until, \
                    queue_position, reference, request_id, pending, pending_id, pending_until, last_reason, requested_by, requested_at, updated_at";

pub struct NewMeasure<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub asset_id: i64,
    pub institution_id: &'a str,
    pub kind: &'a str,
    pub amount_fen: Option<i64>,
    pub requested_until: Option<String>,
    pub request_id: &'a str,
    pub requested_by: i64,
    pub at_us: i64,
}

/// What an institution's answer changes on a measure.
#[derive(Debug, Clone, Default)]
pub struct MeasureUpdate {
    pub status: String,
    pub held_fen: Option<i64>,
    pub until: Option<String>,
    pub queue_position: Option<i64>,
    pub reference: Option<String>,
    pub last_reason: Option<String>,
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct AlertRow {
    pub id: i64,
    pub court_id: String,
    pub case_id: Option<i64>,
    pub kind: String,
    pub subject: String,
    pub message: String,
    /// The message's code and parameters (see `Tx::raise_alert`); None on older alerts. Not in
    /// the API's answer, which keeps `message`.
    #[serde(skip)]
    pub params: Option<String>,
    pub due_on: Option<String>,
    pub raised_at: i64,
    pub cleared_at: Option<i64>,
}

/// A 终本 case whose periodic re-investigation is still owed, and when its current interval
/// began: the start of its closure day (China time) or its latest investigation, the later.
#[derive(Debug, Clone, FromRow)]
pub struct RecheckMark {
    pub case_id: i64,
    pub court_id: String,
    pub closed_on: String,
    pub since_us: i64,
}

impl Tx {
    /// Marks a case just closed as 终本: its periodic re-investigation is owed from
    /// `since_us` (the start of its closure day). A mark already there stays as it is.
    pub async fn mark_zhongben_recheck(
        &mut self,
        case_id: i64,
        court_id: &str,
        closed_on: &str,
        since_us: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO zhongben_rechecks (case_id, court_id, closed_on, since_us) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (case_id) DO NOTHING")
            .bind(case_id).bind(court_id).bind(closed_on).bind(since_us)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// No more periodic re-investigation of this case (resumed, or its period is over).
    pub async fn unmark_zhongben_recheck(&mut self, case_id: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query("DELETE FROM zhongben_rechecks WHERE case_id = $1")
            .bind(case_id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Tx {
    /// Serialises the commands on one case's money (PostgreSQL: a row lock; SQLite's write
    /// transaction already excludes every other writer).
    pub async fn lock_case(&mut self, case_id: i64) -> Result<bool> {
        let sql = match self.backend() {
            Backend::Postgres => "SELECT id FROM cases WHERE id = $1 FOR UPDATE",
            Backend::Sqlite => "SELECT id FROM cases WHERE id = $1",
        };
        let r: Option<(i64,)> =
            on_tx!(self, c => sqlx::query_as(sql).bind(case_id).fetch_optional(c).await)?;
        Ok(r.is_some())
    }

    /// Money the case's freezes hold or are asking for (what a new freeze must stay within,
    /// beside what is still due).
    pub async fn controlled_fen(&mut self, case_id: i64) -> Result<i64> {
        let r: (Option<i64>,) = on_tx!(self, c => sqlx::query_as(
            "SELECT CAST(SUM(COALESCE(held_fen, amount_fen, 0)) AS BIGINT) FROM measures \
             WHERE case_id = $1 AND kind = 'freeze' AND status IN ('requested', 'active', 'queued')")
            .bind(case_id).fetch_one(c).await)?;
        Ok(r.0.unwrap_or(0))
    }

    /// Measures of other courts' cases on the same property (same institution and reference)
    /// that still hold it.
    pub async fn holders_elsewhere(
        &mut self,
        institution_id: &str,
        reference: &str,
        court_id: &str,
    ) -> Result<i64> {
        let r: (i64,) = on_tx!(self, c => sqlx::query_as(
            "SELECT COUNT(*) FROM measures m JOIN assets a ON a.id = m.asset_id \
             WHERE a.institution_id = $1 AND a.reference = $2 AND m.court_id <> $3 \
             AND m.kind <> 'deduct' AND m.status IN ('active', 'queued', 'requested')")
            .bind(institution_id).bind(reference).bind(court_id).fetch_one(c).await)?;
        Ok(r.0)
    }

    pub async fn measures_on_asset_tx(&mut self, asset_id: i64) -> Result<Vec<MeasureRow>> {
        let sql = format!("SELECT {COLS} FROM measures WHERE asset_id = $1 ORDER BY id");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, MeasureRow>(sqlx::AssertSqlSafe(sql.clone())).bind(asset_id).fetch_all(c).await)?,
        )
    }

    pub async fn insert_measure(&mut self, m: &NewMeasure<'_>) -> Result<i64> {
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO measures (case_id, court_id, asset_id, institution_id, kind, status, amount_fen, requested_until, request_id, requested_by, requested_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7, $8, $9, $10, $10) RETURNING id")
            .bind(m.case_id).bind(m.court_id).bind(m.asset_id).bind(m.institution_id).bind(m.kind)
            .bind(m.amount_fen).bind(&m.requested_until).bind(m.request_id).bind(m.requested_by).bind(m.at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }

    pub async fn measure_tx(&mut self, id: i64) -> Result<Option<MeasureRow>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let sql = format!("SELECT {COLS} FROM measures WHERE id = $1{lock}");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, MeasureRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await)?,
        )
    }

    /// The measures of a case, read in the transaction that holds the case's lock (a closure
    /// decides on them and releases them in the same transaction).
    pub async fn measures_of_tx(&mut self, case_id: i64) -> Result<Vec<MeasureRow>> {
        let sql = format!("SELECT {COLS} FROM measures WHERE case_id = $1 ORDER BY id");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, MeasureRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(c).await)?,
        )
    }

    /// Records what an institution answered about the measure itself.
    pub async fn update_measure(&mut self, id: i64, u: &MeasureUpdate, at_us: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "UPDATE measures SET status = $1, held_fen = COALESCE($2, held_fen), until = COALESCE($3, until), queue_position = $4, \
             reference = COALESCE($5, reference), last_reason = $6, updated_at = $7 WHERE id = $8")
            .bind(&u.status).bind(u.held_fen).bind(&u.until).bind(u.queue_position).bind(&u.reference)
            .bind(&u.last_reason).bind(at_us).bind(id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Marks a renewal or release in flight (or none, with `None`).
    pub async fn set_measure_pending(
        &mut self,
        id: i64,
        pending: Option<(&str, &str, Option<String>)>,
        last_reason: Option<&str>,
        at_us: i64,
    ) -> Result<()> {
        let (p, pid, puntil) = match pending {
            Some((p, id, u)) => (Some(p), Some(id), u),
            None => (None, None, None),
        };
        on_tx!(self, c => sqlx::query(
            "UPDATE measures SET pending = $1, pending_id = $2, pending_until = $3, last_reason = COALESCE($4, last_reason), updated_at = $5 WHERE id = $6")
            .bind(p).bind(pid).bind(puntil).bind(last_reason).bind(at_us).bind(id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// A renewal confirmed: the new last day.
    pub async fn renew_measure(&mut self, id: i64, until: &str, at_us: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "UPDATE measures SET until = $1, pending = NULL, pending_id = NULL, pending_until = NULL, last_reason = NULL, updated_at = $2 WHERE id = $3")
            .bind(until).bind(at_us).bind(id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Active measures whose last day is before `today`: expired, returned.
    pub async fn expire_measures(&mut self, today: &str, at_us: i64) -> Result<Vec<MeasureRow>> {
        let sql = format!(
            "UPDATE measures SET status = 'expired', updated_at = $1 WHERE status = 'active' AND until < $2 RETURNING {COLS}"
        );
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, MeasureRow>(sqlx::AssertSqlSafe(sql.clone())).bind(at_us).bind(today).fetch_all(c).await)?,
        )
    }

    /// Raises an alert, once per kind and subject; raising it again refreshes it (and reopens
    /// it if it had been cleared). True if it was not open before. `message` is the Chinese
    /// sentence (the API's), `params` its message code and parameters as JSON
    /// (`{"code": …, "args": {…}}`), from which pages word it in the viewer's language.
    #[allow(clippy::too_many_arguments)] // one row, every column named at the call sites
    pub async fn raise_alert(
        &mut self,
        court_id: &str,
        case_id: Option<i64>,
        kind: &str,
        subject: &str,
        message: &str,
        params: &str,
        due_on: Option<&str>,
        at_us: i64,
    ) -> Result<bool> {
        let open: Option<(Option<i64>,)> = on_tx!(self, c => sqlx::query_as(
            "SELECT cleared_at FROM alerts WHERE kind = $1 AND subject = $2")
            .bind(kind).bind(subject).fetch_optional(c).await)?;
        on_tx!(self, c => sqlx::query(
            "INSERT INTO alerts (court_id, case_id, kind, subject, message, params, due_on, raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (kind, subject) DO UPDATE SET message = excluded.message, params = excluded.params, due_on = excluded.due_on, cleared_at = NULL, \
             raised_at = CASE WHEN alerts.cleared_at IS NULL THEN alerts.raised_at ELSE excluded.raised_at END")
            .bind(court_id).bind(case_id).bind(kind).bind(subject).bind(message).bind(params).bind(due_on).bind(at_us)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(!matches!(open, Some((None,))))
    }

    /// Clears the open alerts about `subject` of the given kinds.
    pub async fn clear_alerts(&mut self, subject: &str, kinds: &[&str], at_us: i64) -> Result<()> {
        for kind in kinds {
            on_tx!(self, c => sqlx::query(
                "UPDATE alerts SET cleared_at = $1 WHERE kind = $2 AND subject = $3 AND cleared_at IS NULL")
                .bind(at_us).bind(*kind).bind(subject)
                .execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }
}

impl Store {
    pub async fn measure(&self, id: i64) -> Result<Option<MeasureRow>> {
        let sql = format!("SELECT {COLS} FROM measures WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, MeasureRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    pub async fn measures_of(&self, case_id: i64) -> Result<Vec<MeasureRow>> {
        let sql = format!("SELECT {COLS} FROM measures WHERE case_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, MeasureRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }

    /// Active measures whose last day is on or before `by` (for the expiry alerts).
    pub async fn measures_expiring(&self, by: &str) -> Result<Vec<MeasureRow>> {
        let sql = format!(
            "SELECT {COLS} FROM measures WHERE status = 'active' AND until IS NOT NULL AND until <= $1 ORDER BY until, id"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, MeasureRow>(sqlx::AssertSqlSafe(sql.clone())).bind(by).fetch_all(p).await)?,
        )
    }

    /// Open alerts of one kind, everywhere (for the worker that clears what no longer holds).
    pub async fn open_alerts_of_kind(&self, kind: &str) -> Result<Vec<AlertRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, AlertRow>(
            "SELECT id, court_id, case_id, kind, subject, message, params, due_on, raised_at, cleared_at FROM alerts \
             WHERE kind = $1 AND cleared_at IS NULL ORDER BY id")
            .bind(kind).fetch_all(p).await)?)
    }

    pub async fn alerts_of_case(&self, case_id: i64) -> Result<Vec<AlertRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, AlertRow>(
            "SELECT id, court_id, case_id, kind, subject, message, params, due_on, raised_at, cleared_at FROM alerts \
             WHERE case_id = $1 AND cleared_at IS NULL ORDER BY id")
            .bind(case_id).fetch_all(p).await)?)
    }

    /// The 终本 cases whose re-investigation interval began before `before_us` (the marks of
    /// migration 0024), oldest first, after the keyset `after` (since, case id), at most
    /// `limit`: one page of the only cases that can be due.
    pub async fn zhongben_rechecks_due(
        &self,
        before_us: i64,
        after: (i64, i64),
        limit: i64,
    ) -> Result<Vec<RecheckMark>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, RecheckMark>(
            "SELECT case_id, court_id, closed_on, since_us FROM zhongben_rechecks \
             WHERE since_us < $1 AND (since_us > $2 OR (since_us = $2 AND case_id > $3)) \
             ORDER BY since_us, case_id LIMIT $4")
            .bind(before_us).bind(after.0).bind(after.1).bind(limit).fetch_all(p).await)?)
    }
}
