//! Data sharing for joint discipline (联合惩戒): agreements with partner agencies
//! (数据共享协议), their API keys (stored only as keyed hashes), and the incremental feed of
//! listing changes, read from the event log.

use sqlx::FromRow;

use crate::{Backend, Result, Store, Tx, on_pool, on_tx};

/// An agreement with its court's path and name.
#[derive(Debug, Clone, FromRow)]
pub struct AgreementRow {
    pub id: i64,
    pub agency_name: String,
    pub agency_code: String,
    pub court_id: String,
    pub court_path: String,
    pub court_name: String,
    /// JSON array of field names.
    pub fields: String,
    pub legal_basis: String,
    pub valid_from: String,
    pub valid_to: String,
    pub status: String,
    pub created_by: i64,
    pub created_at: i64,
    pub approved_by: Option<i64>,
    pub approved_at: Option<i64>,
    pub revoked_by: Option<i64>,
    pub revoked_at: Option<i64>,
    pub revoke_reason: Option<String>,
}

const AGREEMENT_SELECT: &str = "SELECT a.id, a.agency_name, a.agency_code, a.court_id, c.path AS court_path, c.name AS court_name, \
    a.fields, a.legal_basis, a.valid_from, a.valid_to, a.status, a.created_by, a.created_at, a.approved_by, a.approved_at, \
    a.revoked_by, a.revoked_at, a.revoke_reason \
    FROM sharing_agreements a JOIN courts c ON c.id = a.court_id";

/// A key as an administrator sees it: never the key, nor its hash.
#[derive(Debug, Clone, FromRow)]
pub struct KeyRow {
    pub id: i64,
    pub agreement_id: i64,
    pub prefix: String,
    pub issued_by: i64,
    pub issued_at: i64,
    pub revoked_at: Option<i64>,
}

pub struct NewAgreement<'a> {
    pub agency_name: &'a str,
    pub agency_code: &'a str,
    pub court_id: &'a str,
    pub fields: &'a str,
    pub legal_basis: &'a str,
    pub valid_from: &'a str,
    pub valid_to: &'a str,
    pub created_by: i64,
    pub at_us: i64,
}

/// One listing change of the feed: the event's sequence and kind, and the listing as it
/// stands now (with its party's masked and sealed identifier, the court's name and what the
/// case has been paid).
#[derive(Debug, Clone, FromRow)]
pub struct FeedRow {
    pub seq: i64,
    pub kind: String,
    pub payload: String,
    pub listing_id: i64,
    pub court_id: String,
    pub court_name: String,
    pub name: String,
    pub party_kind: String,
    pub legal_rep: Option<String>,
    pub case_number: String,
    pub basis: String,
    pub duty: String,
    pub total_due_fen: i64,
    pub performed_fen: i64,
    pub grounds: String,
    pub conduct: String,
    pub listed_on: String,
    pub ends_on: Option<String>,
    pub id_shown: String,
    pub id_cipher: String,
}

/// The event kinds the feed carries. The partial index `events_listing_feed` has exactly
/// this condition, so the feed walks only these events.
pub const FEED_KINDS_SQL: &str = "e.kind IN ('case.dishonest_listed', 'case.dishonest_extended', 'case.dishonest_amended', 'case.dishonest_removed')";

impl Tx {
    pub async fn insert_agreement(&mut self, n: &NewAgreement<'_>) -> Result<i64> {
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO sharing_agreements (agency_name, agency_code, court_id, fields, legal_basis, valid_from, valid_to, status, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9) RETURNING id")
            .bind(n.agency_name).bind(n.agency_code).bind(n.court_id).bind(n.fields).bind(n.legal_basis)
            .bind(n.valid_from).bind(n.valid_to).bind(n.created_by).bind(n.at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }

    /// The agreement, locked until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite's
    /// single writer already serialises), so two approvals or an approval and a revocation
    /// cannot both act on the state they read.
    pub async fn agreement_for_update(&mut self, id: i64) -> Result<Option<AgreementRow>> {
        let sql = match self.backend() {
            Backend::Sqlite => format!("{AGREEMENT_SELECT} WHERE a.id = $1"),
            Backend::Postgres => format!("{AGREEMENT_SELECT} WHERE a.id = $1 FOR UPDATE OF a"),
        };
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, AgreementRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await)?,
        )
    }

    pub async fn approve_agreement(&mut self, id: i64, by: i64, at_us: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "UPDATE sharing_agreements SET status = 'active', approved_by = $1, approved_at = $2 WHERE id = $3 AND status = 'draft'")
            .bind(by).bind(at_us).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn revoke_agreement(
        &mut self,
        id: i64,
        by: i64,
        reason: &str,
        at_us: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "UPDATE sharing_agreements SET status = 'revoked', revoked_by = $1, revoked_at = $2, revoke_reason = $3 \
             WHERE id = $4 AND status <> 'revoked'")
            .bind(by).bind(at_us).bind(reason).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Revokes the agreement's live keys; returns their ids.
    pub async fn revoke_keys_of(&mut self, agreement_id: i64, at_us: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_tx!(self, c => sqlx::query_as(
            "UPDATE sharing_keys SET revoked_at = $1 WHERE agreement_id = $2 AND revoked_at IS NULL RETURNING id")
            .bind(at_us).bind(agreement_id).fetch_all(c).await)?;
        let mut ids: Vec<i64> = rows.into_iter().map(|r| r.0).collect();
        ids.sort_unstable();
        Ok(ids)
    }

    pub async fn insert_sharing_key(
        &mut self,
        agreement_id: i64,
        key_hash: &str,
        prefix: &str,
        by: i64,
        at_us: i64,
    ) -> Result<i64> {
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO sharing_keys (agreement_id, key_hash, prefix, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(agreement_id).bind(key_hash).bind(prefix).bind(by).bind(at_us).fetch_one(c).await)?;
        Ok(id.0)
    }

    /// The key with this hash and its agreement, read inside the pull's transaction. On
    /// PostgreSQL the agreement row is held `FOR SHARE`, so a revocation (an UPDATE of that
    /// row) waits for a pull in flight, and a pull that starts after the revocation committed
    /// sees it: no pull is served on a revoked agreement.
    pub async fn key_for_pull(&mut self, key_hash: &str) -> Result<Option<(KeyRow, AgreementRow)>> {
        let key: Option<KeyRow> = on_tx!(self, c => sqlx::query_as::<_, KeyRow>(
            "SELECT id, agreement_id, prefix, issued_by, issued_at, revoked_at FROM sharing_keys WHERE key_hash = $1")
            .bind(key_hash).fetch_optional(c).await)?;
        let Some(key) = key else { return Ok(None) };
        let sql = match self.backend() {
            Backend::Sqlite => format!("{AGREEMENT_SELECT} WHERE a.id = $1"),
            Backend::Postgres => format!("{AGREEMENT_SELECT} WHERE a.id = $1 FOR SHARE OF a"),
        };
        let a: Option<AgreementRow> = on_tx!(self, c => sqlx::query_as::<_, AgreementRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(key.agreement_id).fetch_optional(c).await)?;
        Ok(a.map(|a| (key, a)))
    }

    /// Listing changes after `after_seq` of courts whose path starts with `path_prefix`, in
    /// event order. Derived from the event log rather than a change table of its own: the
    /// credit code already writes those events in the listing's transaction (the watch
    /// worker's expiry included, as `case.dishonest_removed`), and their sequence is gapless
    /// in commit order. The listing is found from the event's subject (`case:<id>`) and
    /// payload (`no`), which needs a JSON read that differs between the engines.
    pub async fn feed_page(
        &mut self,
        after_seq: i64,
        path_prefix: &str,
        limit: i64,
    ) -> Result<Vec<FeedRow>> {
        let no_expr = match self.backend() {
            Backend::Sqlite => "CAST(json_extract(e.payload, '$.no') AS BIGINT)",
            Backend::Postgres => "CAST(CAST(e.payload AS jsonb) ->> 'no' AS BIGINT)",
        };
        let sql = format!(
            "SELECT e.seq, e.kind, e.payload, l.id AS listing_id, l.court_id, co.name AS court_name, l.name, l.party_kind, \
               l.legal_rep, l.case_number, l.basis, l.duty, l.total_due_fen, c.paid AS performed_fen, l.grounds, l.conduct, \
               l.listed_on, l.ends_on, pa.id_shown, pa.id_cipher \
             FROM events e \
             JOIN credit_listings l ON l.case_id = CASE WHEN substr(e.subject, 1, 5) = 'case:' THEN CAST(substr(e.subject, 6) AS BIGINT) END \
               AND l.no = {no_expr} \
             JOIN courts co ON co.id = l.court_id \
             JOIN parties pa ON pa.case_id = l.case_id AND pa.no = l.party_no \
             JOIN cases c ON c.id = l.case_id \
             WHERE e.seq > $1 AND {FEED_KINDS_SQL} \
               AND substr(co.path, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT) \
             ORDER BY e.seq LIMIT $3"
        );
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, FeedRow>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(after_seq).bind(path_prefix).bind(limit).fetch_all(c).await)?,
        )
    }
}

impl Store {
    pub async fn agreement(&self, id: i64) -> Result<Option<AgreementRow>> {
        let sql = format!("{AGREEMENT_SELECT} WHERE a.id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AgreementRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    /// Agreements of courts whose path starts with `path_prefix`, by id, after `after_id`.
    pub async fn agreements_under(
        &self,
        path_prefix: &str,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<AgreementRow>> {
        let sql = format!(
            "{AGREEMENT_SELECT} WHERE substr(c.path, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT) AND a.id > $2 \
             ORDER BY a.id LIMIT $3"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AgreementRow>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(path_prefix).bind(after_id).bind(limit).fetch_all(p).await)?,
        )
    }

    pub async fn sharing_keys_of(&self, agreement_id: i64) -> Result<Vec<KeyRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, KeyRow>(
            "SELECT id, agreement_id, prefix, issued_by, issued_at, revoked_at FROM sharing_keys WHERE agreement_id = $1 ORDER BY id")
            .bind(agreement_id).fetch_all(p).await)?)
    }
}
